// The organisation's shared language for its metrics: every metric of PRODUCT.md as data —
// key, label, unit, kind, better-direction, pairs, a definition in plain words, where it is
// computed from and how its interval is made. Adding a metric means adding an entry here.

export const DIMENSIONS = ['team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'wait_bucket', 'segment'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const GRAINS = ['day', 'week', 'month', 'total'] as const;
export type Grain = (typeof GRAINS)[number];

/** Where a metric's numbers come from (which rollups). */
export type Source = 'interactions' | 'surveys' | 'response' | 'customers' | 'referrals' | 'agents';

export type Unit = 'count' | 'proportion' | 'seconds' | 'score' | 'nps' | 'per_100' | 'currency';
export type Better = 'higher' | 'lower' | 'none';
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

// `segment`: the customer's (an interaction's, a survey's own else its interaction's, a referrer's).
const EVENT_DIMS: readonly Dimension[] = ['team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'segment'];
const SURVEY_DIMS: readonly Dimension[] = ['team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'wait_bucket', 'segment'];
const ORG: readonly Dimension[] = ['segment'];

const m = (d: MetricDefinition) => d;

export const METRICS: readonly MetricDefinition[] = [
  m({ key: 'contacts', label: 'Contacts', unit: 'count', kind: 'operational', better: 'none', pairs: [], source: 'interactions', interval: 'none', dimensions: EVENT_DIMS, targetable: false, range: [0, Infinity],
    definition: 'Interactions in the period.' }),
  m({ key: 'abandon_rate', label: 'Abandonment', unit: 'proportion', kind: 'operational', better: 'lower', pairs: ['waiting'], source: 'interactions', interval: 'wilson', dimensions: EVENT_DIMS, partner: 'csat', targetable: true, range: [0, 1],
    definition: 'Share of interactions nobody answered (the customer gave up).' }),
  m({ key: 'wait_avg', label: 'Average wait', unit: 'seconds', kind: 'operational', better: 'lower', pairs: ['waiting'], source: 'interactions', interval: 't', dimensions: EVENT_DIMS, partner: 'csat', targetable: true, range: [0, Infinity],
    definition: 'Mean seconds answered customers waited (average speed of answer).' }),
  m({ key: 'wait_p90', label: 'Wait, 90th percentile', unit: 'seconds', kind: 'operational', better: 'lower', pairs: ['waiting'], source: 'interactions', interval: 'order_statistics', dimensions: EVENT_DIMS, partner: 'csat', targetable: true, range: [0, Infinity],
    definition: 'Nine in ten answered customers waited at most this long.' }),
  m({ key: 'handle_avg', label: 'Average handle time', unit: 'seconds', kind: 'operational', better: 'none', pairs: ['time_on_call'], source: 'interactions', interval: 't', dimensions: EVENT_DIMS, partner: 'csat', targetable: false, range: [0, Infinity],
    definition: 'Mean seconds spent on answered interactions (time on call): never a target on its own.' }),
  m({ key: 'resolution_rate', label: 'Resolution', unit: 'proportion', kind: 'operational', better: 'higher', pairs: ['resolution'], source: 'interactions', interval: 'wilson', dimensions: EVENT_DIMS, targetable: true, range: [0, 1],
    definition: 'Share of answered interactions that resolved the customer’s need, of those where it is known.' }),
  m({ key: 'churn_rate', label: 'Churn', unit: 'proportion', kind: 'operational', better: 'lower', pairs: ['loyalty'], source: 'customers', interval: 'wilson', dimensions: ORG, targetable: true, range: [0, 1],
    definition: 'Share of customers active at the start of the period who left during it.' }),
  m({ key: 'clv', label: 'Customer lifetime value', unit: 'currency', kind: 'operational', better: 'higher', pairs: ['loyalty'], source: 'customers', interval: 'none', dimensions: ORG, targetable: true, range: [0, Infinity],
    definition: 'Mean monthly value of the customers active at the start of the period ÷ the mean monthly churn rate (churn_rate of each calendar month, months without customers left out) over 12 complete months: those ending with the period’s month when the period ends on its last day, else with the month before the one holding its last day (a week, a day, a partial month); empty without churn in them.' }),
  m({ key: 'employee_retention_12m', label: 'Employee retention, 12 months', unit: 'proportion', kind: 'operational', better: 'higher', pairs: ['people'], source: 'agents', interval: 'wilson', dimensions: ['team'], targetable: true, range: [0, 1],
    definition: 'Annual retention, the People pair’s figure a goal targets: 1 − agents who left in the 12 months ending with the period’s last day (12 calendar months when that is a month’s last day) ÷ the average headcount n, the mean of the agents employed at the start of those 12 months and at their end; floored at 0.' }),
  // A week or a day rarely sees anyone leave, so the period figure is nearly always 1: shown
  // beside the 12-month figure, never a goal of its own.
  m({ key: 'employee_retention', label: 'Employee retention, period', unit: 'proportion', kind: 'operational', better: 'higher', pairs: ['people'], source: 'agents', interval: 'wilson', dimensions: ['team'], targetable: false, range: [0, 1],
    definition: 'Share of agents employed at the start of the period who stayed through it (goals target employee_retention_12m).' }),
  m({ key: 'referrals', label: 'Referrals', unit: 'count', kind: 'experiential', better: 'higher', pairs: [], source: 'referrals', interval: 'none', dimensions: ORG, targetable: true, range: [0, Infinity],
    definition: 'Customers referred by existing customers in the period.' }),
  m({ key: 'referral_rate', label: 'Referral rate', unit: 'per_100', kind: 'experiential', better: 'higher', pairs: ['loyalty'], source: 'referrals', interval: 'wilson', dimensions: ORG, targetable: true, range: [0, Infinity],
    definition: 'Referrals per 100 customers active at the start of the period.' }),
  m({ key: 'csat', label: 'CSAT', unit: 'proportion', kind: 'experiential', better: 'higher', pairs: ['waiting', 'time_on_call', 'resolution', 'people'], source: 'surveys', interval: 'wilson', dimensions: SURVEY_DIMS, targetable: true, range: [0, 1],
    definition: 'Share of survey answers rating satisfaction 4 or 5 out of 5 (top-2-box).' }),
  m({ key: 'csat_avg', label: 'Average CSAT score', unit: 'score', kind: 'experiential', better: 'higher', pairs: [], source: 'surveys', interval: 't', dimensions: SURVEY_DIMS, targetable: true, range: [1, 5],
    definition: 'Mean satisfaction score, 1 to 5.' }),
  m({ key: 'nps', label: 'NPS', unit: 'nps', kind: 'experiential', better: 'higher', pairs: ['loyalty'], source: 'surveys', interval: 'nps', dimensions: SURVEY_DIMS, targetable: true, range: [-100, 100],
    definition: 'Percentage of promoters (9–10) minus percentage of detractors (0–6), −100 to 100.' }),
  m({ key: 'effort_avg', label: 'Customer effort', unit: 'score', kind: 'experiential', better: 'lower', pairs: [], source: 'surveys', interval: 't', dimensions: SURVEY_DIMS, targetable: true, range: [1, 7],
    definition: 'Mean effort the customer reported, 1 (easy) to 7 (hard).' }),
  m({ key: 'response_rate', label: 'Survey response rate', unit: 'proportion', kind: 'experiential', better: 'higher', pairs: [], source: 'response', interval: 'wilson', dimensions: EVENT_DIMS, targetable: true, range: [0, 1],
    definition: 'Share of answered interactions with at least one survey linked to them, by the interaction’s day and dimensions (a contact with two surveys counts once; never above 1).' }),
];

export interface PairDefinition {
  key: PairKey;
  label: string;
  question: string;
  operational: string[];
  experiential: string[];
}

export const PAIRS: readonly PairDefinition[] = [
  { key: 'waiting', label: 'Waiting', question: 'Does waiting cost satisfaction?', operational: ['wait_avg'], experiential: ['csat'] },
  { key: 'time_on_call', label: 'Time on call', question: 'Is a quick call a good call?', operational: ['handle_avg'], experiential: ['csat'] },
  { key: 'resolution', label: 'Resolution', question: 'Does fixing it first time show?', operational: ['resolution_rate'], experiential: ['csat'] },
  { key: 'loyalty', label: 'Loyalty', question: 'Are we keeping and growing customers?', operational: ['churn_rate', 'clv'], experiential: ['referral_rate', 'nps'] },
  { key: 'people', label: 'People', question: 'Do stable teams serve better?', operational: ['employee_retention_12m', 'employee_retention'], experiential: ['csat'] },
];

const BY_KEY = new Map(METRICS.map((d) => [d.key, d]));
export const metric = (key: string) => BY_KEY.get(key);
export const METRIC_KEYS = METRICS.map((d) => d.key);

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
