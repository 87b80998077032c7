// Reads aggregated measures from the rollups: which table answers (by the dimensions in use),
// grouped by period label and dimension value, for a range of local days.
import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';
import {
  rollupAgentsDay,
  rollupCustomersDay,
  rollupCustomersSegment,
  rollupInteractionsAgent,
  rollupInteractionsDay,
  rollupInteractionsJourney,
  rollupInteractionsSegment,
  rollupReferralsDay,
  rollupReferralsSegment,
  rollupSurveysAgent,
  rollupSurveysDay,
  rollupSurveysJourney,
  rollupSurveysSegment,
} from '../../db/schema/rollups';
import type { CustomerDay } from './organisation';
import type { Dimension, Grain } from './registry';

export type EventSource = 'interactions' | 'surveys';

/** Filters resolved to what the rollups hold: internal ids, channel values. */
export interface ResolvedFilters {
  teamIds?: number[];
  agentIds?: number[];
  channels?: string[];
  journeyStageIds?: number[];
  contactReasonIds?: number[];
  /** Customer segments (0: none). */
  segmentIds?: number[];
}

const DIM_COLUMN: Record<Dimension, string> = {
  team: 'team_id',
  agent: 'agent_id',
  channel: 'channel',
  journey_stage: 'journey_stage_id',
  contact_reason: 'contact_reason_id',
  wait_bucket: 'wait_bucket',
  segment: 'segment_id',
};

/** The summable measures of each event rollup (its columns), in the order a query sums them. */
export const MEASURES = {
  interactions: [
    'contacts',
    'answered',
    'abandoned',
    'wait_n',
    'wait_sum',
    'wait_sq',
    'handle_n',
    'handle_sum',
    'handle_sq',
    'resolved_n',
    'resolved_yes',
    'responded',
  ],
  surveys: [
    'surveys',
    'linked',
    'csat_n',
    'csat_top2',
    'csat_sum',
    'csat_sq',
    'nps_n',
    'promoters',
    'detractors',
    'effort_n',
    'effort_sum',
    'effort_sq',
  ],
} as const satisfies Record<EventSource, readonly string[]>;
export type Measure = (typeof MEASURES)[EventSource][number];

const TABLES = {
  interactions: {
    day: rollupInteractionsDay,
    agent: rollupInteractionsAgent,
    journey: rollupInteractionsJourney,
    segment: rollupInteractionsSegment,
  },
  surveys: {
    day: rollupSurveysDay,
    agent: rollupSurveysAgent,
    journey: rollupSurveysJourney,
    segment: rollupSurveysSegment,
  },
} as const satisfies Record<EventSource, Record<string, PgTable>>;

/**
 * The smallest rollup that can answer: the agent tables when an agent is involved, the journey
 * tables for journey stages or contact reasons, the segment tables for customer segments, else
 * the day tables. Answers null when the dimensions cannot be combined or the source lacks one.
 */
export function chooseTable(source: EventSource, used: Set<Dimension>): PgTable | null {
  if (used.has('wait_bucket') && source === 'interactions') return null;
  const agent = used.has('agent');
  const journey = used.has('journey_stage') || used.has('contact_reason');
  const segment = used.has('segment');
  if (Number(agent) + Number(journey) + Number(segment) > 1) return null;
  const t = TABLES[source];
  return agent ? t.agent : journey ? t.journey : segment ? t.segment : t.day;
}

/** The SQL for a period label of a day expression. */
function labelOf(grain: Grain, day: SQL): SQL {
  switch (grain) {
    case 'day':
      return sql`to_char(${day}, 'YYYY-MM-DD')`;
    case 'week':
      return sql`to_char(${day}, 'IYYY-"W"IW')`;
    case 'month':
      return sql`to_char(${day}, 'YYYY-MM')`;
    case 'total':
      return sql`'total'`;
  }
}

export interface AggregateRow {
  label: string;
  dim: string | number | null;
  /** The measures the query summed (others are absent). */
  m: Record<Measure, number>;
}

function filtersSql(f: ResolvedFilters): SQL {
  const parts: SQL[] = [];
  const inList = (col: string, values: Array<number | string>) =>
    sql`${sql.raw(col)} in (${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )})`;
  if (f.teamIds) parts.push(f.teamIds.length ? inList('team_id', f.teamIds) : sql`false`);
  if (f.agentIds) parts.push(f.agentIds.length ? inList('agent_id', f.agentIds) : sql`false`);
  if (f.channels) parts.push(f.channels.length ? inList('channel', f.channels) : sql`false`);
  if (f.journeyStageIds)
    parts.push(f.journeyStageIds.length ? inList('journey_stage_id', f.journeyStageIds) : sql`false`);
  if (f.contactReasonIds)
    parts.push(f.contactReasonIds.length ? inList('contact_reason_id', f.contactReasonIds) : sql`false`);
  if (f.segmentIds) parts.push(f.segmentIds.length ? inList('segment_id', f.segmentIds) : sql`false`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

export interface AggregateQuery {
  table: PgTable;
  source: EventSource;
  /** The measures to sum (those of the metrics asked for). */
  measures: readonly Measure[];
  grain: Grain;
  by?: Dimension;
  filters: ResolvedFilters;
  /** Local days, inclusive. */
  from: string;
  to: string;
  /** Label each day as the period `shiftDays` later (or one month later): the previous-period query. */
  shift?: { days: number } | { months: number };
}

const shifted = (q: AggregateQuery): SQL => {
  if (!q.shift) return sql`day`;
  if ('days' in q.shift) return sql`(day + ${q.shift.days}::int)`;
  return sql`(day + make_interval(months => ${q.shift.months}::int))::date`;
};

/** The query summing a source's measures by period label (and dimension value). */
export function aggregateSql(q: AggregateQuery): SQL {
  const label = labelOf(q.grain, shifted(q));
  const dim = q.by ? sql.raw(DIM_COLUMN[q.by]) : sql`null`;
  const measures = q.measures.map((m) => sql.raw(`, sum(${m})::float8 as ${m}`));
  return sql`
    select ${label} as label, ${dim} as dim${sql.join(measures)}
    from ${q.table}
    where day between ${q.from}::date and ${q.to}::date and ${filtersSql(q.filters)}
    group by 1, 2`;
}

/** Sums the measures of a source by period label (and dimension value). */
export async function aggregate(database: Database, q: AggregateQuery): Promise<AggregateRow[]> {
  const rows = await database.rows<Record<string, unknown>>(aggregateSql(q));
  return rows.map((r) => ({
    label: String(r.label),
    dim: (r.dim as string | number | null) ?? null,
    m: Object.fromEntries(q.measures.map((k) => [k, Number(r[k] ?? 0)])) as AggregateRow['m'],
  }));
}

/** The query of the wait histogram by period label (and dimension value). */
export function waitHistogramSql(q: AggregateQuery): SQL {
  const label = labelOf(q.grain, shifted(q));
  const dim = q.by ? sql.raw(`r.${DIM_COLUMN[q.by]}`) : sql`null`;
  return sql`
    select ${label} as label, ${dim} as dim, u.b::int as b, sum(u.c)::float8 as c
    from ${q.table} r, unnest(r.wait_hist_bucket, r.wait_hist_count) as u(b, c)
    where r.day between ${q.from}::date and ${q.to}::date and ${filtersSql(q.filters)}
    group by 1, 2, 3`;
}

/** The wait histogram by period label (and dimension value): bucket → count. */
export async function waitHistogram(database: Database, q: AggregateQuery): Promise<Map<string, Map<number, number>>> {
  const rows = await database.rows<{ label: string; dim: string | number | null; b: number; c: number }>(
    waitHistogramSql(q),
  );
  const out = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const key = `${r.label}\u0000${r.dim ?? ''}`;
    let h = out.get(key);
    if (!h) out.set(key, (h = new Map()));
    h.set(Number(r.b), Number(r.c));
  }
  return out;
}

const CUSTOMER_COLUMNS = sql.raw(
  'starts, churns, starts_valued, starts_value::float8 as starts_value, churns_valued, churns_value::float8 as churns_value',
);

/** The queries reading the organisation rollups whole: customers, agents, referrals (also by segment). */
export const ORG_ROLLUP_SQL = {
  customers: sql`select day::text as day, ${CUSTOMER_COLUMNS} from ${rollupCustomersDay} order by day`,
  agents: sql`select day::text as day, team_id::int as team_id, hires, leavers from ${rollupAgentsDay} order by day`,
  referrals: sql`select day::text as day, referrals, converted from ${rollupReferralsDay} order by day`,
  customersBySegment: sql`select day::text as day, segment_id::int as segment_id, ${CUSTOMER_COLUMNS} from ${rollupCustomersSegment} order by day`,
  referralsBySegment: sql`select day::text as day, segment_id::int as segment_id, referrals, converted from ${rollupReferralsSegment} order by day`,
};

/** Day rollups of customers, agents and referrals: small, read whole (teams are chosen in memory). */
export async function readOrgRollups(database: Database) {
  const [customers, agents, referrals] = await Promise.all([
    database.rows<CustomerDay>(ORG_ROLLUP_SQL.customers),
    database.rows<{ day: string; team_id: number; hires: number; leavers: number }>(ORG_ROLLUP_SQL.agents),
    database.rows<{ day: string; referrals: number; converted: number }>(ORG_ROLLUP_SQL.referrals),
  ]);
  return { customers, agents, referrals };
}

/** Day rollups of customers and referrals by segment (0: none): small, read whole. */
export async function readSegmentRollups(database: Database) {
  const [customers, referrals] = await Promise.all([
    database.rows<CustomerDay & { segment_id: number }>(ORG_ROLLUP_SQL.customersBySegment),
    database.rows<{ day: string; segment_id: number; referrals: number; converted: number }>(
      ORG_ROLLUP_SQL.referralsBySegment,
    ),
  ]);
  return { customers, referrals };
}
