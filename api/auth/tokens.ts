// Access tokens and web sessions. Tokens are random, shown once, stored as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accessTokens, ROLES, sessions } from '../../db/schema';
import { ApiError, forbidden } from '../errors';
import { audit } from '../admin-log/store';
import { findTeams } from '../directory/teams';
import { newSigningSecret } from './signature';
import { CHANGES_CHANNEL, type ChangeNotice } from '../ingest/notices';

export type Role = (typeof ROLES)[number];
export { ROLES };

/** Who is asking: resolved once per request from a bearer token or a session cookie. */
export interface Principal {
  tokenId: number;
  role: Role;
  label: string;
  /** External ids of the teams a manager may see; empty for other roles. */
  teams: string[];
  /** The hash of the web session the request came with; absent for a bearer token. */
  session?: string;
}

export const SESSION_COOKIE = 'pairwise_session';
export const SESSION_DAYS = 30;

export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

const tokenCredential = (id: number) => `token:${id}`;
const sessionCredential = (idHash: string) => `session:${idHash}`;
/**
 * What a principal's access rests on, as the live streams name it: its token, and its session
 * for a request made with the cookie. Ending one (revocation, sign-out) ends those streams.
 */
export const credentialsOf = (p: Pick<Principal, 'tokenId' | 'session'>): string[] => [
  tokenCredential(p.tokenId),
  ...(p.session ? [sessionCredential(p.session)] : []),
];

/** A change notice that changes no data, only says which access ended. */
export interface AccessEndedNotice extends ChangeNotice {
  kinds: ['access'];
  ended: string[];
}

/**
 * Tells every server process (the change channel: NOTIFY on commit) that access ended, so the
 * live streams resting on it end at once. Sent before anything else in the transaction, it
 * reaches each process before any change notice that transaction makes.
 */
async function announceEnded(db: Db, ended: string[]) {
  if (ended.length === 0) return;
  const notice: AccessEndedNotice = {
    kinds: ['access'],
    inserted: 0,
    updated: 0,
    from: null,
    to: null,
    teams: [],
    ended,
  };
  await db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(notice)})`);
}

export function newToken(): string {
  return `pw_${randomBytes(32).toString('base64url')}`;
}

export interface TokenView {
  id: number;
  label: string;
  role: Role;
  teams: string[];
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Whether requests made with it must be signed (an ingest token with a signing secret); never the secret. */
  signed: boolean;
}

const toView = (row: typeof accessTokens.$inferSelect): TokenView => ({
  id: row.id,
  label: row.label,
  role: row.role,
  teams: row.teams,
  prefix: row.prefix,
  created_at: row.createdAt.toISOString(),
  last_used_at: row.lastUsedAt?.toISOString() ?? null,
  revoked_at: row.revokedAt?.toISOString() ?? null,
  signed: row.signingSecret !== null,
});

export interface CreateTokenInput {
  role: Role;
  label: string;
  teams?: string[];
  /** Ingest tokens only: its requests must carry a signature made with a secret answered once. */
  signed?: boolean;
}

export interface CreatedToken {
  token: string;
  record: TokenView;
  /** With `signed`: the signing secret, answered this once (stored, as verifying needs it). */
  signing_secret?: string;
}

/** Creates a token; answers it once (it is not stored) with its record. */
export async function createToken(db: Db, input: CreateTokenInput, actor?: Principal | null): Promise<CreatedToken> {
  if (input.signed && input.role !== 'ingest') {
    throw new ApiError(
      422,
      'invalid-token-request',
      `Only ingest tokens sign their requests; a ${input.role} token cannot be signed.`,
      { field: 'signed' },
    );
  }
  const wanted = [...new Set((input.teams ?? []).map((t) => t.trim()).filter(Boolean))];
  if (input.role === 'manager' && wanted.length === 0) {
    throw new ApiError(
      422,
      'invalid-token-request',
      'A manager token needs at least one team (teams: external ids of the teams it may see).',
    );
  }
  if (input.role !== 'manager' && wanted.length > 0) {
    throw new ApiError(
      422,
      'invalid-token-request',
      `Only manager tokens are limited to teams; a ${input.role} token sees ${input.role === 'display' ? 'the wallboard feed' : 'every team'}.`,
    );
  }
  if (wanted.length > 0) {
    const known = await findTeams(db, wanted);
    const unknown = wanted.filter((t) => !known.has(t));
    if (unknown.length > 0) {
      throw new ApiError(
        422,
        'unknown-team',
        `Unknown team${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Import the teams first or check their external ids.`,
        { field: 'teams' },
      );
    }
  }
  const token = newToken();
  const signingSecret = input.signed ? newSigningSecret() : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(accessTokens)
      .values({
        role: input.role,
        label: input.label.trim(),
        teams: wanted,
        tokenHash: hashSecret(token),
        prefix: token.slice(0, 10),
        signingSecret,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await audit(tx as unknown as Db, actor, 'token.create', `token ${row.id}`, {
      role: row.role,
      label: row.label,
      teams: row.teams,
      ...(signingSecret ? { signed: true } : {}),
    });
    return signingSecret
      ? { token, record: toView(row), signing_secret: signingSecret }
      : { token, record: toView(row) };
  });
}

export async function listTokens(db: Db): Promise<TokenView[]> {
  const rows = await db.select().from(accessTokens).orderBy(asc(accessTokens.id));
  return rows.map(toView);
}

/** Revokes a token by id and ends its web sessions. Answers false when there is no such token. */
export async function revokeToken(db: Db, id: number, actor?: Principal | null): Promise<TokenView | null> {
  return endsAccess(
    db.transaction(async (tx) => {
      const [row] = await tx
        .update(accessTokens)
        .set({ revokedAt: sql`coalesce(${accessTokens.revokedAt}, now())` })
        .where(eq(accessTokens.id, id))
        .returning();
      if (!row) return null;
      await announceEnded(tx as unknown as Db, [tokenCredential(id)]);
      await tx.delete(sessions).where(eq(sessions.tokenId, id));
      await audit(tx as unknown as Db, actor, 'token.revoke', `token ${id}`, { label: row.label });
      return toView(row);
    }),
  );
}

/** Once `change` committed (or failed), remembered tokens are forgotten: none outlives a revocation here. */
async function endsAccess<T>(change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    forgetTokenHolders();
  }
}

/** Resolves a bearer token to its principal, or null when it is unknown or revoked. */
export async function principalForToken(db: Db, token: string): Promise<Principal | null> {
  return (await holderOfToken(db, token))?.principal ?? null;
}

/**
 * A bearer token's principal and its signing secret (null when its requests need no signature),
 * in one query (an event sender's every request asks both); null when unknown or revoked.
 */
export async function holderOfToken(db: Db, token: string): Promise<TokenHolder | null> {
  if (!token || token.length > 512) return null;
  const hash = hashSecret(token);
  let known = holders.get(db);
  const cached = known?.get(hash);
  if (cached && Date.now() - cached.at < HOLDER_TTL_MS) return cached.holder;
  const [row] = await db
    .select()
    .from(accessTokens)
    .where(and(eq(accessTokens.tokenHash, hash), isNull(accessTokens.revokedAt)));
  if (!row) return null;
  await touch(db, row.id);
  const holder: TokenHolder = {
    principal: { tokenId: row.id, role: row.role, label: row.label, teams: row.role === 'manager' ? row.teams : [] },
    signingSecret: row.role === 'ingest' ? (row.signingSecret ?? null) : null,
  };
  if (!known) holders.set(db, (known = new Map()));
  if (known.size >= 10_000) known.clear();
  known.set(hash, { holder, at: Date.now() });
  return holder;
}

export interface TokenHolder {
  principal: Principal;
  signingSecret: string | null;
}

/**
 * Valid tokens recently seen, per database, by hash: an event sender's every request would
 * otherwise cost a query (a third of the database round trips at 800 events/s). Revocation here
 * forgets them at once, in other processes when the change channel tells them (the live hub),
 * and at the latest after HOLDER_TTL_MS.
 */
let holders = new WeakMap<Db, Map<string, { holder: TokenHolder; at: number }>>();
export const HOLDER_TTL_MS = 5_000;

/** Forgets every remembered token (access ended somewhere: a revocation, a changed configuration). */
export function forgetTokenHolders() {
  holders = new WeakMap();
}

/**
 * Resolves a session cookie to its token's principal, or null when expired or revoked. A session
 * in use slides: once a day its expiry moves SESSION_DAYS ahead again (`renewed` carries the new
 * expiry for the cookie), so a wallboard that is always on never has to sign in again.
 */
export async function principalForSession(db: Db, sessionId: string): Promise<(Principal & { renewed?: Date }) | null> {
  if (!sessionId || sessionId.length > 128) return null;
  const idHash = hashSecret(sessionId);
  const [row] = await db
    .select({ token: accessTokens, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(accessTokens, eq(accessTokens.id, sessions.tokenId))
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, sql`now()`), isNull(accessTokens.revokedAt)));
  // An ingest token can make no session (see openSession); one found anyway gives nothing.
  if (!row || row.token.role === 'ingest') return null;
  await touch(db, row.token.id);
  const t = row.token;
  const principal: Principal & { renewed?: Date } = {
    tokenId: t.id,
    role: t.role,
    label: t.label,
    teams: t.role === 'manager' ? t.teams : [],
    session: idHash,
  };
  if (row.expiresAt.getTime() < Date.now() + (SESSION_DAYS - 1) * 86_400_000) {
    principal.renewed = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await db.update(sessions).set({ expiresAt: principal.renewed }).where(eq(sessions.idHash, idHash));
  }
  return principal;
}

/** When this process last recorded each token's use. */
const touchedAt = new Map<number, number>();

/** Records use at most once a minute, so a busy wallboard does not write on every request. */
async function touch(db: Db, tokenId: number) {
  const now = Date.now();
  if (now - (touchedAt.get(tokenId) ?? 0) < 60_000) return;
  touchedAt.set(tokenId, now);
  if (touchedAt.size > 10_000) touchedAt.clear();
  await db
    .update(accessTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(accessTokens.id, tokenId),
        or(isNull(accessTokens.lastUsedAt), lt(accessTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

/** Opens a web session for a token; answers the cookie value. */
export async function openSession(db: Db, principal: Principal): Promise<{ id: string; expires: Date }> {
  // Write-only tokens sit in platforms' configuration; a browser session would only widen them.
  if (principal.role === 'ingest')
    throw forbidden(
      'An ingest token only sends data (POST /api/v1/events/{kind}, /ingest/{kind}); it cannot sign in to the web app.',
    );
  const id = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
  await db.insert(sessions).values({ idHash: hashSecret(id), tokenId: principal.tokenId, expiresAt: expires });
  return { id, expires };
}

/** Ends a web session (sign-out) and the live streams opened with it, in every process. */
export async function closeSession(db: Db, sessionId: string): Promise<void> {
  const idHash = hashSecret(sessionId);
  await db.transaction(async (tx) => {
    await announceEnded(tx as unknown as Db, [sessionCredential(idHash)]);
    await tx.delete(sessions).where(eq(sessions.idHash, idHash));
  });
}

/**
 * Keeps the row standing for PAIRWISE_ADMIN_TOKEN in line with the configuration: present and
 * valid when it is set, revoked when it is unset or changed.
 */
export async function syncConfiguredAdminToken(db: Db, configured: string | undefined): Promise<void> {
  const hash = configured ? hashSecret(configured) : null;
  await endsAccess(
    db.transaction(async (tx) => {
      const rows = await tx.select().from(accessTokens).where(eq(accessTokens.fromEnv, true));
      for (const row of rows) {
        if (row.tokenHash !== hash && !row.revokedAt) {
          await announceEnded(tx as unknown as Db, [tokenCredential(row.id)]);
          await tx
            .update(accessTokens)
            .set({ revokedAt: sql`now()` })
            .where(eq(accessTokens.id, row.id));
          await tx.delete(sessions).where(eq(sessions.tokenId, row.id));
        }
      }
      if (!configured || !hash) return;
      const existing = rows.find((r) => r.tokenHash === hash);
      if (existing) {
        if (existing.revokedAt)
          await tx.update(accessTokens).set({ revokedAt: null }).where(eq(accessTokens.id, existing.id));
        return;
      }
      // A token created another way may already carry this secret: mark it as the configured one.
      const [other] = await tx.select().from(accessTokens).where(eq(accessTokens.tokenHash, hash));
      if (other) {
        await tx
          .update(accessTokens)
          .set({ fromEnv: true, role: 'admin', revokedAt: null })
          .where(eq(accessTokens.id, other.id));
        return;
      }
      await tx.insert(accessTokens).values({
        role: 'admin',
        label: 'PAIRWISE_ADMIN_TOKEN (configuration)',
        tokenHash: hash,
        prefix: configured.slice(0, 4) + '…',
        fromEnv: true,
      });
    }),
  );
}

/** On a first start with no usable token, creates an admin token to print as a login link. */
export async function bootstrapAdminToken(db: Db): Promise<string | null> {
  const [usable] = await db
    .select({ id: accessTokens.id })
    .from(accessTokens)
    .where(isNull(accessTokens.revokedAt))
    .limit(1);
  if (usable) return null;
  const { token } = await createToken(
    db,
    { role: 'admin', label: 'First administrator (created at first start)' },
    null,
  );
  return token;
}
