// The data contract: one table per kind, each with its source system's
// `external_id` (unique per kind). References between records are stored as internal ids
// (foreign keys); ingestion resolves external ids to them.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, externalId, id, oneOf, ref, updatedAt } from './columns';
import { CHANNELS, TEAM_KINDS } from '../constants';

export { TEAM_KINDS };
export { CHANNELS };

export const teams = pgTable(
  'teams',
  {
    id: id(),
    externalId: externalId(),
    name: text('name').notNull(),
    kind: text('kind', { enum: TEAM_KINDS }).notNull().default('support'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('teams_external_id_key').on(t.externalId), check('teams_kind_check', oneOf('kind', TEAM_KINDS))],
);

export const agents = pgTable(
  'agents',
  {
    id: id(),
    externalId: externalId(),
    name: text('name').notNull(),
    teamId: ref('team_id')
      .notNull()
      .references(() => teams.id),
    hiredOn: date('hired_on'),
    leftOn: date('left_on'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('agents_external_id_key').on(t.externalId),
    index('agents_team_idx').on(t.teamId),
    index('agents_left_on_idx').on(t.leftOn),
  ],
);

export const customers = pgTable(
  'customers',
  {
    id: id(),
    externalId: externalId(),
    /** The segment as given; `segment_id` is its normalised entry in customer_segments. */
    segment: text('segment'),
    segmentId: ref('segment_id').references(() => customerSegments.id),
    startedOn: date('started_on'),
    churnedOn: date('churned_on'),
    monthlyValue: numeric('monthly_value', { precision: 14, scale: 2, mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('customers_external_id_key').on(t.externalId),
    index('customers_started_on_idx').on(t.startedOn),
    index('customers_churned_on_idx').on(t.churnedOn),
  ],
);

/** Customer segments (contract type, plan, region) are free text: matched case-folded, first spelling kept. */
export const customerSegments = pgTable(
  'customer_segments',
  {
    id: id(),
    key: text('key').notNull(),
    label: text('label').notNull(),
  },
  (t) => [uniqueIndex('customer_segments_key_key').on(t.key)],
);

/** Journey stages and contact reasons are free text: matched case-folded, first spelling kept. */
export const journeyStages = pgTable(
  'journey_stages',
  {
    id: id(),
    key: text('key').notNull(),
    label: text('label').notNull(),
  },
  (t) => [uniqueIndex('journey_stages_key_key').on(t.key)],
);

export const contactReasons = pgTable(
  'contact_reasons',
  {
    id: id(),
    key: text('key').notNull(),
    label: text('label').notNull(),
  },
  (t) => [uniqueIndex('contact_reasons_key_key').on(t.key)],
);

export const interactions = pgTable(
  'interactions',
  {
    id: id(),
    externalId: externalId(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    // The event tables (interactions, surveys) carry no foreign keys: a per-row check trigger cost
    // about 10 µs per row, half the ingest time. The ingest resolves every reference by joining
    // the records that exist (an unknown one refuses the batch), under the ingest lock, and
    // records are never deleted; journey stages and contact reasons are filled just before.
    teamId: ref('team_id').notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull().default('phone'),
    agentId: ref('agent_id'),
    customerId: ref('customer_id'),
    journeyStageId: ref('journey_stage_id'),
    contactReasonId: ref('contact_reason_id'),
    answered: boolean('answered').notNull().default(true),
    waitSeconds: integer('wait_seconds'),
    handleSeconds: integer('handle_seconds'),
    resolved: boolean('resolved'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('interactions_external_id_key').on(t.externalId),
    // Time ranges by team are answered by the rollups; raw rows are read only by time (rollup
    // upkeep, coaching's top reasons of four weeks). Every index costs each imported row: one on
    // (agent_id, occurred_at) cost 7 µs a row, a third of the ingest, and is not kept; a B-tree
    // on occurred_at cost 4 µs a row out of time order. Interactions arrive in time order (exports of a period,
    // live feeds), so a BRIN index (a summary per 128 pages, nearly free to keep) finds a day's
    // rows; rows loaded out of time order make it read more of the table.
    index('interactions_occurred_at_brin').using('brin', t.occurredAt),
    check('interactions_channel_check', oneOf('channel', CHANNELS)),
    check('interactions_wait_seconds_check', sql`wait_seconds >= 0`),
    check('interactions_handle_seconds_check', sql`handle_seconds >= 0`),
  ],
);

/**
 * A survey keeps only what it gave itself; team, agent, customer and channel it does not give
 * are inherited from its interaction when read (rollups), so a re-imported interaction carries
 * through to its surveys.
 */
export const surveys = pgTable(
  'surveys',
  {
    id: id(),
    externalId: externalId(),
    respondedAt: timestamp('responded_at', { withTimezone: true }).notNull(),
    // No foreign keys, as on interactions.
    interactionId: ref('interaction_id'),
    customerId: ref('customer_id'),
    agentId: ref('agent_id'),
    teamId: ref('team_id'),
    csat: smallint('csat'),
    nps: smallint('nps'),
    effort: smallint('effort'),
    comment: text('comment'),
    mayQuote: boolean('may_quote').notNull().default(false),
    /** The customer's name as the survey gave it: never shown, only redacted from the comment. */
    customerName: text('customer_name'),
    /**
     * A quote candidate's comment as it is shown (redacted, curator-hidden words hidden), so that
     * search reads only what may be seen; '' when that is the comment itself, null until worked
     * out (api/quotes/search-text.ts).
     */
    quoteText: text('quote_text'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('surveys_external_id_key').on(t.externalId),
    index('surveys_responded_at_idx').on(t.respondedAt),
    index('surveys_agent_responded_at_idx').on(t.agentId, t.respondedAt),
    index('surveys_interaction_idx').on(t.interactionId),
    index('surveys_customer_idx').on(t.customerId),
    /** Quote candidates: consented comments, newest first (curation queue, automatic featured quote). */
    index('surveys_quotable_idx')
      .on(t.respondedAt)
      .where(sql`may_quote and comment is not null`),
    /** Candidates whose quote_text is still to be worked out (empty once all are). */
    index('surveys_quote_text_todo_idx')
      .on(t.id)
      .where(sql`may_quote and comment is not null and quote_text is null`),
    check('surveys_csat_check', sql`csat between 1 and 5`),
    check('surveys_nps_check', sql`nps between 0 and 10`),
    check('surveys_effort_check', sql`effort between 1 and 7`),
  ],
);

export const referrals = pgTable(
  'referrals',
  {
    id: id(),
    externalId: externalId(),
    referredAt: timestamp('referred_at', { withTimezone: true }).notNull(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    converted: boolean('converted'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('referrals_external_id_key').on(t.externalId),
    index('referrals_referred_at_idx').on(t.referredAt),
    index('referrals_customer_idx').on(t.customerId),
  ],
);
