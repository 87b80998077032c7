// The wallboard snapshot as GET /api/v1/live and GET /api/v1/views/tv send it (api/views/tv.ts).
import type { QueueNow } from '../../../../../api/queue/now';
import type { Featured, FeaturedQuote } from '$lib/api';

export interface TvCell {
  metric: string;
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  target: number | null;
  met: boolean | null;
}

export type TodayMetric = 'wait_avg' | 'csat' | 'resolution_rate' | 'abandon_rate' | 'contacts';

export type TodayCell = TvCell & { yesterday: { value: number | null; n: number } };

export type WeekCell = TvCell & { spark: Array<number | null>; scope: string };

export interface WeekPair {
  key: string;
  label: string;
  question: string;
  operational: WeekCell[];
  experiential: WeekCell[];
}

export interface Shoutout {
  first_name: string;
  team: string | null;
  text: string;
  date: string;
}

export interface TvSnapshot {
  generated_at: string;
  data_as_of: string | null;
  today: string;
  /** The organisation's time zone: `today` is its date, and the clock shows its time (absent from older servers). */
  time_zone?: string;
  team: { id: string; name: string } | null;
  /** The channel the board shows, or null for every channel. */
  channel?: string | null;
  statement: string | null;
  today_pairs: { date: string; yesterday: string; values: Partial<Record<TodayMetric, TodayCell>> };
  week: { label: string; from: string; to: string; pairs: WeekPair[] };
  quotes: { featured: Featured; recent: FeaturedQuote[] };
  shoutouts: Shoutout[];
  queue?: TvQueue | null;
}

/** The floor right now (queue snapshots); absent from older servers, null when no queue reported. The API's own type. */
export type TvQueue = QueueNow;
