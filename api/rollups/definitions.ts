// How each rollup is computed from raw rows: one SQL definition per rollup, used to rebuild or
// verify everything and to recompute the days a rare change touches; and what one interaction or
// survey contributes, which ingest adds and subtracts (api/rollups/delta.ts).
import { sql, type SQL } from 'drizzle-orm';

/** Upper edges of the wait buckets of CSAT-by-wait: [0,30) [30,60) [60,120) [120,300) 300+. */
export const WAIT_BUCKETS = ['0-30', '30-60', '60-120', '120-300', '300+'] as const;

/**
 * The histogram bucket of a wait in seconds: 5-s buckets below 30 min, 1-min below 2 h, 15-min
 * below 48 h (e-mail replies), then one open bucket (api/metrics/stats.ts waitBucketEdges).
 */
export const histBucket = (w: string) =>
  `(case when ${w} < 1800 then ${w} / 5 when ${w} < 7200 then 360 + (${w} - 1800) / 60 when ${w} < 172800 then 450 + (${w} - 7200) / 900 else 634 end)`;

export type Scope =
  /** Every row. */
  | { all: true }
  /** Only the rows whose local day is in the temporary table `name` (column `day`). */
  | { daysTable: string };

export interface RollupDefinition {
  table: string;
  /** For the interaction and survey rollups: the key columns after `day`, and which rows count. */
  keys?: string[];
  where?: string;
  /** Deletes the scope's rows. */
  clear(scope: Scope): SQL;
  /** Inserts the scope's rows, recomputed from raw rows, into `target` (the rollup table, or a copy for verification). */
  fill(tz: string, scope: Scope, target?: string): SQL;
}

/** Restricts raw rows on a timestamp column to the scope's days, using the column's index. */
function within(column: string, tz: string, scope: Scope): SQL {
  if ('all' in scope) return sql`true`;
  const t = sql.raw(scope.daysTable);
  const c = sql.raw(column);
  return sql`${c} >= timezone(${tz}, (select min(day) from ${t})::timestamp) - interval '1 day'
    and ${c} < timezone(${tz}, (select max(day) from ${t})::timestamp) + interval '2 days'
    and timezone(${tz}, ${c})::date in (select day from ${t})`;
}

const clearDays = (table: string) => (scope: Scope) =>
  'all' in scope
    ? sql`delete from ${sql.raw(table)}`
    : sql`delete from ${sql.raw(table)} where day in (select day from ${sql.raw(scope.daysTable)})`;

// ——— interactions ———

/**
 * What one interaction `i` contributes to its rollups: every rollup key of interactions (the segment is the customer's as it is now: a customer's
 * re-import with another segment refreshes the days of its interactions, api/ingest/upsert.ts),
 * the histogram bucket of an answered wait (null otherwise), and whether an answered interaction
 * has a survey linked to it (response rate: counted once however many it has; a survey imported
 * later refreshes its interaction's day, api/ingest/upsert.ts).
 */
export const interactionColumns = (tz: string) => sql`
  timezone(${tz}, i.occurred_at)::date as day, i.team_id, i.agent_id, i.channel,
  coalesce(i.journey_stage_id, 0) as journey_stage_id, coalesce(i.contact_reason_id, 0) as contact_reason_id,
  coalesce(c.segment_id, 0) as segment_id,
  i.answered, i.wait_seconds, i.handle_seconds, i.resolved,
  (i.answered and exists (select 1 from surveys s where s.interaction_id = i.id)) as responded,
  (case when i.answered and i.wait_seconds is not null then ${sql.raw(histBucket('i.wait_seconds'))} end)::smallint as b`;

/** What `interactionColumns` reads beside the interactions row `i`. */
export const INTERACTION_JOINS = 'left join customers c on c.id = i.customer_id';

const INTERACTION_SOURCE = (tz: string, scope: Scope) => sql`
  select ${interactionColumns(tz)}
  from interactions i ${sql.raw(INTERACTION_JOINS)}
  where ${within('i.occurred_at', tz, scope)}`;

const INTERACTION_MEASURES = `count(*) as contacts,
  count(*) filter (where answered) as answered,
  count(*) filter (where not answered) as abandoned,
  count(wait_seconds) filter (where answered) as wait_n,
  coalesce(sum(wait_seconds) filter (where answered), 0) as wait_sum,
  coalesce(sum(wait_seconds::float8 * wait_seconds) filter (where answered), 0) as wait_sq,
  count(handle_seconds) filter (where answered) as handle_n,
  coalesce(sum(handle_seconds) filter (where answered), 0) as handle_sum,
  coalesce(sum(handle_seconds::float8 * handle_seconds) filter (where answered), 0) as handle_sq,
  count(resolved) filter (where answered) as resolved_n,
  count(*) filter (where answered and resolved) as resolved_yes,
  count(*) filter (where responded) as responded`;

const INTERACTION_NAMES =
  'contacts, answered, abandoned, wait_n, wait_sum, wait_sq, handle_n, handle_sum, handle_sq, resolved_n, resolved_yes, responded';

const INTERACTION_COLUMNS = `${INTERACTION_NAMES}, wait_hist_bucket, wait_hist_count`;

/**
 * One aggregation per key: the measures, and the key's list of wait buckets, which becomes the
 * histogram (buckets and their counts) in a small lateral query of its own. (Aggregating per key
 * and bucket first made nearly a group per row in the agent and journey rollups.)
 */
function interactionRollup(table: string, keys: string[], where = 'true'): RollupDefinition {
  const keyNames = keys.join(', ');
  return {
    table,
    keys,
    where,
    clear: clearDays(table),
    fill: (tz, scope, target = table) => sql`
      insert into ${sql.raw(target)} (day, ${sql.raw(keyNames)}, ${sql.raw(INTERACTION_COLUMNS)})
      select day, ${sql.raw(keyNames)}, ${sql.raw(INTERACTION_NAMES)}, coalesce(h.buckets, '{}'), coalesce(h.counts, '{}')
      from (
        select day, ${sql.raw(keyNames)}, ${sql.raw(INTERACTION_MEASURES)}, array_agg(b) filter (where b is not null) as waits
        from (${INTERACTION_SOURCE(tz, scope)}) src
        where ${sql.raw(where)}
        group by day, ${sql.raw(keyNames)}
      ) m
      left join lateral (
        select array_agg(b order by b) as buckets, array_agg(n order by b) as counts
        from (select b, count(*)::int as n from unnest(m.waits) b group by b) x
      ) h on true`,
  };
}

// ——— surveys ———

/**
 * What one survey `s` contributes to its rollups: its effective dimensions, its own, else its
 * interaction's (else its agent's team); the segment of its customer, its own else its interaction's.
 */
export const surveyColumns = (tz: string) => sql`
  timezone(${tz}, s.responded_at)::date as day,
  coalesce(s.team_id, i.team_id, a.team_id, 0) as team_id,
  coalesce(s.agent_id, i.agent_id, 0) as agent_id,
  coalesce(i.channel, '') as channel,
  coalesce(i.journey_stage_id, 0) as journey_stage_id,
  coalesce(i.contact_reason_id, 0) as contact_reason_id,
  (case when i.wait_seconds is null then -1 when i.wait_seconds < 30 then 0 when i.wait_seconds < 60 then 1
        when i.wait_seconds < 120 then 2 when i.wait_seconds < 300 then 3 else 4 end)::smallint as wait_bucket,
  coalesce(c.segment_id, 0) as segment_id,
  s.interaction_id is not null as linked, s.csat, s.nps, s.effort`;

/**
 * What `surveyColumns` reads beside the surveys row `s`; `interactions` may name rows of the
 * interactions table as a statement changes them (then `join`: only surveys linked to those).
 */
export const surveyJoins = (
  interactions = 'interactions',
  join: 'left join' | 'join' = 'left join',
) => `${join} ${interactions} i on i.id = s.interaction_id
  left join agents a on a.id = coalesce(s.agent_id, i.agent_id)
  left join customers c on c.id = coalesce(s.customer_id, i.customer_id)`;

const SURVEY_SOURCE = (tz: string, scope: Scope) => sql`
  select ${surveyColumns(tz)}
  from surveys s ${sql.raw(surveyJoins())}
  where ${within('s.responded_at', tz, scope)}`;

const SURVEY_MEASURES = `count(*) as surveys,
  count(*) filter (where linked) as linked,
  count(csat) as csat_n,
  count(*) filter (where csat >= 4) as csat_top2,
  coalesce(sum(csat), 0) as csat_sum,
  coalesce(sum(csat::float8 * csat), 0) as csat_sq,
  count(nps) as nps_n,
  count(*) filter (where nps >= 9) as promoters,
  count(*) filter (where nps <= 6) as detractors,
  count(effort) as effort_n,
  coalesce(sum(effort), 0) as effort_sum,
  coalesce(sum(effort::float8 * effort), 0) as effort_sq`;

const SURVEY_COLUMNS =
  'surveys, linked, csat_n, csat_top2, csat_sum, csat_sq, nps_n, promoters, detractors, effort_n, effort_sum, effort_sq';

function surveyRollup(table: string, keys: string[], where = 'true'): RollupDefinition {
  const keyNames = keys.join(', ');
  return {
    table,
    keys,
    where,
    clear: clearDays(table),
    fill: (tz, scope, target = table) => sql`
      insert into ${sql.raw(target)} (day, ${sql.raw(keyNames)}, ${sql.raw(SURVEY_COLUMNS)})
      select day, ${sql.raw(keyNames)}, ${sql.raw(SURVEY_MEASURES)}
      from (${SURVEY_SOURCE(tz, scope)}) src
      where ${sql.raw(where)}
      group by day, ${sql.raw(keyNames)}`,
  };
}

// ——— customers, agents, referrals (small tables: recomputed whole) ———

const whole = (table: string, fill: (tz: string, target: string) => SQL): RollupDefinition => ({
  table,
  clear: () => sql`delete from ${sql.raw(table)}`,
  fill: (tz, _scope, target = table) => fill(tz, target),
});

export const customersRollup = whole(
  'rollup_customers_day',
  (_tz, target) => sql`
    insert into ${sql.raw(target)} (day, starts, churns, starts_valued, starts_value, churns_valued, churns_value)
    select day, sum(starts), sum(churns), sum(sv), sum(sval), sum(cv), sum(cval)
    from (
      select coalesce(started_on, date '0001-01-01') as day, 1 as starts, 0 as churns,
             (monthly_value is not null)::int as sv, coalesce(monthly_value, 0) as sval, 0 as cv, 0::numeric as cval
      from customers
      union all
      select churned_on, 0, 1, 0, 0, (monthly_value is not null)::int, coalesce(monthly_value, 0)
      from customers where churned_on is not null
    ) x
    group by day`,
);

export const agentsRollup = whole(
  'rollup_agents_day',
  (_tz, target) => sql`
    insert into ${sql.raw(target)} (day, team_id, hires, leavers)
    select day, team_id, sum(h), sum(l)
    from (
      select coalesce(hired_on, date '0001-01-01') as day, team_id, 1 as h, 0 as l from agents
      union all
      select left_on, team_id, 0, 1 from agents where left_on is not null
    ) x
    group by day, team_id`,
);

export const referralsRollup = whole(
  'rollup_referrals_day',
  (tz, target) => sql`
    insert into ${sql.raw(target)} (day, referrals, converted)
    select timezone(${tz}, referred_at)::date, count(*), count(*) filter (where converted)
    from referrals group by 1`,
);

export const customerSegmentsRollup = whole(
  'rollup_customers_segment',
  (_tz, target) => sql`
    insert into ${sql.raw(target)} (day, segment_id, starts, churns, starts_valued, starts_value, churns_valued, churns_value)
    select day, segment_id, sum(starts), sum(churns), sum(sv), sum(sval), sum(cv), sum(cval)
    from (
      select coalesce(started_on, date '0001-01-01') as day, coalesce(segment_id, 0) as segment_id, 1 as starts, 0 as churns,
             (monthly_value is not null)::int as sv, coalesce(monthly_value, 0) as sval, 0 as cv, 0::numeric as cval
      from customers
      union all
      select churned_on, coalesce(segment_id, 0), 0, 1, 0, 0, (monthly_value is not null)::int, coalesce(monthly_value, 0)
      from customers where churned_on is not null
    ) x
    group by day, segment_id`,
);

/** Referrals by the segment of the referring customer as it is now: recomputed whole when customers or referrals change. */
export const referralSegmentsRollup = whole(
  'rollup_referrals_segment',
  (tz, target) => sql`
    insert into ${sql.raw(target)} (day, segment_id, referrals, converted)
    select timezone(${tz}, r.referred_at)::date, coalesce(c.segment_id, 0), count(*), count(*) filter (where r.converted)
    from referrals r left join customers c on c.id = r.customer_id
    group by 1, 2`,
);

export const interactionRollups = [
  interactionRollup('rollup_interactions_day', ['team_id', 'channel']),
  interactionRollup('rollup_interactions_agent', ['team_id', 'agent_id', 'channel'], 'agent_id is not null'),
  interactionRollup('rollup_interactions_journey', ['team_id', 'channel', 'journey_stage_id', 'contact_reason_id']),
  interactionRollup('rollup_interactions_segment', ['team_id', 'channel', 'segment_id']),
];

export const surveyRollups = [
  surveyRollup('rollup_surveys_day', ['team_id', 'channel', 'wait_bucket']),
  surveyRollup('rollup_surveys_agent', ['team_id', 'agent_id', 'channel', 'wait_bucket'], 'agent_id <> 0'),
  surveyRollup('rollup_surveys_journey', [
    'team_id',
    'channel',
    'journey_stage_id',
    'contact_reason_id',
    'wait_bucket',
  ]),
  surveyRollup('rollup_surveys_segment', ['team_id', 'channel', 'wait_bucket', 'segment_id']),
];

/** The rollups keyed by the customer's segment: refreshed for the days of a customer's records when its segment changes. */
export const SEGMENT_EVENT_TABLES = ['rollup_interactions_segment', 'rollup_surveys_segment'] as const;

export const ALL_ROLLUPS: RollupDefinition[] = [
  ...interactionRollups,
  ...surveyRollups,
  customersRollup,
  agentsRollup,
  referralsRollup,
  customerSegmentsRollup,
  referralSegmentsRollup,
];
