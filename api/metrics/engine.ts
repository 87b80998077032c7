// The metric query: metrics × periods × one optional dimension, answered from rollups, with n and
// intervals, empty periods filled, suppression under a minimum n, and comparisons with the
// previous period (is the change more than noise?) or with the goal in force.
import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { goals } from '../../db/schema';
import { DATE_RANGE } from '../limits';
import { WAIT_BUCKETS } from '../rollups/definitions';
import type { Measures, OrgRows, Value } from './compute';
import { dayNumber, periodsBetween, previousPeriod, type Period } from './periods';
import { checkCost, metricsCost } from './cost';
import {
  measuresFor,
  metricEntry,
  rollupOf,
  withPartners,
  type Dimension,
  type Grain,
  type MetricDefinition,
  type MetricEntry,
} from './registry';
import { reference, type Reference } from './reference';
import { segmentRows, segmentsWithCustomers } from './segments';
import {
  aggregate,
  chooseTable,
  waitHistogram,
  type AggregateQuery,
  type AggregateRow,
  type EventSource,
  type ResolvedFilters,
} from './sources';

export const FILTERS = ['team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'segment'] as const;
export type FilterName = (typeof FILTERS)[number];

export interface MetricsRequest {
  metrics: string[];
  from: string;
  to: string;
  grain: Grain;
  by?: Dimension;
  filters: Partial<Record<FilterName, string[]>>;
  compare?: 'previous' | 'target';
  minN?: number;
}

export interface MetricValue {
  value: number | null;
  n: number;
  low?: number | null;
  high?: number | null;
  suppressed?: true;
  previous?: { value: number | null; n: number } | null;
  change?: number | null;
  /** Whether the change vs the previous period is distinguishable from noise at 95%. */
  significant?: boolean | null;
  target?: number | null;
  met?: boolean | null;
}

export interface MetricsRow {
  period: string;
  from: string;
  to: string;
  [dimension: string]: unknown;
  values: Record<string, MetricValue>;
}

export interface MetricsResult {
  rows: MetricsRow[];
  meta: { metrics: string[]; added_partners: string[]; warnings: string[] };
}

/** A problem with the request, naming the parameter (answered as 400). */
export class MetricsRequestError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'MetricsRequestError';
  }
}

/** Who asks: managers see only their teams. */
export interface Scope {
  /** External ids of the teams allowed; undefined for every team. */
  teams?: string[];
}

export class ScopeError extends Error {}

type Lookups = {
  teamById: Map<number, string>;
  agentById: Map<number, { externalId: string; teamId: number }>;
  stageById: Map<number, string>;
  reasonById: Map<number, string>;
  segmentById: Map<number, string>;
};

async function resolve(
  database: Database,
  req: MetricsRequest,
  scope: Scope,
): Promise<{ filters: ResolvedFilters; lookups: Lookups; ref: Reference }> {
  const ref = await reference(database);
  const { teams: teamRows, agents: agentRows, stages: stageRows, reasons: reasonRows, segments: segmentRows } = ref;
  const lookups: Lookups = {
    teamById: new Map(teamRows.map((t) => [t.id, t.externalId])),
    agentById: new Map(agentRows.map((a) => [a.id, { externalId: a.externalId, teamId: a.teamId }])),
    stageById: new Map(stageRows.map((s) => [s.id, s.label])),
    reasonById: new Map(reasonRows.map((s) => [s.id, s.label])),
    segmentById: new Map(segmentRows.map((s) => [s.id, s.label])),
  };
  const filters: ResolvedFilters = {};
  const teamByExt = new Map(teamRows.map((t) => [t.externalId, t.id]));
  const byExt = <T>(name: FilterName, values: string[], map: Map<string, T>, what: string): T[] =>
    values.map((v) => {
      const found = map.get(v);
      if (found === undefined) throw new MetricsRequestError(name, `Unknown ${what} '${v}' in '${name}'.`);
      return found;
    });
  const allowed = scope.teams ? new Set(scope.teams) : null;
  if (req.filters.team) {
    if (allowed)
      for (const t of req.filters.team)
        if (!allowed.has(t)) throw new ScopeError(`Team '${t}' is not one of your teams (${[...allowed].join(', ')}).`);
    filters.teamIds = byExt('team', req.filters.team, teamByExt, 'team');
  } else if (allowed) {
    filters.teamIds = [...allowed].map((t) => teamByExt.get(t)).filter((x): x is number => x !== undefined);
  }
  if (req.filters.agent) {
    const agentByExt = new Map(agentRows.map((a) => [a.externalId, a]));
    const found = byExt('agent', req.filters.agent, agentByExt, 'agent');
    if (allowed)
      for (const a of found)
        if (!allowed.has(lookups.teamById.get(a.teamId) ?? ''))
          throw new ScopeError(`Agent '${a.externalId}' is not in one of your teams.`);
    filters.agentIds = found.map((a) => a.id);
  }
  if (req.filters.channel) filters.channels = req.filters.channel;
  if (req.filters.journey_stage)
    filters.journeyStageIds = byExt(
      'journey_stage',
      req.filters.journey_stage.map((s) => s.trim().toLowerCase()),
      new Map(stageRows.map((s) => [s.key, s.id])),
      'journey stage',
    );
  if (req.filters.contact_reason)
    filters.contactReasonIds = byExt(
      'contact_reason',
      req.filters.contact_reason.map((s) => s.trim().toLowerCase()),
      new Map(reasonRows.map((s) => [s.key, s.id])),
      'contact reason',
    );
  if (req.filters.segment)
    filters.segmentIds = byExt(
      'segment',
      req.filters.segment.map((s) => s.trim().toLowerCase()),
      new Map(segmentRows.map((s) => [s.key, s.id])),
      'segment',
    );
  return { filters, lookups, ref };
}

const key = (label: string, dim: unknown) => `${label}\u0000${dim ?? ''}`;

function dimLabel(by: Dimension | undefined, raw: unknown, l: Lookups): string | null {
  if (!by || raw === null || raw === undefined) return null;
  switch (by) {
    case 'team':
      return l.teamById.get(Number(raw)) ?? null;
    case 'agent':
      return l.agentById.get(Number(raw))?.externalId ?? null;
    case 'channel':
      return raw === '' ? null : String(raw);
    case 'journey_stage':
      return l.stageById.get(Number(raw)) ?? null;
    case 'contact_reason':
      return l.reasonById.get(Number(raw)) ?? null;
    case 'wait_bucket':
      return WAIT_BUCKETS[Number(raw)] ?? null;
    case 'segment':
      return l.segmentById.get(Number(raw)) ?? null;
  }
}

/** The organisation rollups, with agents limited to the teams in scope. */
function orgFor(ref: Reference, teamIds?: number[]): Reference['org'] {
  if (!teamIds) return ref.org;
  const keep = new Set(teamIds);
  return { ...ref.org, agents: ref.org.agents.filter((a) => keep.has(a.team_id)) };
}

const MIN_DAY = dayNumber(DATE_RANGE.min);
/** What organisation metrics are given for measures: they have none. */
const NO_MEASURES = {} as Measures;
/** Rows built between two turns of the event loop (a few milliseconds of work). */
const YIELD_ROWS = 2_000;

/** Runs one metrics request; refuses (400, limit metrics-cells) one that would compute more than the limit of values (cost.ts). */
export async function runMetrics(database: Database, req: MetricsRequest, scope: Scope = {}): Promise<MetricsResult> {
  const { keys, added } = withPartners(req.metrics);
  const defs = keys.map((k) => metricEntry(k)!);
  const warnings: string[] = [];
  const { filters, lookups, ref } = await resolve(database, req, scope);
  checkCost(req, metricsCost(req, keys.length, filters, ref));
  const periods = periodsBetween(req.from, req.to, req.grain);
  if (periods.length === 0) throw new MetricsRequestError('from', `must not be after 'to' (${req.from} > ${req.to})`);
  const used = new Set<Dimension>([...(req.by ? [req.by] : []), ...(Object.keys(req.filters) as Dimension[])]);

  // Which metrics can answer with these dimensions.
  const answerable = new Map<string, boolean>();
  for (const d of defs) {
    const ok = [...used].every((u) => d.dimensions.includes(u));
    answerable.set(d.key, ok);
    if (!ok)
      warnings.push(
        `${d.key} cannot be broken down or filtered by ${[...used].filter((u) => !d.dimensions.includes(u)).join(', ')}: its values are null.`,
      );
  }
  const answered = defs.filter((d) => answerable.get(d.key));
  const needInteractions = answered.some((d) => rollupOf(d) === 'interactions');
  const needSurveys = answered.some((d) => rollupOf(d) === 'surveys');

  const shift = (): AggregateQuery['shift'] | undefined => {
    if (req.compare !== 'previous') return undefined;
    if (req.grain === 'month') return { months: 1 };
    const first = periods[0]!;
    const prev = previousPeriod(first, req.grain);
    return { days: dayNumber(first.start) - dayNumber(prev.start) };
  };
  // Clipped to the first day any date may be (nothing is read for days before it): the periods
  // before 1900-01-01 compare with n = 0.
  const prevRange = (): { from: string; to: string } | null => {
    if (req.compare !== 'previous') return null;
    const first = previousPeriod(periods[0]!, req.grain);
    const last = previousPeriod(periods[periods.length - 1]!, req.grain);
    if (dayNumber(last.end) < MIN_DAY) return null;
    return { from: dayNumber(first.start) < MIN_DAY ? DATE_RANGE.min : first.start, to: last.end };
  };

  type Bucket = { interactions?: AggregateRow; surveys?: AggregateRow; hist?: Map<number, number> };
  const current = new Map<string, Bucket>();
  const previous = new Map<string, Bucket>();
  const dims = new Map<string, unknown>(); // dimension values seen, by their key

  const load = async (
    source: EventSource,
    into: Map<string, Bucket>,
    range: { from: string; to: string },
    prev: boolean,
  ) => {
    const table = chooseTable(source, used);
    if (!table) return;
    const q: AggregateQuery = {
      table,
      source,
      measures: measuresFor(answered, source),
      grain: req.grain,
      by: req.by,
      filters,
      from: range.from,
      to: range.to,
      shift: prev ? shift() : undefined,
    };
    const [rows, hist] = await Promise.all([
      aggregate(database, q),
      answered.some((d) => d.compute.histogram && rollupOf(d) === source)
        ? waitHistogram(database, q)
        : Promise.resolve(null),
    ]);
    for (const r of rows) {
      const k = key(r.label, r.dim);
      const b = into.get(k) ?? {};
      b[source] = r;
      if (hist) b.hist = hist.get(k);
      into.set(k, b);
      if (!prev && req.by) dims.set(String(r.dim ?? ''), r.dim);
    }
  };
  const range = { from: req.from, to: req.to };
  const pr = prevRange();
  const orgNeeded = answered.some((d) => rollupOf(d) === null);
  // Everything the request needs is read at once (PostgreSQL answers on several connections).
  const [org, goalRows] = await Promise.all([
    orgNeeded ? orgFor(ref, filters.teamIds) : null,
    req.compare === 'target' ? database.db.select().from(goals).where(inArray(goals.metric, keys)) : [],
    needInteractions ? load('interactions', current, range, false) : null,
    needSurveys ? load('surveys', current, range, false) : null,
    needInteractions && pr ? load('interactions', previous, pr, true) : null,
    needSurveys && pr ? load('surveys', previous, pr, true) : null,
  ]);
  if (org && req.by === 'team') for (const r of org.agents) dims.set(String(r.team_id), r.team_id);
  // Churn, CLV and referrals by segment: every segment with customers or referrals, within the filter
  // (agent metrics have no segment: they cannot answer by it).
  if (org && req.by === 'segment') {
    for (const id of segmentsWithCustomers(ref))
      if (!filters.segmentIds || filters.segmentIds.includes(id)) dims.set(String(id), id);
  }
  /** The customers and referrals a value counts: the row's segment, the filter's segments, or all. */
  const customerRows = (dimRaw: unknown) =>
    req.by === 'segment'
      ? segmentRows(ref, [Number(dimRaw)])
      : filters.segmentIds
        ? segmentRows(ref, filters.segmentIds)
        : org!;
  const orgRows = (dimRaw: unknown): OrgRows => {
    const { customers, referrals } = customerRows(dimRaw);
    return { customers, referrals, agents: org!.agents, team: req.by === 'team' ? Number(dimRaw) : undefined };
  };

  /** A metric's value from its entry: an event metric without a rollup row is empty. */
  const valueOf = (d: MetricEntry, b: Bucket | undefined, p: Period, dimRaw: unknown): Value => {
    if (!answerable.get(d.key)) return { value: null, n: 0 };
    const rollup = rollupOf(d);
    const row = rollup ? b?.[rollup] : undefined;
    if (rollup && !row) return { value: null, n: 0 };
    return d.compute.value({ m: row?.m ?? NO_MEASURES, hist: b?.hist, period: p, org: () => orgRows(dimRaw) });
  };

  // Rows come out in their answer's order: dimension values in order (wait buckets in their
  // natural order, others by name, "none" last), each over its periods in time; values that order
  // alike go period by period. Ordering the few values, not sorting every row, keeps a large
  // answer from holding the event loop (100,000 rows sorted by localeCompare took ~1 s).
  const orderOf = (raw: unknown) => {
    const v = dimLabel(req.by, raw, lookups);
    if (v === null) return '\uffff';
    return req.by === 'wait_bucket'
      ? String(WAIT_BUCKETS.indexOf(v as (typeof WAIT_BUCKETS)[number]))
      : v.toLowerCase();
  };
  const groups: Array<Array<[string, unknown]>> = [];
  if (req.by) {
    const byOrder = new Map<string, Array<[string, unknown]>>();
    for (const entry of dims.entries()) {
      const o = orderOf(entry[1]);
      const g = byOrder.get(o);
      if (g) g.push(entry);
      else byOrder.set(o, [entry]);
    }
    for (const o of [...byOrder.keys()].sort((a, b) => a.localeCompare(b))) groups.push(byOrder.get(o)!);
  } else {
    groups.push([['', null]]);
  }
  const rows: MetricsRow[] = [];
  for (const group of groups) {
    for (const p of periods) {
      for (const [dk, dimRaw] of group) {
        // Other requests (health, the wallboard) get their turn while a large answer is built.
        if (rows.length % YIELD_ROWS === YIELD_ROWS - 1) await new Promise((resolve) => setImmediate(resolve));
        const values: Record<string, MetricValue> = {};
        const prevP = req.compare === 'previous' ? previousPeriod(p, req.grain) : null;
        for (const d of defs) {
          const bk = key(p.label, dimRaw ?? (req.by ? dk : null));
          const v: MetricValue = clampToRange(d, valueOf(d, current.get(bk), p, dimRaw));
          if (v.value === null && v.low === undefined && d.interval !== 'none') {
            v.low = null;
            v.high = null;
          }
          if (prevP) {
            const pv = valueOf(d, previous.get(bk), prevP, dimRaw);
            v.previous = { value: pv.value, n: pv.n };
            v.change = v.value !== null && pv.value !== null ? v.value - pv.value : null;
            v.significant = significance(d, current.get(bk), previous.get(bk), v, pv);
          }
          if (req.compare === 'target') {
            const agentTeam = req.by === 'agent' ? lookups.agentById.get(Number(dimRaw))?.teamId : undefined;
            const teamExt =
              req.by === 'team'
                ? dimLabel('team', dimRaw, lookups)
                : agentTeam !== undefined
                  ? (lookups.teamById.get(agentTeam) ?? null)
                  : req.filters.team?.length === 1
                    ? req.filters.team[0]!
                    : null;
            const goal = goalFor(goalRows, d.key, teamExt, p.end, lookups);
            v.target = goal?.target ?? null;
            v.met =
              goal && v.value !== null
                ? d.better === 'lower'
                  ? v.value <= goal.target
                  : v.value >= goal.target
                : null;
          }
          if (req.minN !== undefined && v.n < req.minN && d.interval !== 'none') {
            values[d.key] = {
              value: null,
              n: v.n,
              low: null,
              high: null,
              suppressed: true,
              ...(v.target !== undefined ? { target: v.target, met: null } : {}),
            };
            continue;
          }
          values[d.key] = v;
        }
        const row: MetricsRow = { period: p.label, from: p.start, to: p.end, values };
        if (req.by) row[req.by] = dimLabel(req.by, dimRaw, lookups);
        rows.push(row);
      }
    }
  }
  return { rows, meta: { metrics: keys, added_partners: added, warnings } };
}

/** A value of n = 0 is null; intervals stay within what the metric can be (a wait is never negative). */
function clampToRange(d: MetricDefinition, v: Value): MetricValue {
  const out: MetricValue = { ...v };
  if (out.n === 0) out.value = null;
  const [lo, hi] = d.range;
  if (typeof out.low === 'number') out.low = Math.min(hi, Math.max(lo, out.low));
  if (typeof out.high === 'number') out.high = Math.min(hi, Math.max(lo, out.high));
  return out;
}

function goalFor(
  rows: Array<typeof goals.$inferSelect>,
  metricKey: string,
  teamExt: string | null,
  day: string,
  l: Lookups,
) {
  const inForce = rows.filter(
    (g) => g.metric === metricKey && g.validFrom <= day && (g.validTo === null || g.validTo >= day),
  );
  const teamGoal = teamExt ? inForce.find((g) => g.teamId !== null && l.teamById.get(g.teamId) === teamExt) : undefined;
  return teamGoal ?? inForce.find((g) => g.teamId === null);
}

/** Is the change distinguishable from noise at 95%? The entry's test judges; without one, null. */
function significance(
  d: MetricEntry,
  cur: { interactions?: AggregateRow; surveys?: AggregateRow } | undefined,
  prev: { interactions?: AggregateRow; surveys?: AggregateRow } | undefined,
  v: Value,
  pv: Value,
): boolean | null {
  if (v.value === null || pv.value === null || !d.compute.change) return null;
  const rollup = rollupOf(d);
  const cm = rollup ? cur?.[rollup]?.m : NO_MEASURES;
  const pm = rollup ? prev?.[rollup]?.m : NO_MEASURES;
  if (!cm || !pm) return null;
  return d.compute.change({ value: v.value, n: v.n, m: cm }, { value: pv.value, n: pv.n, m: pm });
}
