// GET /metrics: every metric of the registry for a range, grain and dimension, from rollups.
// GET /metrics/catalog: the registry itself, the organisation's shared language for its metrics.
import { createRoute } from '@hono/zod-openapi';
import { scopeOf } from '../auth/scope';
import { allow, READERS } from '../auth/middleware';
import { invalidQuery } from '../errors';
import { FILTERS, runMetrics, type MetricsRequest } from '../metrics/engine';
import { METRICS_MAX_CELLS } from '../limits';
import { daysBetween } from '../metrics/periods';
import { DIMENSIONS, GRAINS, METRIC_KEYS, METRICS, PAIRS } from '../metrics/registry';
import { CHANNELS } from '../../db/schema';
import { bearer, createRouter, guardedErrors, z } from './openapi';
import { dateParam } from './params';

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const QuerySchema = z
  .object({
    metrics: list
      .refine((ks) => ks.length > 0, 'name at least one metric')
      .refine((ks) => ks.every((k) => METRIC_KEYS.includes(k)), {
        message: `must be metric keys from GET /api/v1/metrics/catalog (${METRIC_KEYS.join(', ')})`,
      }),
    from: dateParam('the first day'),
    to: dateParam('the last day'),
    grain: z.enum(GRAINS, { error: `must be one of ${GRAINS.join(', ')}` }).default('week'),
    by: z
      .enum(DIMENSIONS, { error: `must be one of ${DIMENSIONS.join(', ')}` })
      .optional()
      .openapi({
        description:
          "One dimension; each row holds its value under the dimension's name (null: none). `segment`: the customer segment (first spelling kept), for churn_rate, clv, referrals and referral_rate (the segment's customers, the referrals they made) and every interaction and survey metric (by the customer of the interaction or survey; null: no customer, or one without a segment). Segments cannot be combined with agent, journey_stage or contact_reason.",
      }),
    team: list.optional(),
    agent: list.optional(),
    channel: list
      .refine(
        (cs) => cs.every((c) => (CHANNELS as readonly string[]).includes(c)),
        `must be channels: ${CHANNELS.join(', ')}`,
      )
      .optional(),
    journey_stage: list.optional(),
    contact_reason: list.optional(),
    segment: list.optional().openapi({
      description:
        "Customer segments (comma list), matched trimmed and case-folded: customers' churn, CLV and referrals, and the interactions and surveys of those segments' customers (a survey's customer is its own, else its interaction's).",
    }),
    compare: z.enum(['previous', 'target'], { error: 'must be previous or target' }).optional(),
    min_n: z.coerce
      .number({ error: 'must be a whole number ≥ 0' })
      .int('must be a whole number ≥ 0')
      .min(0, 'must be a whole number ≥ 0')
      .optional(),
  })
  .openapi('MetricsQuery');

export const ValueSchema = z
  .object({
    value: z.number().nullable(),
    n: z.number(),
    low: z.number().nullable().optional(),
    high: z.number().nullable().optional(),
    suppressed: z.literal(true).optional(),
    previous: z.object({ value: z.number().nullable(), n: z.number() }).nullable().optional(),
    change: z.number().nullable().optional(),
    significant: z.boolean().nullable().optional(),
    target: z.number().nullable().optional(),
    met: z.boolean().nullable().optional(),
  })
  .openapi('MetricValue');

const ResultSchema = z
  .object({
    rows: z.array(
      z
        .object({ period: z.string(), from: z.string(), to: z.string(), values: z.record(z.string(), ValueSchema) })
        .catchall(z.unknown()),
    ),
    meta: z.object({
      metrics: z.array(z.string()),
      added_partners: z.array(z.string()),
      warnings: z.array(z.string()),
    }),
  })
  .openapi('MetricsResult');

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Metrics'],
  summary: 'Metrics by period (and one dimension), with n and 95% intervals, from rollups',
  description: `Efficiency metrics (wait_avg, wait_p90, handle_avg, abandon_rate) always come with their experiential partner (csat), added when not asked for. Empty periods are present with n = 0 and value null. One request may compute at most ${METRICS_MAX_CELLS.toLocaleString('en')} values: periods × values of \`by\` in scope (+1 for none) × metrics (partners included), × 2 with compare=previous; beyond, 400 with \`limit: "metrics-cells"\`.`,
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: { query: QuerySchema },
  responses: {
    200: {
      description: 'One row per period (× dimension value).',
      content: { 'application/json': { schema: ResultSchema } },
    },
    ...guardedErrors,
  },
});

const CatalogSchema = z
  .object({
    metrics: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        unit: z.string(),
        kind: z.string(),
        better: z.string(),
        pairs: z.array(z.string()),
        definition: z.string(),
        source: z.string(),
        interval: z.string(),
        dimensions: z.array(z.string()),
        partner: z.string().optional(),
        targetable: z.boolean(),
      }),
    ),
    pairs: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        question: z.string(),
        operational: z.array(z.string()),
        experiential: z.array(z.string()),
      }),
    ),
  })
  .openapi('MetricCatalog');

const catalogRoute = createRoute({
  method: 'get',
  path: '/metrics/catalog',
  tags: ['Metrics'],
  summary: 'Every metric and pair: definitions, units, better-direction, intervals',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  responses: {
    200: { description: 'The metric registry.', content: { 'application/json': { schema: CatalogSchema } } },
    ...guardedErrors,
  },
});

export const metricsRoutes = createRouter()
  .openapi(catalogRoute, (c) =>
    c.json(
      {
        metrics: METRICS.map(({ range: _range, ...d }) => ({
          ...d,
          pairs: [...d.pairs],
          dimensions: [...d.dimensions],
        })),
        pairs: PAIRS.map((p) => ({ ...p, operational: [...p.operational], experiential: [...p.experiential] })),
      },
      200,
    ),
  )
  .openapi(metricsRoute, async (c) => {
    const q = c.req.valid('query');
    if (daysBetween(q.from, q.to) < 0) throw invalidQuery('from', `must not be after 'to' (${q.from} > ${q.to})`);
    const used = new Set<string>([...(q.by ? [q.by] : []), ...FILTERS.filter((f) => q[f] !== undefined)]);
    if (used.has('agent') && (used.has('journey_stage') || used.has('contact_reason'))) {
      throw invalidQuery(
        q.by === 'agent' ? 'by' : 'agent',
        'agents cannot be combined with journey_stage or contact_reason (the rollups keep agents and journeys apart)',
      );
    }
    const apart = ['agent', 'journey_stage', 'contact_reason'].filter((d) => used.has(d));
    if (used.has('segment') && apart.length) {
      throw invalidQuery(
        q.by === 'segment' ? 'by' : 'segment',
        `segments cannot be combined with ${apart.join(' or ')} (the rollups keep segments apart from agents and journeys)`,
      );
    }
    const principal = c.get('principal')!;
    const req: MetricsRequest = {
      metrics: q.metrics,
      from: q.from,
      to: q.to,
      grain: q.grain,
      by: q.by,
      filters: Object.fromEntries(FILTERS.filter((f) => q[f] !== undefined).map((f) => [f, q[f]!])),
      compare: q.compare,
      minN: q.min_n,
    };
    const result = await runMetrics(c.get('deps').database, req, scopeOf(principal));
    return c.json(result, 200);
  });
