// What the organisation adds on top of imported records: quote curation and praise routing,
// goals and the CX success statement (a setting), annotations and coaching notes.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accessTokens } from './access';
import { createdAt, id, oneOf, ref } from './columns';
import { agents, surveys, teams } from './records';

export const QUOTE_STATUSES = ['new', 'approved', 'rejected', 'retired'] as const;

/**
 * Curation state of a survey comment. A quote exists only for a comment whose customer
 * consented (`surveys.may_quote`); the displayed text is always `redacted_text`.
 */
export const quotes = pgTable(
  'quotes',
  {
    id: id(),
    surveyId: ref('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    status: text('status', { enum: QUOTE_STATUSES }).notNull().default('new'),
    /** Automatic redaction plus any spans a curator hid; never an edit of the words. */
    redactedText: text('redacted_text').notNull(),
    /** Character ranges `[start, end)` of the original comment that a curator hid. */
    /** md5 of the comment the curator judged: a re-imported, changed comment needs judging again. */
    commentMd5: text('comment_md5'),
    hiddenSpans: jsonb('hidden_spans').$type<Array<[number, number]>>().notNull().default([]),
    isPraise: boolean('is_praise').notNull().default(false),
    /** The agent the praise names, credited in shout-outs and coaching. */
    creditedAgentId: ref('credited_agent_id').references(() => agents.id),
    pinnedFrom: date('pinned_from'),
    pinnedTo: date('pinned_to'),
    followedUpOn: date('followed_up_on'),
    curatedBy: ref('curated_by').references(() => accessTokens.id, { onDelete: 'set null' }),
    curatedAt: timestamp('curated_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('quotes_survey_key').on(t.surveyId),
    index('quotes_status_idx').on(t.status),
    index('quotes_pinned_idx').on(t.pinnedFrom, t.pinnedTo),
    check('quotes_status_check', oneOf('status', QUOTE_STATUSES)),
    check('quotes_pinned_range_check', sql`pinned_to is null or pinned_from is null or pinned_to >= pinned_from`),
  ],
);

/** Praise shared with teams that earned it (product, digital, facilities as well as the frontline). */
export const quotePraiseTeams = pgTable(
  'quote_praise_teams',
  {
    quoteId: ref('quote_id')
      .notNull()
      .references(() => quotes.id, { onDelete: 'cascade' }),
    teamId: ref('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    sharedAt: timestamp('shared_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.quoteId, t.teamId] }), index('quote_praise_teams_team_idx').on(t.teamId)],
);

/** A goal for one metric, organisation-wide (team null) or for a team, in force from/to (inclusive). */
export const goals = pgTable(
  'goals',
  {
    id: id(),
    metric: text('metric').notNull(),
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    target: doublePrecision('target').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('goals_metric_idx').on(t.metric, t.validFrom),
    check('goals_range_check', sql`valid_to is null or valid_to >= valid_from`),
  ],
);

/** An event worth marking on every trend chart (a new phone menu, a product launch). */
export const annotations = pgTable(
  'annotations',
  {
    id: id(),
    on: date('on').notNull(),
    title: text('title').notNull(),
    note: text('note'),
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('annotations_on_idx').on(t.on)],
);

/** A coaching conversation: the pair in focus and a short note; before/after is computed from metrics. */
export const coachingNotes = pgTable(
  'coaching_notes',
  {
    id: id(),
    agentId: ref('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    heldOn: date('held_on').notNull(),
    pair: text('pair').notNull(),
    note: text('note').notNull(),
    authorTokenId: ref('author_token_id').references(() => accessTokens.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('coaching_notes_agent_idx').on(t.agentId, t.heldOn)],
);

/** Organisation settings as key → JSON value (e.g. `cx_statement`, `min_n`, `auto_quote`). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
