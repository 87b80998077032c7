// The coaching views' data, as the API answers it (GET /api/v1/views/coach…, /api/v1/coach/…).
import type { MetricValue } from '../../../../../api/metrics/engine';

/** A metric for a period: value with its n and 95% interval; `suppressed` when n is below the minimum (the engine's own type). */
export type { MetricValue };

/** One week of a trend. */
export interface TrendPoint {
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  suppressed?: true;
}

export interface Week {
  label: string;
  from: string;
  to: string;
}

export interface Period {
  from: string;
  to: string;
  weeks?: string[];
}

export interface Ref {
  id: string;
  name: string;
}

export type MetricKey = 'contacts' | 'handle_avg' | 'csat' | 'resolution_rate' | 'response_rate' | 'wait_avg';

export type Values<K extends string> = Partial<Record<K, MetricValue>>;

export interface CoachTeam {
  id: string;
  name: string;
  kind: string;
  active_agents: number;
  values: Values<'contacts' | 'handle_avg' | 'csat' | 'resolution_rate' | 'response_rate' | 'wait_avg'>;
  trend: { weeks: Week[]; series: Partial<Record<'handle_avg' | 'csat' | 'resolution_rate', TrendPoint[]>> };
}

/** GET /api/v1/views/coach */
export interface CoachView {
  period: Period;
  min_n: number;
  teams: CoachTeam[];
}

export interface PraiseItem {
  id: string | number;
  text: string;
  date: string;
  channel: string | null;
  csat: number | null;
  nps: number | null;
  team: string | Ref | null;
  credited_agent: Ref | null;
  shared_with?: unknown;
  received_via?: unknown;
}

export type RosterValues = Values<'contacts' | 'handle_avg' | 'csat' | 'resolution_rate' | 'response_rate'>;

export interface RosterAgent {
  id: string;
  name: string;
  first_name: string;
  hired_on: string | null;
  left_on: string | null;
  values: RosterValues;
  bright: boolean;
}

export interface IntegrityNote {
  agent: Ref;
  response_rate: MetricValue;
  team_response_rate: number | null;
  top_share: MetricValue;
  team_top_share: number | null;
  note: string;
}

/** GET /api/v1/views/coach/team/{id} */
export interface TeamView {
  period: Period;
  min_n: number;
  team: Ref;
  team_values: RosterValues;
  roster: RosterAgent[];
  medians: { handle_avg: number | null; csat: number | null };
  bright_spots: { agents: Array<{ id: string; name: string; csat: MetricValue }>; praise: PraiseItem[] };
  /** Praise about the team or shared with it by a curator (product, digital, facilities teams too). */
  praise_received: PraiseItem[];
  integrity: IntegrityNote[];
}

export type PairId = 'waiting' | 'time_on_call' | 'resolution' | 'loyalty' | 'people';

export interface EffectMetric {
  metric: string;
  label: string;
  before: MetricValue;
  after: MetricValue;
  significant: boolean | null;
}

export interface CoachingNote {
  id: string | number;
  held_on: string;
  pair: PairId;
  pair_label: string;
  note: string;
  author: string | null;
  /** Whether the signed-in principal may delete it (its author, or an admin). */
  can_delete?: boolean;
  created_at: string;
  effect: {
    before: { from: string; to: string };
    after: { from: string; to: string };
    complete: boolean;
    metrics: EffectMetric[];
    sentence: string;
  } | null;
}

/** GET /api/v1/views/coach/agent/{id} */
export interface AgentView {
  agent: {
    id: string;
    name: string;
    first_name: string;
    team: Ref | null;
    hired_on: string | null;
    left_on: string | null;
  };
  min_n: number;
  period: Period;
  values: RosterValues;
  trends: {
    weeks: Week[];
    series: Partial<Record<'handle_avg' | 'csat' | 'resolution_rate' | 'response_rate', TrendPoint[]>>;
  };
  praise: PraiseItem[];
  reasons: Array<{ reason: string; contacts: number }>;
  /** Events marked on the trends (the organisation's and the team's annotations). */
  annotations?: Array<{ on: string; title: string }>;
  /** Null when the role may not read coaching notes (leaders). */
  notes: CoachingNote[] | null;
}
