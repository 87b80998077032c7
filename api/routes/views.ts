// GET /views/weekly: everything the weekly review shows, in one request (or as CSV).
import { createRoute } from '@hono/zod-openapi';
import { allow, READERS } from '../auth/middleware';
import { ApiError, forbidden } from '../errors';
import { todayIn } from '../ingest/demo';
import { MetricsRequestError, ScopeError } from '../metrics/engine';
import { ViewCache, viewsVersion } from '../views/cache';
import { weeklyCsv } from '../views/weekly-csv';
import { lastCompleteWeek, WeekError, weeklyView, type WeeklyView } from '../views/weekly';
import type { AppDeps } from '../context';
import { CHANNELS } from '../../db/schema';
import { ValueSchema } from './metrics';
import { bearer, createRouter, guardedErrors, z } from './openapi';

const Cell = ValueSchema.extend({ metric: z.string(), scope: z.enum(['filtered', 'organisation']) });
const Point = z.object({ value: z.number().nullable(), n: z.number(), low: z.number().nullable(), high: z.number().nullable(), target: z.number().nullable() });

const WeeklySchema = z
  .object({
    week: z.object({ label: z.string(), from: z.string(), to: z.string(), previous: z.string(), next: z.string().nullable(), complete: z.boolean() }),
    data_weeks: z.object({ first: z.string().nullable(), last: z.string().nullable() }),
    filters: z.object({ team: z.string().nullable(), channel: z.string().nullable() }),
    statement: z.string().nullable(),
    pairs: z.array(z.object({ key: z.string(), label: z.string(), question: z.string(), operational: z.array(Cell), experiential: z.array(Cell) })),
    context: z.array(Cell),
    trends: z.object({ weeks: z.array(z.object({ label: z.string(), from: z.string(), to: z.string() })), series: z.record(z.string(), z.array(Point)) }),
    patience: z.object({
      baseline: z.object({ from: z.string(), to: z.string() }),
      buckets: z.array(z.object({ bucket: z.string(), week: ValueSchema, baseline: ValueSchema })),
    }),
    reasons: z.array(z.object({ reason: z.string(), contacts: ValueSchema, csat: ValueSchema, rise: z.number() })),
    stages: z.array(z.object({ stage: z.string().nullable(), values: z.record(z.string(), ValueSchema) })),
    annotations: z.array(z.object({ id: z.number(), on: z.string(), title: z.string(), note: z.string().nullable(), team: z.object({ id: z.string(), name: z.string() }).nullable(), created_at: z.string() })),
    quote: z.object({
      quote: z
        .object({ id: z.string().optional(), text: z.string(), csat: z.number().nullable(), nps: z.number().nullable(), date: z.string(), channel: z.string().nullable(), team: z.string().nullable(), agent_first_name: z.string().nullable(), is_praise: z.boolean() })
        .nullable(),
      source: z.enum(['pinned', 'approved', 'automatic']).nullable(),
      reason: z.string().nullable(),
    }),
    channels: z.array(z.object({ channel: z.string().nullable(), values: z.record(z.string(), ValueSchema) })),
    meta: z.object({ queries: z.array(z.string()).describe('The GET /api/v1/metrics requests that give the same numbers.'), warnings: z.array(z.string()) }),
  })
  .catchall(z.unknown())
  .openapi('WeeklyView');

const weekly = createRoute({
  method: 'get',
  path: '/views/weekly',
  tags: ['Views'],
  summary: 'The weekly review: five pairs vs last week and target, 13-week trends, patience curve, reasons, stages, quote',
  description:
    'One request for the whole page. Every number equals GET /api/v1/metrics for the same parameters (`meta.queries` lists them). `format=csv` answers every number as CSV. For a PDF, print the page (`/?week=…`) from the browser: its print stylesheet lays it out on two A4/Letter pages.',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: {
    query: z.object({
      week: z.string().regex(/^\d{4}-W\d{2}$/, 'must be an ISO week such as 2026-W46').optional(),
      team: z.string().min(1).max(200).optional(),
      channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }).optional(),
      format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
    }),
  },
  responses: {
    200: {
      description: 'The weekly review.',
      content: { 'application/json': { schema: WeeklySchema }, 'text/csv': { schema: z.string() } },
    },
    ...guardedErrors,
  },
});

const caches = new WeakMap<AppDeps, ViewCache<WeeklyView>>();
/** The app's cache of weekly views (a leadership team opens the same week again and again). */
const weeklyCache = (deps: AppDeps) => {
  let cache = caches.get(deps);
  if (!cache) caches.set(deps, (cache = new ViewCache<WeeklyView>(32)));
  return cache;
};

export const viewRoutes = createRouter().openapi(weekly, async (c) => {
  const q = c.req.valid('query');
  const principal = c.get('principal')!;
  const { database, env } = c.get('deps');
  const today = todayIn(env.ORG_TIMEZONE);
  try {
    const scope = principal.role === 'manager' ? { teams: principal.teams } : {};
    const key = JSON.stringify([q.week ?? null, q.team ?? null, q.channel ?? null, today, principal.role, scope.teams ?? null]);
    const view = await weeklyCache(c.get('deps')).get(key, await viewsVersion(database), () =>
      weeklyView(database, { week: q.week, team: q.team, channel: q.channel, today, timeZone: env.ORG_TIMEZONE, role: principal.role }, scope),
    );
    if (q.format === 'csv') {
      const name = `pairwise-weekly-${view.week.label}${q.team ? `-${q.team.replace(/[^\w.-]+/g, '_')}` : ''}${q.channel ? `-${q.channel}` : ''}.csv`;
      return c.body(weeklyCsv(view), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` }) as never;
    }
    return c.json(view, 200);
  } catch (err) {
    if (err instanceof WeekError) {
      throw new ApiError(400, 'invalid-request', `Invalid query parameter 'week': ${err.message}.`, { errors: [{ in: 'query', field: 'week', reason: err.message }] });
    }
    if (err instanceof MetricsRequestError) {
      const reason = err.message.replace(/\.$/, '');
      throw new ApiError(400, 'invalid-request', `Invalid query parameter '${err.parameter}': ${reason}.`, { errors: [{ in: 'query', field: err.parameter, reason }] });
    }
    if (err instanceof ScopeError) throw forbidden(err.message);
    throw err;
  }
});

export { lastCompleteWeek };
