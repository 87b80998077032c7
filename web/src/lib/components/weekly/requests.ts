// The weekly review's requests: the view (GET /api/v1/views/weekly) beside the metric catalog and
// the teams the filter may offer. On arriving at `/`, the HTML page has made them already, before
// any of the app's code arrived (web/src/app.html asks for the same URLs; lib/early.ts).
import { api, type Fetch, type MetricDef, type Team } from '../../api';
import type { WeeklyView } from './types';

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
  return { week: url.searchParams.get('week'), team: url.searchParams.get('team'), channel: url.searchParams.get('channel') };
}

/** The three answers, each settled on its own (a failed one is only read if the page shows). */
export type WeeklyAnswers = [PromiseSettledResult<WeeklyView>, PromiseSettledResult<{ metrics: MetricDef[] }>, PromiseSettledResult<{ teams: Team[] }>];

/** The view, the catalog and the teams, asked for together. */
export function weeklyRequests(fetchFn: Fetch, params: WeeklyParams): Promise<WeeklyAnswers> {
  return Promise.allSettled([
    api<WeeklyView>(fetchFn, `/api/v1/views/weekly${weeklyQuery(params)}`),
    api<{ metrics: MetricDef[] }>(fetchFn, '/api/v1/metrics/catalog'),
    api<{ teams: Team[] }>(fetchFn, '/api/v1/teams'),
  ]);
}
