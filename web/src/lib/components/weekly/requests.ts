// The weekly review's requests: the view (GET /api/v1/views/weekly) beside the metric catalog and
// the teams the filter may offer. On arriving at `/`, the HTML page has made them already, before
// any of the app's code arrived (web/src/app.html asks for the same URLs; lib/early.ts).
import { api, errorText, type Fetch, type MetricDef, type Team } from '../../api';
import { takeEarly } from '../../early';
import type { QueuePoint, WeeklyView } from './types';

export interface WeeklyParams {
  week?: string | null;
  team?: string | null;
  channel?: string | null;
}

/** The query string of the page and of its API request, empty values left out. */
export function weeklyQuery(p: WeeklyParams, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (p.week) q.set('week', p.week);
  if (p.team) q.set('team', p.team);
  if (p.channel) q.set('channel', p.channel);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** What the page's URL asks for (null: the API's default, the last complete week). */
export function weeklyParams(url: URL): Required<WeeklyParams> {
  return {
    week: url.searchParams.get('week'),
    team: url.searchParams.get('team'),
    channel: url.searchParams.get('channel'),
  };
}

/** The three answers, each settled on its own (a failed one is only read if the page shows). */
export type WeeklyAnswers = [
  PromiseSettledResult<WeeklyView>,
  PromiseSettledResult<{ metrics: MetricDef[] }>,
  PromiseSettledResult<{ teams: Team[] }>,
];

/** The view, the catalog and the teams, asked for together. */
export function weeklyRequests(fetchFn: Fetch, params: WeeklyParams): Promise<WeeklyAnswers> {
  return Promise.allSettled([
    api<WeeklyView>(fetchFn, `/api/v1/views/weekly${weeklyQuery(params)}`),
    api<{ metrics: MetricDef[] }>(fetchFn, '/api/v1/metrics/catalog'),
    api<{ teams: Team[] }>(fetchFn, '/api/v1/teams'),
  ]);
}

/** The week's queue history by hour (GET /api/v1/queue/history), or why it could not be read. */
export type QueueAnswer = { from: string; to: string; points: QueuePoint[] } | { error: string };

/**
 * The queue_status history of a week (its dates, in the organisation's time zone), hour by hour,
 * in the view's scope: its team (a manager without one gets its own teams) and channel.
 */
export async function queueHistoryRequest(
  fetchFn: Fetch,
  week: { from: string; to: string },
  filters: WeeklyParams,
): Promise<QueueAnswer> {
  const q = new URLSearchParams({ from: week.from, to: week.to, grain: 'hour' });
  if (filters.team) q.set('team', filters.team);
  if (filters.channel) q.set('channel', filters.channel);
  try {
    return await api<{ from: string; to: string; points: QueuePoint[] }>(fetchFn, `/api/v1/queue/history?${q}`);
  } catch (e) {
    return { error: errorText(e) };
  }
}

/** The address of one of the page's charts drawn by the server (GET /api/v1/views/weekly/charts/{chart}). */
export function chartAddress(params: WeeklyParams, chart: string, size: { width: number; height: number }): string {
  return `/api/v1/views/weekly/charts/${encodeURIComponent(chart)}${weeklyQuery(params, { width: String(size.width), height: String(size.height) })}`;
}

/**
 * The chart the HTML page asks for before the app's code arrives (web/src/app.html), at the size
 * of its box in a window 1280 px wide or more (the page is then at its widest): the first trend.
 */
export const EARLY_CHART = { chart: 'waiting', width: 555, height: 230 } as const;

let earlyChart: { params: WeeklyParams; image: Promise<string | null> } | null = null;

/** Takes the page's early answer for its first chart over (in the page's load, before it is dropped). */
export function keepEarlyChart(params: WeeklyParams): void {
  const answer = takeEarly(chartAddress(params, EARLY_CHART.chart, EARLY_CHART));
  if (!answer) return;
  const image = answer.then(
    // A data: address (the page's content security policy lets images come from data:, not blob:).
    async (res) => (res.ok ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await res.text())}` : null),
    () => null,
  );
  earlyChart = { params, image };
}

/**
 * Where the preview of a chart at `size` comes from: the early answer when it is that chart at a
 * size within 10% of the box's (it is drawn scaled), else the server, at the box's size.
 */
export async function chartPreview(
  params: WeeklyParams,
  chart: string,
  size: { width: number; height: number },
): Promise<string> {
  const kept = earlyChart;
  earlyChart = null;
  const close =
    Math.abs(size.width - EARLY_CHART.width) <= EARLY_CHART.width * 0.1 &&
    Math.abs(size.height - EARLY_CHART.height) <= EARLY_CHART.height * 0.1;
  if (kept && chart === EARLY_CHART.chart && close && weeklyQuery(kept.params) === weeklyQuery(params)) {
    const image = await kept.image;
    if (image) return image;
  }
  return chartAddress(params, chart, size);
}
