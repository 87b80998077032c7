// GET /views/weekly: everything the weekly review shows, in one request (or as CSV); and
// GET /views/weekly/charts/{chart}: one of its charts, drawn on the server as SVG.
import { createRoute } from '@hono/zod-openapi';
import { scopeOf } from '../auth/scope';
import { allow, READERS } from '../auth/middleware';
import { notFound } from '../errors';
import { todayIn } from '../metrics/periods';
import { ViewCache, viewsVersion } from '../views/cache';
import { weeklyCsv } from '../views/weekly-csv';
import { lastCompleteWeek, weeklyView, type WeeklyView } from '../views/weekly';
import { renderChartSvg, weeklyChartIds, weeklyChartOption } from '../views/weekly-charts';
import type { AppDeps, AppEnv } from '../context';
import { CHANNELS } from '../../db/schema';
import { ValueSchema } from './metrics';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';
import { isoWeekParam } from './params';
import type { Context } from 'hono';

const Cell = ValueSchema.extend({ metric: z.string(), scope: z.enum(['filtered', 'organisation']) });
const Point = z.object({
  value: z.number().nullable(),
  n: z.number(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  target: z.number().nullable(),
});

const WeeklySchema = z
  .object({
    week: z.object({
      label: z.string(),
      from: z.string(),
      to: z.string(),
      previous: z.string(),
      next: z.string().nullable(),
      complete: z.boolean(),
    }),
    data_weeks: z.object({ first: z.string().nullable(), last: z.string().nullable() }),
    filters: z.object({ team: z.string().nullable(), channel: z.string().nullable() }),
    statement: z.string().nullable(),
    pairs: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        question: z.string(),
        operational: z.array(Cell),
        experiential: z.array(Cell),
      }),
    ),
    context: z.array(Cell),
    trends: z.object({
      weeks: z.array(z.object({ label: z.string(), from: z.string(), to: z.string() })),
      series: z.record(z.string(), z.array(Point)),
    }),
    patience: z.object({
      baseline: z.object({ from: z.string(), to: z.string() }),
      buckets: z.array(z.object({ bucket: z.string(), week: ValueSchema, baseline: ValueSchema })),
    }),
    reasons: z.array(z.object({ reason: z.string(), contacts: ValueSchema, csat: ValueSchema, rise: z.number() })),
    stages: z.array(z.object({ stage: z.string().nullable(), values: z.record(z.string(), ValueSchema) })),
    annotations: z.array(
      z.object({
        id: z.number(),
        on: z.string(),
        title: z.string(),
        note: z.string().nullable(),
        team: z.object({ id: z.string(), name: z.string() }).nullable(),
        created_at: z.string(),
      }),
    ),
    quote: z.object({
      quote: z
        .object({
          id: z.string().optional(),
          text: z.string(),
          csat: z.number().nullable(),
          nps: z.number().nullable(),
          date: z.string(),
          channel: z.string().nullable(),
          team: z.string().nullable(),
          agent_first_name: z.string().nullable(),
          is_praise: z.boolean(),
        })
        .nullable(),
      source: z.enum(['pinned', 'approved', 'automatic']).nullable(),
      reason: z.string().nullable(),
    }),
    channels: z.array(z.object({ channel: z.string().nullable(), values: z.record(z.string(), ValueSchema) })),
    segments: z
      .object({
        metrics: z.array(z.string()),
        min_n: z
          .number()
          .describe('Values with n below this are suppressed (`suppressed: true`, no value): "not enough responses".'),
        week: z.object({ from: z.string(), to: z.string() }),
        window: z
          .object({ from: z.string(), to: z.string() })
          .describe("The trends' 13 weeks, for segments too thin in one week."),
        scope: z
          .record(z.string(), z.enum(['filtered', 'organisation']))
          .describe(
            "`organisation` for churn and referral rate when a team or channel filter is set: they count the organisation's customers.",
          ),
        rows: z.array(
          z.object({
            segment: z
              .string()
              .nullable()
              .describe('The customer segment (first spelling kept); null: no customer, or one without a segment.'),
            week: z.record(z.string(), ValueSchema),
            window: z.record(z.string(), ValueSchema),
          }),
        ),
      })
      .describe(
        "The Loyalty pair by customer segment: churn and referral rate of the segment's customers, NPS and CSAT of their surveys (GET /metrics by=segment, min_n).",
      ),
    meta: z.object({
      queries: z.array(z.string()).describe('The GET /api/v1/metrics requests that give the same numbers.'),
      warnings: z.array(z.string()),
    }),
  })
  .catchall(z.unknown())
  .openapi('WeeklyView');

/** The week, team and channel of a weekly review. */
const WeeklyQuery = z.object({
  week: isoWeekParam('the week to review (default: the last complete week)').optional(),
  team: z.string().min(1).max(200).optional(),
  channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }).optional(),
});
type WeeklyParams = z.infer<typeof WeeklyQuery>;

const weekly = createRoute({
  method: 'get',
  path: '/views/weekly',
  tags: ['Views'],
  summary:
    'The weekly review: five pairs vs last week and target, 13-week trends, patience curve, reasons, stages, segments, quote',
  description:
    'One request for the whole page. Every number equals GET /api/v1/metrics for the same parameters (`meta.queries` lists them). `format=csv` answers every number as CSV. For a PDF, print the page (`/?week=…`) from the browser: its print stylesheet lays it out on two A4/Letter pages.',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: {
    query: WeeklyQuery.extend({
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

/** One cache of `max` entries per app (deps), made on first use. */
function perApp<T>(max: number): (deps: AppDeps) => ViewCache<T> {
  const caches = new WeakMap<AppDeps, ViewCache<T>>();
  return (deps) => {
    let cache = caches.get(deps);
    if (!cache) caches.set(deps, (cache = new ViewCache<T>(max)));
    return cache;
  };
}
/** The app's cache of weekly views (a leadership team opens the same week again and again). */
const weeklyCache = perApp<WeeklyView>(32);
/** The app's cache of server-drawn charts (the page asks for its first chart at each load). */
const chartCache = perApp<string>(64);

const CHART_IDS =
  'waiting, time_on_call, resolution, loyalty-1, loyalty-2, people (the 13-week paired trends) and patience (CSAT by wait bucket)';

const weeklyChart = createRoute({
  method: 'get',
  path: '/views/weekly/charts/{chart}',
  tags: ['Views'],
  summary: 'One chart of the weekly review as an SVG image, drawn on the server by ECharts',
  description: `The charts of GET /views/weekly, for a report or a slide: ${CHART_IDS}. The same week, team and channel parameters; \`width\` and \`height\` in CSS pixels. The weekly page shows its first chart from here until the browser has loaded ECharts.`,
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: {
    params: z.object({ chart: z.string().min(1).max(40) }),
    query: WeeklyQuery.extend({
      width: z.coerce
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(160, 'must be at least 160')
        .max(4000, 'must be at most 4000')
        .default(640),
      height: z.coerce
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(100, 'must be at least 100')
        .max(3000, 'must be at most 3000')
        .default(260),
    }),
  },
  responses: {
    200: { description: 'The chart.', content: { 'image/svg+xml': { schema: z.string() } } },
    ...guardedErrors,
    404: errorResponse('No such chart.'),
  },
});

/**
 * The weekly view for these parameters, from the app's cache, with its cache key and the version
 * of the data it was computed from.
 */
async function cachedWeekly(
  c: Context<AppEnv>,
  q: WeeklyParams,
): Promise<{ view: WeeklyView; key: string; version: string }> {
  const principal = c.get('principal')!;
  const { database, env } = c.get('deps');
  const today = todayIn(env.ORG_TIMEZONE);
  const scope = scopeOf(principal);
  const key = JSON.stringify([
    q.week ?? null,
    q.team ?? null,
    q.channel ?? null,
    today,
    principal.role,
    scope.teams ?? null,
  ]);
  const version = await viewsVersion(database);
  const view = await weeklyCache(c.get('deps')).get(key, version, () =>
    weeklyView(
      database,
      { week: q.week, team: q.team, channel: q.channel, today, timeZone: env.ORG_TIMEZONE, role: principal.role },
      scope,
    ),
  );
  return { view, key, version };
}

export const viewRoutes = createRouter()
  .openapi(weekly, async (c) => {
    const q = c.req.valid('query');
    const { view } = await cachedWeekly(c, q);
    if (q.format === 'csv') {
      const name = `pairwise-weekly-${view.week.label}${q.team ? `-${q.team.replace(/[^\w.-]+/g, '_')}` : ''}${q.channel ? `-${q.channel}` : ''}.csv`;
      return c.body(weeklyCsv(view), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}"`,
      }) as never;
    }
    return c.json(view, 200);
  })
  .openapi(weeklyChart, async (c) => {
    const { chart } = c.req.valid('param');
    const q = c.req.valid('query');
    const { view, key, version } = await cachedWeekly(c, q);
    const option = weeklyChartOption(view, chart);
    if (!option)
      throw notFound(`The weekly review has no chart '${chart}'; its charts are ${weeklyChartIds(view).join(', ')}.`);
    const svg = await chartCache(c.get('deps')).get(JSON.stringify([key, chart, q.width, q.height]), version, () =>
      renderChartSvg(option, { width: q.width, height: q.height }),
    );
    return c.body(svg, 200, {
      'content-type': 'image/svg+xml; charset=utf-8',
      // The numbers change with the next import: asked again each time, kept by no shared cache.
      'cache-control': 'private, no-cache',
    }) as never;
  });

export { lastCompleteWeek };
