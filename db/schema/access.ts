// Access: bearer tokens (stored hashed) with a role, web sessions made from a token,
// and the audit log of administrative actions.
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, oneOf, ref } from './columns';
import { ROLES } from '../constants';

/** `ingest` may only write (platforms and webhooks posting events); it reads nothing. */
export { ROLES };

export const accessTokens = pgTable(
  'access_tokens',
  {
    id: id(),
    label: text('label').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** External ids of the teams a manager token may see and coach. */
    teams: text('teams')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token, to recognise it in lists. */
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /**
     * The secret an ingest token's sender signs request bodies with (HMAC-SHA256), shown once when
     * made; null: signatures are not required. Kept as is: verifying needs the secret itself.
     */
    signingSecret: text('signing_secret'),
    /** The row standing for PAIRWISE_ADMIN_TOKEN: kept in line with the configuration at each start. */
    fromEnv: boolean('from_env').notNull().default(false),
  },
  (t) => [
    uniqueIndex('access_tokens_hash_key').on(t.tokenHash),
    check('access_tokens_role_check', oneOf('role', ROLES)),
  ],
);

/** A web session made from a token: the cookie holds a random id, the table its hash. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    tokenId: ref('token_id')
      .notNull()
      .references(() => accessTokens.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_token_idx').on(t.tokenId)],
);

/** Who did what, when: every administrative action. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The token that acted; null for the configured admin token or the system. */
    actorTokenId: ref('actor_token_id').references(() => accessTokens.id, { onDelete: 'set null' }),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    details: jsonb('details'),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

/** One import (API, CLI or demo): who, when, what, with its counts or problems. */
export const importRuns = pgTable(
  'import_runs',
  {
    id: id(),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    actor: text('actor').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    status: text('status').notNull(),
    counts: jsonb('counts'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('import_runs_started_idx').on(t.startedAt)],
);
