// The weekly review in one answer: the five pairs for an ISO week with change vs the
// previous week and the goal in force, 13-week paired trends, CSAT by wait bucket (the week and
// its 13-week baseline), contact reasons that moved, journey stages, channels, the annotations of
// the trend range, the featured quote and the CX statement.
//
// Every number comes from runMetrics with the same parameters a client would give
// GET /api/v1/metrics; `meta.queries` lists those requests so anyone can check the page.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { MetricsRequest, MetricsResult, MetricValue, Scope } from '../metrics/engine';
import { orEmpty, ViewQueries } from './queries';
import { addDays, daysBetween, isoWeek, weekLabelStart, weekStart } from '../metrics/periods';
import { DATE_RANGE } from '../limits';
import { PAIRS } from '../metrics/registry';
import type { Role } from '../auth/tokens';
import { featuredFor, quoteScope, type FeaturedAnswer } from '../quotes/service';
import { listAnnotations, type AnnotationView } from '../annotations/store';
import { readSettings } from '../settings';

export const TREND_WEEKS = 13;
/** How many contact reasons the "moved" list keeps (by volume this week, then sorted by change). */
export const TOP_REASONS = 8;

export interface WeeklyFilters {
  team?: string;
  channel?: string;
}

export interface WeeklyRequest extends WeeklyFilters {
  /** ISO week label; default: the last complete week. */
  week?: string;
  today: string;
  /** The organisation's time zone (quote dates). */
  timeZone: string;
  /** Who asks (the quote is shaped for the role). */
  role: Role;
}

export interface MetricCell extends MetricValue {
  metric: string;
  /** 'organisation' when the team/channel filters do not apply to this metric (churn, CLV, referrals; retention by channel). */
  scope: 'filtered' | 'organisation';
}

export interface PairView {
  key: string;
  label: string;
  question: string;
  operational: MetricCell[];
  experiential: MetricCell[];
}

export interface TrendPoint {
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  target: number | null;
}

export interface WeeklyView {
  week: { label: string; from: string; to: string; previous: string; next: string | null; complete: boolean };
  data_weeks: { first: string | null; last: string | null };
  filters: { team: string | null; channel: string | null };
  /** The CX success statement, when one is set. */
  statement: string | null;
  pairs: PairView[];
  /** Abandonment and survey response rate beside the pairs: context for the Waiting pair and for n. */
  context: MetricCell[];
  trends: { weeks: Array<{ label: string; from: string; to: string }>; series: Record<string, TrendPoint[]> };
  patience: {
    baseline: { from: string; to: string };
    buckets: Array<{ bucket: string; week: MetricValue; baseline: MetricValue }>;
  };
  /** `rise`: contacts this week minus last week's (a reason absent last week rose by all of its contacts). */
  reasons: Array<{ reason: string; contacts: MetricValue; csat: MetricValue; rise: number }>;
  /** `stage` null: interactions and surveys without a journey stage. */
  stages: Array<{ stage: string | null; values: Record<string, MetricValue> }>;
  /** `channel` null: surveys not linked to an interaction. */
  channels: Array<{ channel: string | null; values: Record<string, MetricValue> }>;
  segments: SegmentsView;
  /** Annotations within the trend range (organisation-wide and the filtered team's). */
  annotations: AnnotationView[];
  /** The featured customer quote for the week (pinned, else newest approved, else automatic), or why there is none. */
  quote: FeaturedAnswer;
  meta: { queries: string[]; warnings: string[] };
}

/**
 * The Loyalty pair by customer segment: the week, and the trends' 13 weeks where a week is too
 * thin. Values with n under `min_n` are suppressed ("not enough responses"), with their n.
 */
export interface SegmentsView {
  metrics: string[];
  min_n: number;
  week: { from: string; to: string };
  window: { from: string; to: string };
  /** 'organisation' for churn and referral rate when the team/channel filters do not apply to them. */
  scope: Record<string, 'filtered' | 'organisation'>;
  /** `segment` null: customers without a segment, and surveys without a customer. */
  rows: Array<{ segment: string | null; week: Record<string, MetricValue>; window: Record<string, MetricValue> }>;
}

/** The Monday–Sunday of the last complete ISO week before `today`. */
export function lastCompleteWeek(today: string): string {
  return isoWeek(addDays(weekStart(today), -7));
}

export class WeekError extends Error {}

const PAIR_METRICS = [...new Set(PAIRS.flatMap((p) => [...p.operational, ...p.experiential]))];
const CONTEXT_METRICS = ['contacts', 'abandon_rate', 'response_rate'];
const TREND_METRICS = [...PAIR_METRICS];
const STAGE_METRICS = ['contacts', 'wait_avg', 'handle_avg', 'resolution_rate', 'csat', 'effort_avg'];
const CHANNEL_METRICS = ['contacts', 'abandon_rate', 'wait_avg', 'wait_p90', 'csat'];
/** Churn and referral rate of each segment's customers; NPS and CSAT of their surveys. */
const SEGMENT_CUSTOMER_METRICS = ['churn_rate', 'referral_rate'];
const SEGMENT_SURVEY_METRICS = ['nps', 'csat'];
/** A segment's value under this n is "not enough responses" (the coaching views' minimum). */
export const SEGMENT_MIN_N = 30;

const strip = orEmpty;

/** Builds the weekly review for one week and filters, as `scope` may see it. */
export async function weeklyView(database: Database, req: WeeklyRequest, scope: Scope = {}): Promise<WeeklyView> {
  const label = req.week ?? lastCompleteWeek(req.today);
  const from = weekLabelStart(label);
  if (!from) throw new WeekError(`'${label}' is not an ISO week such as ${lastCompleteWeek(req.today)}`);
  const to = addDays(from, 6);
  // The trends start 12 weeks earlier, but never before the first day a date may be (fewer weeks then).
  const trendFrom =
    daysBetween(DATE_RANGE.min, from) < 7 * (TREND_WEEKS - 1)
      ? weekStart(addDays(DATE_RANGE.min, 6))
      : addDays(from, -7 * (TREND_WEEKS - 1));
  const filters: MetricsRequest['filters'] = {};
  if (req.team) filters.team = [req.team];
  if (req.channel) filters.channel = [req.channel];

  const q = new ViewQueries(database, scope);
  const run = (r: MetricsRequest) => q.run(r);
  const runSupported = (r: Omit<MetricsRequest, 'filters'>) => q.supported(r, filters);
  const week = { from, to, grain: 'week' as const };
  // Churn and referrals are the organisation's customers: the team and channel filters do not apply.
  const bySegment = (f: string, t: string) =>
    Promise.all([
      run({
        from: f,
        to: t,
        grain: 'total',
        filters: {},
        by: 'segment',
        metrics: SEGMENT_CUSTOMER_METRICS,
        minN: SEGMENT_MIN_N,
      }),
      run({
        from: f,
        to: t,
        grain: 'total',
        filters,
        by: 'segment',
        metrics: SEGMENT_SURVEY_METRICS,
        minN: SEGMENT_MIN_N,
      }),
    ]);
  const [
    current,
    targets,
    trends,
    patienceWeek,
    patienceBase,
    reasons,
    stages,
    channels,
    range,
    settings,
    marks,
    quote,
    segmentsWeek,
    segmentsWindow,
  ] = await Promise.all([
    runSupported({ ...week, metrics: [...PAIR_METRICS, ...CONTEXT_METRICS], compare: 'previous' }),
    runSupported({ ...week, metrics: PAIR_METRICS, compare: 'target' }),
    runSupported({ from: trendFrom, to, grain: 'week', metrics: TREND_METRICS, compare: 'target' }),
    run({ from, to, grain: 'total', filters, by: 'wait_bucket', metrics: ['csat'] }),
    run({ from: trendFrom, to, grain: 'total', filters, by: 'wait_bucket', metrics: ['csat'] }),
    run({ ...week, filters, by: 'contact_reason', metrics: ['contacts', 'csat'], compare: 'previous' }),
    run({ from, to, grain: 'total', filters, by: 'journey_stage', metrics: STAGE_METRICS }),
    req.channel ? null : run({ from, to, grain: 'total', filters, by: 'channel', metrics: CHANNEL_METRICS }),
    dataWeeks(database),
    readSettings(database.db),
    listAnnotations(database.db, { from: trendFrom, to, team: req.team, scopeTeams: scope.teams }),
    weekQuote(database, { from, to, tz: req.timeZone }, req, scope),
    bySegment(from, to),
    bySegment(trendFrom, to),
  ]);

  const now = current.rows[0]?.values ?? {};
  const goal = targets.rows[0]?.values ?? {};
  const cell = (key: string): MetricCell => {
    const v = strip(now[key]);
    const t = goal[key];
    return {
      metric: key,
      scope: current.scopeOf.get(key) ?? 'filtered',
      ...v,
      target: t?.target ?? null,
      met: t?.met ?? null,
    };
  };
  const pairs: PairView[] = PAIRS.map((p) => ({
    key: p.key,
    label: p.label,
    question: p.question,
    operational: p.operational.map(cell),
    experiential: p.experiential.map(cell),
  }));

  const series: Record<string, TrendPoint[]> = {};
  for (const key of TREND_METRICS) {
    series[key] = trends.rows.map((r) => {
      const v = strip(r.values[key]);
      return { value: v.value, n: v.n, low: v.low ?? null, high: v.high ?? null, target: v.target ?? null };
    });
  }

  const byBucket = (rows: typeof patienceWeek.rows) =>
    new Map(rows.map((r) => [String(r.wait_bucket), strip(r.values.csat)]));
  const pw = byBucket(patienceWeek.rows);
  const pb = byBucket(patienceBase.rows);
  // Surveys not linked to an interaction have no wait: they are not on the patience curve.
  const bucketOrder = [
    ...new Set(
      [...patienceBase.rows, ...patienceWeek.rows]
        .map((r) => r.wait_bucket)
        .filter((b) => b !== null && b !== undefined)
        .map(String),
    ),
  ];

  const reasonRows = reasons.rows
    .filter((r) => r.contact_reason !== null && r.contact_reason !== undefined)
    .map((r) => {
      const contacts = strip(r.values.contacts);
      return {
        reason: String(r.contact_reason),
        contacts,
        csat: strip(r.values.csat),
        rise: (contacts.value ?? 0) - (contacts.previous?.value ?? 0),
      };
    })
    .filter((r) => (r.contacts.value ?? 0) > 0)
    .sort((a, b) => (b.contacts.value ?? 0) - (a.contacts.value ?? 0) || a.reason.localeCompare(b.reason))
    .slice(0, TOP_REASONS)
    .sort((a, b) => b.rise - a.rise || (b.contacts.value ?? 0) - (a.contacts.value ?? 0));

  return {
    week: {
      label,
      from,
      to,
      previous: isoWeek(addDays(from, -7)),
      next: addDays(from, 7) <= req.today ? isoWeek(addDays(from, 7)) : null,
      complete: to < req.today,
    },
    data_weeks: range,
    filters: { team: req.team ?? null, channel: req.channel ?? null },
    statement: settings.cx_statement,
    pairs,
    context: CONTEXT_METRICS.map((k) => ({ metric: k, scope: current.scopeOf.get(k) ?? 'filtered', ...strip(now[k]) })),
    trends: { weeks: trends.rows.map((r) => ({ label: r.period, from: r.from, to: r.to })), series },
    patience: {
      baseline: { from: trendFrom, to },
      buckets: bucketOrder.map((bucket) => ({
        bucket,
        week: pw.get(bucket) ?? { value: null, n: 0 },
        baseline: pb.get(bucket) ?? { value: null, n: 0 },
      })),
    },
    reasons: reasonRows,
    stages: stages.rows.map((r) => ({
      stage: r.journey_stage === null ? null : String(r.journey_stage),
      values: Object.fromEntries(STAGE_METRICS.map((k) => [k, strip(r.values[k])])),
    })),
    annotations: marks,
    quote,
    channels: (channels?.rows ?? []).map((r) => ({
      channel: r.channel === null ? null : String(r.channel),
      values: Object.fromEntries(CHANNEL_METRICS.map((k) => [k, strip(r.values[k])])),
    })),
    segments: segmentsView(
      { from, to },
      { from: trendFrom, to },
      segmentsWeek,
      segmentsWindow,
      Object.keys(filters).length > 0,
    ),
    meta: {
      queries: q.queries,
      warnings: [
        ...new Set([...current.warnings, ...trends.warnings, ...reasons.meta.warnings, ...stages.meta.warnings]),
      ],
    },
  };
}

type SegmentResults = [MetricsResult, MetricsResult];

/** The week's and the window's values of each segment, merged from the customer and survey requests. */
function segmentsView(
  week: { from: string; to: string },
  window: { from: string; to: string },
  w: SegmentResults,
  long: SegmentResults,
  filtered: boolean,
): SegmentsView {
  const metrics = [...SEGMENT_CUSTOMER_METRICS, ...SEGMENT_SURVEY_METRICS];
  const label = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const segments = new Map<string, string | null>();
  for (const res of [...w, ...long])
    for (const r of res.rows) segments.set(label(r.segment) ?? '\u0000', label(r.segment));
  const valuesOf = (results: SegmentResults, segment: string | null) =>
    Object.fromEntries(
      metrics.map((k) => [
        k,
        strip(results.flatMap((res) => res.rows).find((r) => label(r.segment) === segment && r.values[k])?.values[k]),
      ]),
    );
  const rows = [...segments.values()]
    // By name, as the metrics answer them; "no segment" last.
    .sort((a, b) => (a === null ? 1 : b === null ? -1 : a.toLowerCase().localeCompare(b.toLowerCase())))
    .map((segment) => ({ segment, week: valuesOf(w, segment), window: valuesOf(long, segment) }));
  const scope = Object.fromEntries(
    metrics.map((k) => [k, filtered && SEGMENT_CUSTOMER_METRICS.includes(k) ? 'organisation' : 'filtered']),
  ) as SegmentsView['scope'];
  return { metrics, min_n: SEGMENT_MIN_N, week, window, scope, rows };
}

/** First and last ISO week with interactions (for the week picker's bounds), within the weeks the view accepts. */
async function dataWeeks(database: Database): Promise<{ first: string | null; last: string | null }> {
  const [row] = await database.rows<{ first: string | null; last: string | null }>(
    sql`select min(day)::text as first, max(day)::text as last from rollup_interactions_day
        where day between ${weekStart(addDays(DATE_RANGE.min, 6))}::date and ${addDays(weekStart(addDays(DATE_RANGE.max, -6)), 6)}::date`,
  );
  return { first: row?.first ? isoWeek(row.first) : null, last: row?.last ? isoWeek(row.last) : null };
}

/** The week's featured quote in the view's team scope (the metrics reject an unknown team first). */
async function weekQuote(
  database: Database,
  range: { from: string; to: string; tz: string },
  req: WeeklyRequest,
  scope: Scope,
): Promise<FeaturedAnswer> {
  const where = await quoteScope(database, req.team, scope.teams);
  if (!where) return { quote: null, source: null, reason: `There is no team '${req.team}'.` };
  return featuredFor(database, range, where, req.role);
}
