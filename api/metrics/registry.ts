// The organisation's shared language for its metrics, and the source of truth for computing them:
// every metric of the product as one entry — key, label, unit, kind, better-direction, pairs, a
// definition in plain words, its source — with `compute`: the rollup measures it sums, how its
// value, n and interval come from them (or from the organisation rows), and how a change is
// judged. Adding a metric means adding an entry here, or `registerMetric(entry)` at run time.
import type { Better, Unit } from '../shared/catalog';
import {
  countValue,
  meanOf,
  npsChange,
  npsValue,
  proportionChange,
  proportionOf,
  waitPercentile,
  type Computation,
} from './compute';
import { churnRate, clv, employeeRetention, employeeRetention12m, referralRate, referrals } from './organisation';
import { MEASURES, type EventSource } from './sources';

export const DIMENSIONS = [
  'team',
  'agent',
  'channel',
  'journey_stage',
  'contact_reason',
  'wait_bucket',
  'segment',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const GRAINS = ['day', 'week', 'month', 'total'] as const;
export type Grain = (typeof GRAINS)[number];

/** Where a metric's numbers come from (which rollups). */
export type Source = 'interactions' | 'surveys' | 'response' | 'customers' | 'referrals' | 'agents';

export type { Better, Unit } from '../shared/catalog';
export type IntervalMethod = 'wilson' | 't' | 'nps' | 'order_statistics' | 'none';

export const PAIR_KEYS = ['waiting', 'time_on_call', 'resolution', 'loyalty', 'people'] as const;
export type PairKey = (typeof PAIR_KEYS)[number];

export interface MetricDefinition {
  key: string;
  label: string;
  unit: Unit;
  kind: 'operational' | 'experiential';
  better: Better;
  pairs: PairKey[];
  definition: string;
  source: Source;
  interval: IntervalMethod;
  /** Dimensions the metric can be broken down or filtered by. */
  dimensions: readonly Dimension[];
  /** For efficiency metrics: the experiential metric always shown beside it. */
  partner?: string;
  /** Whether a goal may target it alone (time on call never is). */
  targetable: boolean;
  /** Valid range of a value (and so of a target). */
  range: [number, number];
}

/** A registry entry: the definition the catalog shows, and how the engine computes it. */
export interface MetricEntry extends MetricDefinition {
  compute: Computation;
}

// `segment`: the customer's (an interaction's, a survey's own else its interaction's, a referrer's).
const EVENT_DIMS: readonly Dimension[] = ['team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'segment'];
const SURVEY_DIMS: readonly Dimension[] = [
  'team',
  'agent',
  'channel',
  'journey_stage',
  'contact_reason',
  'wait_bucket',
  'segment',
];
const ORG: readonly Dimension[] = ['segment'];

const m = (d: MetricEntry) => d;

const BUILT_IN: readonly MetricEntry[] = [
  m({
    key: 'contacts',
    label: 'Contacts',
    unit: 'count',
    kind: 'operational',
    better: 'none',
    pairs: [],
    source: 'interactions',
    interval: 'none',
    dimensions: EVENT_DIMS,
    targetable: false,
    range: [0, Infinity],
    compute: { measures: ['contacts'], value: ({ m }) => countValue(m.contacts) },
    definition: 'Interactions in the period.',
  }),
  m({
    key: 'abandon_rate',
    label: 'Abandonment',
    unit: 'proportion',
    kind: 'operational',
    better: 'lower',
    pairs: ['waiting'],
    source: 'interactions',
    interval: 'wilson',
    dimensions: EVENT_DIMS,
    partner: 'csat',
    targetable: true,
    range: [0, 1],
    compute: proportionOf('abandoned', 'contacts'),
    definition: 'Share of interactions nobody answered (the customer gave up).',
  }),
  m({
    key: 'wait_avg',
    label: 'Average wait',
    unit: 'seconds',
    kind: 'operational',
    better: 'lower',
    pairs: ['waiting'],
    source: 'interactions',
    interval: 't',
    dimensions: EVENT_DIMS,
    partner: 'csat',
    targetable: true,
    range: [0, Infinity],
    compute: meanOf('wait_n', 'wait_sum', 'wait_sq'),
    definition: 'Mean seconds answered customers waited (average speed of answer).',
  }),
  m({
    key: 'wait_p90',
    label: 'Wait, 90th percentile',
    unit: 'seconds',
    kind: 'operational',
    better: 'lower',
    pairs: ['waiting'],
    source: 'interactions',
    interval: 'order_statistics',
    dimensions: EVENT_DIMS,
    partner: 'csat',
    targetable: true,
    range: [0, Infinity],
    compute: { measures: [], histogram: true, value: ({ hist }) => waitPercentile(hist, 0.9) },
    definition: 'Nine in ten answered customers waited at most this long.',
  }),
  m({
    key: 'handle_avg',
    label: 'Average handle time',
    unit: 'seconds',
    kind: 'operational',
    better: 'none',
    pairs: ['time_on_call'],
    source: 'interactions',
    interval: 't',
    dimensions: EVENT_DIMS,
    partner: 'csat',
    targetable: false,
    range: [0, Infinity],
    compute: meanOf('handle_n', 'handle_sum', 'handle_sq'),
    definition: 'Mean seconds spent on answered interactions (time on call): never a target on its own.',
  }),
  m({
    key: 'resolution_rate',
    label: 'Resolution',
    unit: 'proportion',
    kind: 'operational',
    better: 'higher',
    pairs: ['resolution'],
    source: 'interactions',
    interval: 'wilson',
    dimensions: EVENT_DIMS,
    targetable: true,
    range: [0, 1],
    compute: proportionOf('resolved_yes', 'resolved_n'),
    definition: 'Share of answered interactions that resolved the customer’s need, of those where it is known.',
  }),
  m({
    key: 'churn_rate',
    label: 'Churn',
    unit: 'proportion',
    kind: 'operational',
    better: 'lower',
    pairs: ['loyalty'],
    source: 'customers',
    interval: 'wilson',
    dimensions: ORG,
    targetable: true,
    range: [0, 1],
    compute: {
      measures: [],
      value: ({ org, period: p }) => churnRate(org().customers, p.start, p.end),
      change: proportionChange(),
    },
    definition: 'Share of customers active at the start of the period who left during it.',
  }),
  m({
    key: 'clv',
    label: 'Customer lifetime value',
    unit: 'currency',
    kind: 'operational',
    better: 'higher',
    pairs: ['loyalty'],
    source: 'customers',
    interval: 'none',
    dimensions: ORG,
    targetable: true,
    range: [0, Infinity],
    compute: { measures: [], value: ({ org, period: p }) => clv(org().customers, p.start, p.end) },
    definition:
      'Mean monthly value of the customers active at the start of the period ÷ the mean monthly churn rate (churn_rate of each calendar month, months without customers left out) over 12 complete months: those ending with the period’s month when the period ends on its last day, else with the month before the one holding its last day (a week, a day, a partial month); empty without churn in them.',
  }),
  m({
    key: 'employee_retention_12m',
    label: 'Employee retention, 12 months',
    unit: 'proportion',
    kind: 'operational',
    better: 'higher',
    pairs: ['people'],
    source: 'agents',
    interval: 'wilson',
    dimensions: ['team'],
    targetable: true,
    range: [0, 1],
    // No change test: consecutive 12-month windows share 11 months of agents (not independent samples).
    compute: { measures: [], value: ({ org, period: p }) => employeeRetention12m(org().agents, p.end, org().team) },
    definition:
      'Annual retention, the People pair’s figure a goal targets: 1 − agents who left in the 12 months ending with the period’s last day (12 calendar months when that is a month’s last day) ÷ the average headcount n, the mean of the agents employed at the start of those 12 months and at their end; floored at 0.',
  }),
  // A week or a day rarely sees anyone leave, so the period figure is nearly always 1: shown
  // beside the 12-month figure, never a goal of its own.
  m({
    key: 'employee_retention',
    label: 'Employee retention, period',
    unit: 'proportion',
    kind: 'operational',
    better: 'higher',
    pairs: ['people'],
    source: 'agents',
    interval: 'wilson',
    dimensions: ['team'],
    targetable: false,
    range: [0, 1],
    compute: {
      measures: [],
      value: ({ org, period: p }) => employeeRetention(org().agents, p.start, p.end, org().team),
      change: proportionChange({ complement: true }),
    },
    definition:
      'Share of agents employed at the start of the period who stayed through it (goals target employee_retention_12m).',
  }),
  m({
    key: 'referrals',
    label: 'Referrals',
    unit: 'count',
    kind: 'experiential',
    better: 'higher',
    pairs: [],
    source: 'referrals',
    interval: 'none',
    dimensions: ORG,
    targetable: true,
    range: [0, Infinity],
    compute: { measures: [], value: ({ org, period: p }) => referrals(org().referrals, p.start, p.end) },
    definition: 'Customers referred by existing customers in the period.',
  }),
  m({
    key: 'referral_rate',
    label: 'Referral rate',
    unit: 'per_100',
    kind: 'experiential',
    better: 'higher',
    pairs: ['loyalty'],
    source: 'referrals',
    interval: 'wilson',
    dimensions: ORG,
    targetable: true,
    range: [0, Infinity],
    compute: {
      measures: [],
      value: ({ org, period: p }) => referralRate(org().referrals, org().customers, p.start, p.end),
      change: proportionChange({ scale: 100 }),
    },
    definition: 'Referrals per 100 customers active at the start of the period.',
  }),
  m({
    key: 'csat',
    label: 'CSAT',
    unit: 'proportion',
    kind: 'experiential',
    better: 'higher',
    pairs: ['waiting', 'time_on_call', 'resolution', 'people'],
    source: 'surveys',
    interval: 'wilson',
    dimensions: SURVEY_DIMS,
    targetable: true,
    range: [0, 1],
    compute: proportionOf('csat_top2', 'csat_n'),
    definition: 'Share of survey answers rating satisfaction 4 or 5 out of 5 (top-2-box).',
  }),
  m({
    key: 'csat_avg',
    label: 'Average CSAT score',
    unit: 'score',
    kind: 'experiential',
    better: 'higher',
    pairs: [],
    source: 'surveys',
    interval: 't',
    dimensions: SURVEY_DIMS,
    targetable: true,
    range: [1, 5],
    compute: meanOf('csat_n', 'csat_sum', 'csat_sq'),
    definition: 'Mean satisfaction score, 1 to 5.',
  }),
  m({
    key: 'nps',
    label: 'NPS',
    unit: 'nps',
    kind: 'experiential',
    better: 'higher',
    pairs: ['loyalty'],
    source: 'surveys',
    interval: 'nps',
    dimensions: SURVEY_DIMS,
    targetable: true,
    range: [-100, 100],
    compute: {
      measures: ['nps_n', 'promoters', 'detractors'],
      value: ({ m }) => npsValue(m.nps_n, m.promoters, m.detractors),
      change: npsChange('nps_n', 'promoters', 'detractors'),
    },
    definition: 'Percentage of promoters (9–10) minus percentage of detractors (0–6), −100 to 100.',
  }),
  m({
    key: 'effort_avg',
    label: 'Customer effort',
    unit: 'score',
    kind: 'experiential',
    better: 'lower',
    pairs: [],
    source: 'surveys',
    interval: 't',
    dimensions: SURVEY_DIMS,
    targetable: true,
    range: [1, 7],
    compute: meanOf('effort_n', 'effort_sum', 'effort_sq'),
    definition: 'Mean effort the customer reported, 1 (easy) to 7 (hard).',
  }),
  m({
    key: 'response_rate',
    label: 'Survey response rate',
    unit: 'proportion',
    kind: 'experiential',
    better: 'higher',
    pairs: [],
    source: 'response',
    interval: 'wilson',
    dimensions: EVENT_DIMS,
    targetable: true,
    range: [0, 1],
    compute: proportionOf('responded', 'answered'),
    definition:
      'Share of answered interactions with at least one survey linked to them, by the interaction’s day and dimensions (a contact with two surveys counts once; never above 1).',
  }),
];

export interface PairDefinition {
  key: PairKey;
  label: string;
  question: string;
  operational: string[];
  experiential: string[];
}

export const PAIRS: readonly PairDefinition[] = [
  {
    key: 'waiting',
    label: 'Waiting',
    question: 'Does waiting cost satisfaction?',
    operational: ['wait_avg'],
    experiential: ['csat'],
  },
  {
    key: 'time_on_call',
    label: 'Time on call',
    question: 'Is a quick call a good call?',
    operational: ['handle_avg'],
    experiential: ['csat'],
  },
  {
    key: 'resolution',
    label: 'Resolution',
    question: 'Does fixing it first time show?',
    operational: ['resolution_rate'],
    experiential: ['csat'],
  },
  {
    key: 'loyalty',
    label: 'Loyalty',
    question: 'Are we keeping and growing customers?',
    operational: ['churn_rate', 'clv'],
    experiential: ['referral_rate', 'nps'],
  },
  {
    key: 'people',
    label: 'People',
    question: 'Do stable teams serve better?',
    operational: ['employee_retention_12m', 'employee_retention'],
    experiential: ['csat'],
  },
];

/** The rollup an event metric's measures come from; null: the organisation rows (customers, agents, referrals). */
const ROLLUP_OF: Record<Source, EventSource | null> = {
  interactions: 'interactions',
  response: 'interactions',
  surveys: 'surveys',
  customers: null,
  referrals: null,
  agents: null,
};
export const rollupOf = (d: MetricDefinition): EventSource | null => ROLLUP_OF[d.source];

/** The measures a rollup query sums for these entries: those they name, in the rollup's order. */
export const measuresFor = (entries: readonly MetricEntry[], source: EventSource) =>
  MEASURES[source].filter((x) => entries.some((d) => rollupOf(d) === source && d.compute.measures.includes(x)));

// The catalog and every reader see the definitions; the engine reads the entries. Registration
// updates these arrays in place, so modules holding them see a metric registered later.
const ENTRIES = new Map<string, MetricEntry>();
const DEFINITIONS = new Map<string, MetricDefinition>();
const ALL: MetricDefinition[] = [];
export const METRICS: readonly MetricDefinition[] = ALL;
export const METRIC_KEYS: string[] = [];
export const metric = (key: string) => DEFINITIONS.get(key);
export const metricEntry = (key: string) => ENTRIES.get(key);

/**
 * Adds a metric to the registry; answers the function that removes it again (tests register
 * a metric for their own run). Refuses a key in use and measures its source's rollup lacks.
 */
export function registerMetric(entry: MetricEntry): () => void {
  if (ENTRIES.has(entry.key)) throw new Error(`metric '${entry.key}' is already registered`);
  const rollup = rollupOf(entry);
  const known: readonly string[] = rollup ? MEASURES[rollup] : [];
  const unknown = entry.compute.measures.filter((x) => !known.includes(x));
  if (unknown.length)
    throw new Error(`metric '${entry.key}': ${rollup ?? entry.source} has no measure ${unknown.join(', ')}`);
  if (entry.compute.histogram && rollup !== 'interactions')
    throw new Error(`metric '${entry.key}': only interaction metrics read the wait histogram`);
  const { compute: _compute, ...definition } = entry;
  ENTRIES.set(entry.key, entry);
  DEFINITIONS.set(entry.key, definition);
  ALL.push(definition);
  METRIC_KEYS.push(entry.key);
  return () => {
    if (ENTRIES.get(entry.key) !== entry) return;
    ENTRIES.delete(entry.key);
    DEFINITIONS.delete(entry.key);
    ALL.splice(ALL.indexOf(definition), 1);
    METRIC_KEYS.splice(METRIC_KEYS.indexOf(entry.key), 1);
  };
}

for (const entry of BUILT_IN) registerMetric(entry);

/** The metrics to compute: those asked for, plus the experiential partner of every efficiency metric. */
export function withPartners(keys: string[]): { keys: string[]; added: string[] } {
  const out = [...keys];
  const added: string[] = [];
  for (const k of keys) {
    const partner = metric(k)?.partner;
    if (partner && !out.includes(partner)) {
      out.push(partner);
      added.push(partner);
    }
  }
  return { keys: out, added };
}
