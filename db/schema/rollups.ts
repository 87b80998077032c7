// Pre-aggregated rollups: plain tables kept current in the same transaction as the ingest that
// changes them (api/rollups). Dashboards read these, never the raw events. Days are calendar
// days in ORG_TIMEZONE. Missing ids are 0 and a missing channel is '' so that every key is
// part of the primary key.
import {
  bigint,
  date,
  doublePrecision,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
} from 'drizzle-orm/pg-core';

const id = (name: string) => bigint(name, { mode: 'number' }).notNull();
const count = (name: string) => integer(name).notNull().default(0);
const total = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
const squares = (name: string) => doublePrecision(name).notNull().default(0);

/** What every interaction rollup holds: counts, sums and sums of squares, a sparse wait histogram. */
const interactionMeasures = () => ({
  contacts: count('contacts'),
  answered: count('answered'),
  abandoned: count('abandoned'),
  waitN: count('wait_n'),
  waitSum: total('wait_sum'),
  waitSq: squares('wait_sq'),
  handleN: count('handle_n'),
  handleSum: total('handle_sum'),
  handleSq: squares('handle_sq'),
  resolvedN: count('resolved_n'),
  resolvedYes: count('resolved_yes'),
  /** Answered interactions with at least one survey linked to them (response rate). */
  responded: count('responded'),
  /** Sparse histogram of answered waits: bucket numbers (see api/rollups/histogram.ts) and their counts. */
  waitHistBucket: smallint('wait_hist_bucket').array().notNull(),
  waitHistCount: integer('wait_hist_count').array().notNull(),
});

/** What every survey rollup holds: for top-2-box and means (n, sum, sum of squares), NPS parts. */
const surveyMeasures = () => ({
  surveys: count('surveys'),
  /** Surveys linked to an interaction (response rate). */
  linked: count('linked'),
  csatN: count('csat_n'),
  csatTop2: count('csat_top2'),
  csatSum: total('csat_sum'),
  csatSq: squares('csat_sq'),
  npsN: count('nps_n'),
  promoters: count('promoters'),
  detractors: count('detractors'),
  effortN: count('effort_n'),
  effortSum: total('effort_sum'),
  effortSq: squares('effort_sq'),
});

/** Interactions by day × team × channel: the organisation- and team-level views. */
export const rollupInteractionsDay = pgTable(
  'rollup_interactions_day',
  { day: date('day').notNull(), teamId: id('team_id'), channel: text('channel').notNull(), ...interactionMeasures() },
  (t) => [primaryKey({ columns: [t.day, t.teamId, t.channel] })],
);

/** Interactions by day × team × agent × channel (interactions with an agent): coaching views. */
export const rollupInteractionsAgent = pgTable(
  'rollup_interactions_agent',
  {
    day: date('day').notNull(),
    teamId: id('team_id'),
    agentId: id('agent_id'),
    channel: text('channel').notNull(),
    ...interactionMeasures(),
  },
  (t) => [primaryKey({ columns: [t.day, t.teamId, t.agentId, t.channel] })],
);

/** Interactions by day × team × channel × journey stage × contact reason. */
export const rollupInteractionsJourney = pgTable(
  'rollup_interactions_journey',
  {
    day: date('day').notNull(),
    teamId: id('team_id'),
    channel: text('channel').notNull(),
    journeyStageId: id('journey_stage_id'),
    contactReasonId: id('contact_reason_id'),
    ...interactionMeasures(),
  },
  (t) => [primaryKey({ columns: [t.day, t.teamId, t.channel, t.journeyStageId, t.contactReasonId] })],
);

/**
 * Surveys by day × team × channel × wait bucket. The wait bucket is that of the linked
 * interaction: 0 = [0,30) s, 1 = [30,60), 2 = [60,120), 3 = [120,300), 4 = 300+, -1 = none.
 */
export const rollupSurveysDay = pgTable(
  'rollup_surveys_day',
  {
    day: date('day').notNull(),
    teamId: id('team_id'),
    channel: text('channel').notNull(),
    waitBucket: smallint('wait_bucket').notNull(),
    ...surveyMeasures(),
  },
  (t) => [primaryKey({ columns: [t.day, t.teamId, t.channel, t.waitBucket] })],
);

/** Surveys by day × team × agent × channel × wait bucket (surveys with an agent). */
export const rollupSurveysAgent = pgTable(
  'rollup_surveys_agent',
  {
    day: date('day').notNull(),
    teamId: id('team_id'),
    agentId: id('agent_id'),
    channel: text('channel').notNull(),
    waitBucket: smallint('wait_bucket').notNull(),
    ...surveyMeasures(),
  },
  (t) => [primaryKey({ columns: [t.day, t.teamId, t.agentId, t.channel, t.waitBucket] })],
);

/** Surveys by day × team × channel × journey stage × contact reason (of the linked interaction). */
export const rollupSurveysJourney = pgTable(
  'rollup_surveys_journey',
  {
    day: date('day').notNull(),
    teamId: id('team_id'),
    channel: text('channel').notNull(),
    journeyStageId: id('journey_stage_id'),
    contactReasonId: id('contact_reason_id'),
    waitBucket: smallint('wait_bucket').notNull(),
    ...surveyMeasures(),
  },
  (t) => [primaryKey({ columns: [t.day, t.teamId, t.channel, t.journeyStageId, t.contactReasonId, t.waitBucket] })],
);

/**
 * Interactions by day × team × channel × the segment of the interaction's customer (0: no
 * customer, or a customer without a segment).
 */
export const rollupInteractionsSegment = pgTable(
  'rollup_interactions_segment',
  {
    day: date('day').notNull(),
    teamId: id('team_id'),
    channel: text('channel').notNull(),
    segmentId: id('segment_id'),
    ...interactionMeasures(),
  },
  (t) => [primaryKey({ columns: [t.day, t.teamId, t.channel, t.segmentId] })],
);

/** Surveys by day × team × channel × wait bucket × the segment of the survey's customer (its own, else its interaction's; 0: none). */
export const rollupSurveysSegment = pgTable(
  'rollup_surveys_segment',
  {
    day: date('day').notNull(),
    teamId: id('team_id'),
    channel: text('channel').notNull(),
    waitBucket: smallint('wait_bucket').notNull(),
    segmentId: id('segment_id'),
    ...surveyMeasures(),
  },
  (t) => [primaryKey({ columns: [t.day, t.teamId, t.channel, t.waitBucket, t.segmentId] })],
);

/**
 * Customer starts and churns by day (a customer without started_on counts from 0001-01-01):
 * the customers active at a day's start are the starts up to that day minus the churns before it.
 */
export const rollupCustomersDay = pgTable('rollup_customers_day', {
  day: date('day').primaryKey(),
  starts: count('starts'),
  churns: count('churns'),
  /** Of those, the customers with a monthly_value, and the sum of their values (CLV). */
  startsValued: count('starts_valued'),
  startsValue: numeric('starts_value', { precision: 18, scale: 2, mode: 'number' }).notNull().default(0),
  churnsValued: count('churns_valued'),
  churnsValue: numeric('churns_value', { precision: 18, scale: 2, mode: 'number' }).notNull().default(0),
});

/** The same by day and segment (0: customers without a segment): churn, CLV and referral rate per segment. */
export const rollupCustomersSegment = pgTable(
  'rollup_customers_segment',
  {
    day: date('day').notNull(),
    segmentId: id('segment_id'),
    starts: count('starts'),
    churns: count('churns'),
    startsValued: count('starts_valued'),
    startsValue: numeric('starts_value', { precision: 18, scale: 2, mode: 'number' }).notNull().default(0),
    churnsValued: count('churns_valued'),
    churnsValue: numeric('churns_value', { precision: 18, scale: 2, mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.segmentId] })],
);

/** Agent hires and leavers by day and team (an agent without hired_on counts from 0001-01-01). */
export const rollupAgentsDay = pgTable(
  'rollup_agents_day',
  { day: date('day').notNull(), teamId: id('team_id'), hires: count('hires'), leavers: count('leavers') },
  (t) => [primaryKey({ columns: [t.day, t.teamId] })],
);

/** Referrals by day. */
export const rollupReferralsDay = pgTable('rollup_referrals_day', {
  day: date('day').primaryKey(),
  referrals: count('referrals'),
  converted: count('converted'),
});

/** Referrals by day and the segment of the referring customer (0: none). */
export const rollupReferralsSegment = pgTable(
  'rollup_referrals_segment',
  {
    day: date('day').notNull(),
    segmentId: id('segment_id'),
    referrals: count('referrals'),
    converted: count('converted'),
  },
  (t) => [primaryKey({ columns: [t.day, t.segmentId] })],
);
