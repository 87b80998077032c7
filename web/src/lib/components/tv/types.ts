// The wallboard snapshot as GET /api/v1/live and GET /api/v1/views/tv send it: the API's own types.
import type { QueueNow } from '../../../../../api/queue/now';
import type { Shoutout } from '../../../../../api/quotes/view';
import type { TODAY_METRICS, TvCell, TvSnapshot } from '../../../../../api/views/tv';

export type { Shoutout, TvCell, TvSnapshot };

export type TodayMetric = (typeof TODAY_METRICS)[number];

export type TodayCell = TvSnapshot['today_pairs']['values'][TodayMetric];

export type WeekPair = TvSnapshot['week']['pairs'][number];

export type WeekCell = WeekPair['operational'][number];

/** The floor right now (queue snapshots); null when no queue reported. */
export type TvQueue = QueueNow;
