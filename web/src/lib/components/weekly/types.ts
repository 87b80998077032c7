// The weekly review's data, typed from the API's own declaration (one source of truth).
import type { Featured, MetricDef } from '../../api';
import type { MetricCell, PairView, TrendPoint, WeeklyView as ApiWeeklyView } from '../../../../../api/views/weekly';
import type { MetricValue } from '../../../../../api/metrics/engine';
import type { QueuePoint } from '../../../../../api/queue/history';

/** GET /api/v1/views/weekly (with `quote`, the week's featured customer quote or why there is none). */
export type WeeklyView = ApiWeeklyView;

export type { Featured, MetricCell, MetricDef, MetricValue, PairView, QueuePoint, TrendPoint };

/** What the page needs to know about a metric (GET /api/v1/metrics/catalog), shared with the server-drawn charts. */
export type { Better, Catalog, MetricInfo, Unit } from '../../../../../api/shared/catalog';

export { CHANNELS, CHANNEL_LABELS, type Channel } from '../../channels';
