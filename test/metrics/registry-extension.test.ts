// One new metric by one registry entry: answer_rate, answered ÷ contacts, a proportion with a
// Wilson interval, better higher. Registered for this file only (removed in afterAll), computed
// through GET /api/v1/metrics on a hand-made week, with nothing else edited.
//
// Data (UTC): week 2024-W07 — t1: a1 yes, a2 yes, a3 yes, a4 no; t2: a5 yes, a6 no.
//             week 2024-W06 — t1: b1 yes, b2 no, b3 no.
//
// Wilson 95% (z = 1.959964, z² = 3.841459): centre = (p̂ + z²/2n)/(1 + z²/n),
// half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
//   W07 all, 4/6: centre = (0.666667 + 0.320122)/1.640243 = 0.601611,
//                 half = 1.194923 · √(0.037037 + 0.026677) = 0.301618 → [0.3000, 0.9032]
//   W07 t1, 3/4:  centre = (0.75 + 0.480182)/1.960365 = 0.627527,
//                 half = 0.999795 · √(0.046875 + 0.060023) = 0.326886 → [0.3006, 0.9544]
//   W07 t2, 1/2:  centre = (0.5 + 0.960365)/2.920729 = 0.5,
//                 half = 0.671054 · √(0.125 + 0.240091) = 0.405469 → [0.0945, 0.9055]
// Previous period W06, 1/3; change 4/6 − 1/3 = 0.3333. Two-proportion z: pooled 5/9,
//   se = √(5/9 · 4/9 · (1/6 + 1/3)) = 0.351364, z = 0.333333/0.351364 = 0.9487, p = 0.343
//   → not significant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proportionOf } from '../../api/metrics/compute';
import type { MetricsResult } from '../../api/metrics/engine';
import { METRIC_KEYS, METRICS, metric, registerMetric, type MetricEntry } from '../../api/metrics/registry';
import { createTestApp, type TestApp } from '../helpers/app';
import { ingestInteractions, q, rowOf } from './support';

const ANSWER_RATE: MetricEntry = {
  key: 'answer_rate',
  label: 'Answer rate',
  unit: 'proportion',
  kind: 'operational',
  better: 'higher',
  pairs: [],
  source: 'interactions',
  interval: 'wilson',
  dimensions: ['team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'segment'],
  targetable: true,
  range: [0, 1],
  definition: 'Share of interactions answered.',
  compute: proportionOf('answered', 'contacts'),
};

let t: TestApp;
let unregister: () => void;

beforeAll(async () => {
  unregister = registerMetric(ANSWER_RATE);
  t = await createTestApp({ env: { ORG_TIMEZONE: 'UTC' } });
  await ingestInteractions(
    t.database,
    'a1,2024-02-12T10:00:00Z,t1,phone,yes',
    'a2,2024-02-13T10:00:00Z,t1,phone,yes',
    'a3,2024-02-14T10:00:00Z,t1,chat,yes',
    'a4,2024-02-15T10:00:00Z,t1,phone,no',
    'a5,2024-02-16T10:00:00Z,t2,phone,yes',
    'a6,2024-02-17T10:00:00Z,t2,phone,no',
    'b1,2024-02-05T10:00:00Z,t1,phone,yes',
    'b2,2024-02-06T10:00:00Z,t1,phone,no',
    'b3,2024-02-07T10:00:00Z,t1,phone,no',
  );
});
afterAll(async () => {
  unregister();
  await t.close();
});

async function get(params: Record<string, string>): Promise<MetricsResult> {
  const res = await t.request(
    q({ metrics: 'answer_rate', from: '2024-02-12', to: '2024-02-18', grain: 'week', ...params }),
    { token: t.tokens.leader },
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as MetricsResult;
}

/** Value and bounds to 4 decimals, n exactly. */
function expect4(
  got: { value: number | null; n: number; low?: number | null; high?: number | null } | undefined,
  want: [value: number, n: number, low: number, high: number],
) {
  expect(got).toBeDefined();
  expect(got!.n).toBe(want[1]);
  expect(got!.value).toBeCloseTo(want[0], 4);
  expect(got!.low).toBeCloseTo(want[2], 4);
  expect(got!.high).toBeCloseTo(want[3], 4);
}

describe('a metric registered by one entry', () => {
  it('is computed by the engine: value, n and Wilson interval', async () => {
    const all = await get({});
    expect(all.meta.metrics).toEqual(['answer_rate']);
    expect4(rowOf(all, '2024-W07').values.answer_rate, [0.6667, 6, 0.3, 0.9032]);
  });

  it('breaks down by team like any interaction metric', async () => {
    const byTeam = await get({ by: 'team' });
    expect4(rowOf(byTeam, '2024-W07', ['team', 't1']).values.answer_rate, [0.75, 4, 0.3006, 0.9544]);
    expect4(rowOf(byTeam, '2024-W07', ['team', 't2']).values.answer_rate, [0.5, 2, 0.0945, 0.9055]);
  });

  it('compares with the previous period by its own change test', async () => {
    const v = rowOf(await get({ compare: 'previous' }), '2024-W07').values.answer_rate!;
    expect(v.previous).toEqual({ value: 1 / 3, n: 3 });
    expect(v.change).toBeCloseTo(0.3333, 4);
    expect(v.significant).toBe(false);
  });

  it('is in the catalog as a definition, without how it is computed', async () => {
    const res = await t.request('/api/v1/metrics/catalog', { token: t.tokens.leader });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { metrics: Array<Record<string, unknown>> };
    const entry = body.metrics.find((d) => d.key === 'answer_rate');
    expect(entry).toMatchObject({ label: 'Answer rate', unit: 'proportion', interval: 'wilson' });
    expect(entry).not.toHaveProperty('compute');
  });

  it('refuses a key in use and a measure its rollup lacks', () => {
    expect(() => registerMetric(ANSWER_RATE)).toThrow(/already registered/);
    expect(() => registerMetric({ ...ANSWER_RATE, key: 'answer_rate_2', source: 'surveys' })).toThrow(
      /surveys has no measure answered, contacts/,
    );
    expect(metric('answer_rate_2')).toBeUndefined();
  });

  it('is gone once unregistered (and a second removal does nothing)', () => {
    const removeAgain = registerMetric({ ...ANSWER_RATE, key: 'answer_rate_tmp' });
    expect(METRIC_KEYS).toContain('answer_rate_tmp');
    removeAgain();
    removeAgain();
    expect(METRIC_KEYS).not.toContain('answer_rate_tmp');
    expect(METRICS.some((d) => d.key === 'answer_rate_tmp')).toBe(false);
    expect(METRIC_KEYS).toContain('answer_rate');
  });
});
