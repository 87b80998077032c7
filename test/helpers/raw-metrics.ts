// Every metric computed straight from raw records, in TypeScript, with nothing
// shared with the engine (no rollups, no api/metrics code): the oracle of the property test.
//
// Conventions (the metric definitions, the data contract, the API shape):
// - Periods are local calendar days in the organisation's time zone (Intl), grouped into ISO
//   weeks (Monday start, `2024-W07`), months (`2024-02`) or `total`, each clipped to [from, to].
// - Interaction metrics count by occurred_at, survey metrics by responded_at, referrals by
//   referred_at (local day); customer and agent dates are plain dates.
// - A survey's team, agent and channel are its own, else its interaction's; its team falls back to
//   the team of its (effective) agent. Its channel, journey stage, contact reason and wait bucket
//   are those of its interaction (none without one).
// - A record's segment is its customer's (case-folded; none without a customer or segment): an
//   interaction's customer, a survey's own else its interaction's, a referral's referrer. Churn,
//   CLV and referral rate by segment count that segment's customers only.
// - Active at day S: started/hired on or before S (or no date) and not churned/left before S
//   (churned_on/left_on null or ≥ S). Churned/left within the period: the date falls in [S, E].
//   The numerator counts every churn/leave dated within the period (the literal definition).
// - A metric whose dimensions do not include every dimension used (by + filters) is null, n 0.

export type Grain = 'day' | 'week' | 'month' | 'total';
export type Dim = 'team' | 'agent' | 'channel' | 'journey_stage' | 'contact_reason' | 'wait_bucket' | 'segment';
export type FilterName = 'team' | 'agent' | 'channel' | 'journey_stage' | 'contact_reason' | 'segment';

export interface RawAgent {
  id: string;
  team: string;
  hiredOn?: string | null;
  leftOn?: string | null;
}
export interface RawCustomer {
  id: string;
  segment?: string | null;
  startedOn?: string | null;
  churnedOn?: string | null;
  monthlyValue?: number | null;
}
export interface RawInteraction {
  id: string;
  /** An instant: ISO 8601 with Z or an offset. */
  occurredAt: string;
  team: string;
  channel: string;
  agent?: string | null;
  customer?: string | null;
  journeyStage?: string | null;
  contactReason?: string | null;
  answered: boolean;
  wait?: number | null;
  handle?: number | null;
  resolved?: boolean | null;
}
export interface RawSurvey {
  id: string;
  respondedAt: string;
  interaction?: string | null;
  team?: string | null;
  agent?: string | null;
  customer?: string | null;
  csat?: number | null;
  nps?: number | null;
  effort?: number | null;
}
export interface RawReferral {
  id: string;
  referredAt: string;
  customer: string;
}

export interface RawDataset {
  agents: RawAgent[];
  customers: RawCustomer[];
  interactions: RawInteraction[];
  surveys: RawSurvey[];
  referrals: RawReferral[];
}

export interface RawRequest {
  metrics: string[];
  from: string;
  to: string;
  grain: Grain;
  by?: Dim;
  filters: Partial<Record<FilterName, string[]>>;
}

export interface RawValue {
  value: number | null;
  n: number;
}

// ——— calendar ———

/** The last day of a month, given as YYYY-MM or any day of it. */
const monthEnd = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
};

const DAY_MS = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
export const plusDays = (d: string, n: number) => iso(ms(d) + n * DAY_MS);

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The local calendar day of an instant in a time zone. */
export function localDay(instant: string, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f)
    formatters.set(
      timeZone,
      (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })),
    );
  const parts = Object.fromEntries(f.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** ISO 8601 week label, by the rule "the week belongs to the year of its Thursday". */
export function isoWeekLabel(d: string): string {
  const dow = (new Date(ms(d)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = plusDays(d, 3 - dow);
  const year = thursday.slice(0, 4);
  // Week number = 1 + number of whole weeks between the year's first Thursday and this Thursday.
  let firstThursday = `${year}-01-01`;
  while (new Date(ms(firstThursday)).getUTCDay() !== 4) firstThursday = plusDays(firstThursday, 1);
  const week = 1 + Math.round((ms(thursday) - ms(firstThursday)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function labelOf(d: string, grain: Grain): string {
  return grain === 'day' ? d : grain === 'week' ? isoWeekLabel(d) : grain === 'month' ? d.slice(0, 7) : 'total';
}

export interface RawPeriod {
  label: string;
  start: string;
  end: string;
}

/** The periods from `from` to `to`, built day by day: consecutive days with the same label. */
export function rawPeriods(from: string, to: string, grain: Grain): RawPeriod[] {
  const out: RawPeriod[] = [];
  for (let d = from; d <= to; d = plusDays(d, 1)) {
    const label = labelOf(d, grain);
    const last = out[out.length - 1];
    if (last && last.label === label) last.end = d;
    else out.push({ label, start: d, end: d });
  }
  return out;
}

/**
 * The period before, of the same kind: the day before; the same days of the week before; the
 * same days of the month before (a day past its end taken as its last day, and a period that runs
 * to its month's end compared with the whole month before); for total, as many days just before.
 */
export function rawPreviousPeriod(p: RawPeriod, grain: Grain): RawPeriod {
  const days = Math.round((ms(p.end) - ms(p.start)) / DAY_MS) + 1;
  if (grain === 'day' || grain === 'week' || grain === 'total') {
    const back = grain === 'day' ? 1 : grain === 'week' ? 7 : days;
    return {
      label: labelOf(plusDays(p.start, -back), grain),
      start: plusDays(p.start, -back),
      end: plusDays(p.end, -back),
    };
  }
  const [y, m] = p.start.split('-').map(Number) as [number, number];
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const last = monthEnd(prev);
  const sameDay = (d: string) => {
    const candidate = `${prev}-${d.slice(8)}`;
    return Number(d.slice(8)) > Number(last.slice(8)) ? last : candidate;
  };
  return { label: prev, start: sameDay(p.start), end: p.end === monthEnd(p.start.slice(0, 7)) ? last : sameDay(p.end) };
}

// ——— helpers ———

const fold = (s: string | null | undefined) => (s == null || s.trim() === '' ? null : s.trim().toLowerCase());
const prop = (x: number, n: number): RawValue => ({ value: n > 0 ? x / n : null, n });
const mean = (xs: number[]): RawValue => ({
  value: xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null,
  n: xs.length,
});

/** PostgreSQL percentile_cont(q): linear interpolation at 0-based position q·(n − 1). */
export function percentileCont(xs: number[], q: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const h = q * (s.length - 1);
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export function waitBucketLabel(wait: number | null | undefined): string | null {
  if (wait == null) return null;
  return wait < 30 ? '0-30' : wait < 60 ? '30-60' : wait < 120 ? '60-120' : wait < 300 ? '120-300' : '300+';
}

const METRIC_DIMS: Record<string, readonly Dim[]> = (() => {
  const event: Dim[] = ['team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'segment'];
  const survey: Dim[] = [...event, 'wait_bucket'];
  return {
    contacts: event,
    abandon_rate: event,
    wait_avg: event,
    wait_p90: event,
    handle_avg: event,
    resolution_rate: event,
    response_rate: event,
    csat: survey,
    csat_avg: survey,
    nps: survey,
    effort_avg: survey,
    churn_rate: ['segment'],
    clv: ['segment'],
    referrals: ['segment'],
    referral_rate: ['segment'],
    employee_retention: ['team'],
    employee_retention_12m: ['team'],
  };
})();

/** A record's dimension values, as the API shows them (journey stages and reasons case-folded). */
interface Dims {
  team: string | null;
  agent: string | null;
  channel: string | null;
  journey_stage: string | null;
  contact_reason: string | null;
  wait_bucket: string | null;
  segment: string | null;
}

export interface RawContext {
  data: RawDataset;
  timeZone: string;
  interactions: Array<RawInteraction & { day: string; dims: Dims }>;
  surveys: Array<RawSurvey & { day: string; linked: boolean; dims: Dims }>;
  referrals: Array<RawReferral & { day: string }>;
}

export function prepare(data: RawDataset, timeZone: string): RawContext {
  const agentTeam = new Map(data.agents.map((a) => [a.id, a.team]));
  const byId = new Map(data.interactions.map((i) => [i.id, i]));
  const segmentOf = segmentsOf(data);
  const interactions = data.interactions.map((i) => ({
    ...i,
    day: localDay(i.occurredAt, timeZone),
    dims: {
      team: i.team,
      agent: i.agent ?? null,
      channel: i.channel,
      journey_stage: fold(i.journeyStage),
      contact_reason: fold(i.contactReason),
      wait_bucket: null,
      segment: segmentOf(i.customer),
    },
  }));
  const surveys = data.surveys.map((s) => {
    const i = s.interaction ? byId.get(s.interaction) : undefined;
    const agent = s.agent ?? i?.agent ?? null;
    const team = s.team ?? i?.team ?? (agent ? (agentTeam.get(agent) ?? null) : null);
    return {
      ...s,
      day: localDay(s.respondedAt, timeZone),
      linked: i !== undefined,
      dims: {
        team,
        agent,
        channel: i?.channel ?? null,
        journey_stage: fold(i?.journeyStage),
        contact_reason: fold(i?.contactReason),
        wait_bucket: waitBucketLabel(i?.wait),
        segment: segmentOf(s.customer ?? i?.customer),
      },
    };
  });
  const referrals = data.referrals.map((r) => ({ ...r, day: localDay(r.referredAt, timeZone) }));
  return { data, timeZone, interactions, surveys, referrals };
}

/** A customer's segment, case-folded (null: no customer, or none given). */
const segmentsOf = (data: RawDataset) => {
  const bySegment = new Map(data.customers.map((c) => [c.id, fold(c.segment)]));
  return (customer: string | null | undefined) => (customer ? (bySegment.get(customer) ?? null) : null);
};

function matches(dims: Dims, filters: RawRequest['filters']): boolean {
  for (const [name, values] of Object.entries(filters) as Array<[FilterName, string[] | undefined]>) {
    if (!values) continue;
    const wanted =
      name === 'journey_stage' || name === 'contact_reason' || name === 'segment' ? values.map((v) => fold(v)) : values;
    if (!wanted.includes(dims[name])) return false;
  }
  return true;
}

// ——— organisation metrics ———

const activeAt = (start: string | null | undefined, end: string | null | undefined, day: string) =>
  (start == null || start <= day) && (end == null || end >= day);
const within = (d: string | null | undefined, s: string, e: string) => d != null && d >= s && d <= e;

function activeCustomers(customers: RawCustomer[], day: string) {
  return customers.filter((c) => activeAt(c.startedOn, c.churnedOn, day));
}

export function rawChurnRate(customers: RawCustomer[], s: string, e: string): RawValue {
  return prop(customers.filter((c) => within(c.churnedOn, s, e)).length, activeCustomers(customers, s).length);
}

/** The month `k` months before the month YYYY-MM. */
function monthBack(ym: string, k: number): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const dt = new Date(Date.UTC(y, m - 1 - k, 1));
  return dt.toISOString().slice(0, 7);
}

/**
 * Mean monthly value of customers active at s ÷ mean churn_rate of 12 calendar months: those
 * ending with e's month when e is its last day, else with the month before e's month.
 */
export function rawClv(customers: RawCustomer[], s: string, e: string): RawValue {
  const valued = activeCustomers(customers, s).filter((c) => c.monthlyValue != null);
  const lastMonth = e === monthEnd(e) ? e.slice(0, 7) : monthBack(e.slice(0, 7), 1);
  const rates: number[] = [];
  for (let k = 0; k < 12; k++) {
    const month = monthBack(lastMonth, k);
    const r = rawChurnRate(customers, `${month}-01`, monthEnd(month));
    if (r.value !== null) rates.push(r.value);
  }
  const meanRate = rates.length ? rates.reduce((x, r) => x + r, 0) / rates.length : 0;
  const meanValue = valued.length ? valued.reduce((x, c) => x + c.monthlyValue!, 0) / valued.length : null;
  return { value: meanRate > 0 && meanValue !== null ? meanValue / meanRate : null, n: valued.length };
}

export function rawEmployeeRetention(agents: RawAgent[], s: string, e: string): RawValue {
  const active = agents.filter((a) => activeAt(a.hiredOn, a.leftOn, s)).length;
  const left = agents.filter((a) => within(a.leftOn, s, e)).length;
  return { value: active > 0 ? 1 - left / active : null, n: active };
}

/**
 * Retention over the 12 months ending on e (12 calendar months when e is a month's last day, else
 * from the day after the same date a year earlier): 1 − leavers in it ÷ the mean of the agents
 * employed at its first day's start and at e's end; floored at 0.
 */
export function rawEmployeeRetention12m(agents: RawAgent[], e: string): RawValue {
  const s =
    e === monthEnd(e) ? `${monthBack(e.slice(0, 7), 11)}-01` : plusDays(`${Number(e.slice(0, 4)) - 1}${e.slice(4)}`, 1);
  const atStart = agents.filter((a) => activeAt(a.hiredOn, a.leftOn, s)).length;
  const atEnd = agents.filter(
    (a) => (a.hiredOn == null || a.hiredOn <= e) && (a.leftOn == null || a.leftOn > e),
  ).length;
  const left = agents.filter((a) => within(a.leftOn, s, e)).length;
  const n = (atStart + atEnd) / 2;
  return { value: n > 0 ? Math.max(0, 1 - left / n) : null, n };
}

// ——— one cell ———

/** The value of one metric for one period and one dimension value (`dimValue` as the API labels it, journey stages case-folded). */
export function rawValue(
  ctx: RawContext,
  req: RawRequest,
  key: string,
  p: RawPeriod,
  dimValue: string | null,
): RawValue {
  const used = new Set<Dim>([...(req.by ? [req.by] : []), ...(Object.keys(req.filters) as Dim[])]);
  if (![...used].every((u) => METRIC_DIMS[key]!.includes(u))) return { value: null, n: 0 };
  const inCell = (day: string, dims: Dims) =>
    day >= p.start && day <= p.end && matches(dims, req.filters) && (!req.by || dims[req.by] === dimValue);
  const ints = () => ctx.interactions.filter((i) => inCell(i.day, i.dims));
  const answered = () => ints().filter((i) => i.answered);
  const survs = () => ctx.surveys.filter((s) => inCell(s.day, s.dims));
  // Churn, CLV and referrals: the customers (and referrers) of the segments asked for.
  const segmentOf = segmentsOf(ctx.data);
  const segmentIn = (segment: string | null) =>
    (!req.filters.segment || req.filters.segment.map(fold).includes(segment)) &&
    (req.by !== 'segment' || segment === dimValue);
  const customers = ctx.data.customers.filter((c) => segmentIn(fold(c.segment)));
  const referrals = ctx.referrals.filter((r) => segmentIn(segmentOf(r.customer)));
  switch (key) {
    case 'contacts': {
      const n = ints().length;
      return { value: n > 0 ? n : null, n }; // a value with n = 0 is null
    }
    case 'abandon_rate': {
      const xs = ints();
      return prop(xs.filter((i) => !i.answered).length, xs.length);
    }
    case 'wait_avg':
      return mean(
        answered()
          .filter((i) => i.wait != null)
          .map((i) => i.wait!),
      );
    case 'wait_p90': {
      const xs = answered()
        .filter((i) => i.wait != null)
        .map((i) => i.wait!);
      return { value: percentileCont(xs, 0.9), n: xs.length };
    }
    case 'handle_avg':
      return mean(
        answered()
          .filter((i) => i.handle != null)
          .map((i) => i.handle!),
      );
    case 'resolution_rate': {
      const xs = answered().filter((i) => i.resolved != null);
      return prop(xs.filter((i) => i.resolved).length, xs.length);
    }
    case 'response_rate': {
      // Answered interactions of the cell with any survey about them, whenever it was answered.
      const surveyed = new Set(ctx.data.surveys.map((s) => s.interaction).filter((x): x is string => x != null));
      const xs = answered();
      return prop(xs.filter((i) => surveyed.has(i.id)).length, xs.length);
    }
    case 'csat': {
      const xs = survs().filter((s) => s.csat != null);
      return prop(xs.filter((s) => s.csat! >= 4).length, xs.length);
    }
    case 'csat_avg':
      return mean(
        survs()
          .filter((s) => s.csat != null)
          .map((s) => s.csat!),
      );
    case 'effort_avg':
      return mean(
        survs()
          .filter((s) => s.effort != null)
          .map((s) => s.effort!),
      );
    case 'nps': {
      const xs = survs().filter((s) => s.nps != null);
      const promoters = xs.filter((s) => s.nps! >= 9).length;
      const detractors = xs.filter((s) => s.nps! <= 6).length;
      return { value: xs.length ? (100 * (promoters - detractors)) / xs.length : null, n: xs.length };
    }
    case 'churn_rate':
      return rawChurnRate(customers, p.start, p.end);
    case 'clv':
      return rawClv(customers, p.start, p.end);
    case 'referrals': {
      const n = referrals.filter((r) => r.day >= p.start && r.day <= p.end).length;
      return { value: n > 0 ? n : null, n };
    }
    case 'referral_rate': {
      const x = referrals.filter((r) => r.day >= p.start && r.day <= p.end).length;
      const n = activeCustomers(customers, p.start).length;
      return { value: n > 0 ? (100 * x) / n : null, n };
    }
    case 'employee_retention':
    case 'employee_retention_12m': {
      const inScope = (team: string) =>
        (!req.filters.team || req.filters.team.includes(team)) && (req.by !== 'team' || team === dimValue);
      const agents = ctx.data.agents.filter((a) => inScope(a.team));
      return key === 'employee_retention'
        ? rawEmployeeRetention(agents, p.start, p.end)
        : rawEmployeeRetention12m(agents, p.end);
    }
  }
  throw new Error(`no raw definition for metric ${key}`);
}

/**
 * Every value a dimension can take in the data (as labelled by the API, case-folded), plus none —
 * except for agents: by=agent covers only records with an agent (the agent rollups hold no others).
 */
export function dimensionValues(ctx: RawContext, by: Dim): Array<string | null> {
  const set = new Set<string | null>([null]);
  for (const i of ctx.interactions) set.add(i.dims[by]);
  for (const s of ctx.surveys) set.add(s.dims[by]);
  if (by === 'team') for (const a of ctx.data.agents) set.add(a.team);
  if (by === 'segment') for (const c of ctx.data.customers) set.add(fold(c.segment));
  if (by === 'wait_bucket') for (const b of ['0-30', '30-60', '60-120', '120-300', '300+']) set.add(b);
  if (by === 'agent') set.delete(null);
  return [...set];
}
