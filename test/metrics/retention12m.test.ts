// employee_retention_12m by hand: 1 − leavers in the 12 months ending with the period's last day
// ÷ the average headcount (agents employed at the window's first day's start and at its last
// day's end, halved), beside the period's own employee_retention, which a quiet week holds at 1.
// It is what the weekly review's and the wallboard's People pair show first, and what goals target.
//
// Team t1: p1…p10 hired 2022-06-01; p1 left 2023-05-15, p2 2023-11-30, p3 2024-02-10;
//          p11, p12 hired 2023-09-01; p12 left 2024-01-31.
// Team t2: q1…q4 hired 2023-01-01, still employed.
//
// Wilson 95% (z = 1.959964, z² = 3.841459) of the leavers x over n (n may be a half):
// centre = (p̂ + z²/2n)/(1 + z²/n), half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²); retention = 1 − that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics, type MetricsRequest } from '../../api/metrics/engine';
import { twelveMonthsEnding } from '../../api/metrics/organisation';
import { metric, PAIRS } from '../../api/metrics/registry';
import { tvSnapshot } from '../../api/views/tv';
import type { WeeklyView } from '../../api/views/weekly';
import { createTestApp, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';
import { expectValue, rowOf } from './support';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const rows = [
    ...Array.from({ length: 10 }, (_, k) => {
      const left = k === 0 ? '2023-05-15' : k === 1 ? '2023-11-30' : k === 2 ? '2024-02-10' : '';
      return `p${k + 1},P${k + 1},t1,2022-06-01,${left}`;
    }),
    'p11,P11,t1,2023-09-01,',
    'p12,P12,t1,2023-09-01,2024-01-31',
    ...Array.from({ length: 4 }, (_, k) => `q${k + 1},Q${k + 1},t2,2023-01-01,`),
  ];
  await ingestCsv(t.database, 'agents', csv('external_id,name,team,hired_on,left_on', ...rows));
  const goal = await t.request('/api/v1/goals', {
    method: 'POST',
    token: t.tokens.admin,
    json: { metric: 'employee_retention_12m', target: 0.8, valid_from: '2024-01-01' },
  });
  expect(goal.status, await goal.clone().text()).toBe(201);
});
afterAll(() => t.close());

const run = (req: Partial<MetricsRequest>) =>
  runMetrics(t.database, {
    metrics: ['employee_retention_12m', 'employee_retention'],
    grain: 'week',
    from: '2024-02-12',
    to: '2024-02-18',
    filters: {},
    ...req,
  });

describe('employee_retention_12m', () => {
  it('2024-W07: the week keeps everyone (1), the 12 months to Sunday Feb 18 do not (9/13)', async () => {
    const v = rowOf(await run({}), '2024-W07').values;
    // The week: employed at Mon Feb 12: p4…p11 (8) + q1…q4 (4) = 12; nobody left → 1, n 12.
    expectValue(v.employee_retention, { value: 1, n: 12 });
    // 12 months: 2023-02-19 … 2024-02-18. Employed at Feb 19, 2023: p1…p10 + q1…q4 = 14;
    // at the end of Feb 18, 2024: p4…p11 + q1…q4 = 12 → average 13.
    // Leavers in it: p1, p2, p12, p3 = 4 → 1 − 4/13 = 0.692308.
    // Wilson 4/13: z²/n = 0.295497; centre = (0.307692 + 0.147748)/1.295497 = 0.351557;
    // half = 1.512904 · √(0.016386 + 0.005683) = 0.224750 → [0.126807, 0.576307] → retention [0.423693, 0.873193].
    expectValue(v.employee_retention_12m, { value: 9 / 13, n: 13, low: 0.423693, high: 0.873193 });
  });

  it('by team: t1 4 of 9 left, t2 none', async () => {
    const r = await run({ by: 'team' });
    // t1: at the start p1…p10 = 10, at the end p4…p11 = 8 → 9; leavers 4 → 1 − 4/9 = 0.555556.
    // Wilson 4/9: z²/n = 0.426829; centre = (0.444444 + 0.213415)/1.426829 = 0.461064;
    // half = 1.373637 · √(0.027435 + 0.011856) = 0.272284 → [0.188780, 0.733348] → [0.266652, 0.811220].
    expectValue(rowOf(r, '2024-W07', ['team', 't1']).values.employee_retention_12m, {
      value: 5 / 9,
      n: 9,
      low: 0.266652,
      high: 0.81122,
    });
    // t2: 4 and 4 → 4; nobody left → 1; Wilson 0/4 → [0, 0.489891] → [0.510109, 1].
    expectValue(rowOf(r, '2024-W07', ['team', 't2']).values.employee_retention_12m, {
      value: 1,
      n: 4,
      low: 0.510109,
      high: 1,
    });
    const f = await run({ filters: { team: ['t1'] } });
    expectValue(rowOf(f, '2024-W07').values.employee_retention_12m, { value: 5 / 9, n: 9 });
  });

  it('a month ending on its last day uses 12 calendar months: June 2024 is July 2023 … June 2024', async () => {
    const r = await run({ grain: 'month', from: '2024-06-01', to: '2024-06-30', filters: { team: ['t1'] } });
    // t1 employed at Jul 1, 2023: p2…p10 = 9 (p1 left in May); at the end of Jun 30, 2024: p4…p11 = 8 → 8.5.
    // Leavers Jul 2023 … Jun 2024: p2, p12, p3 = 3 → 1 − 3/8.5 = 0.647059 (n is the average, 8.5).
    // Wilson 3/8.5: z²/n = 0.451936; centre = (0.352941 + 0.225968)/1.451936 = 0.398716;
    // half = 1.349896 · √(0.026868 + 0.013292) = 0.270519 → [0.128197, 0.669235] → [0.330765, 0.871803].
    expectValue(rowOf(r, '2024-06').values.employee_retention_12m, {
      value: 1 - 3 / 8.5,
      n: 8.5,
      low: 0.330765,
      high: 0.871803,
    });
    // The month's own figure: p4…p11 = 8 employed at Jun 1, nobody left → 1.
    expectValue(rowOf(r, '2024-06').values.employee_retention, { value: 1, n: 8 });
  });

  it('compare=target: the goal applies to the 12-month figure; the period figure is not a goal', async () => {
    const r = await run({ compare: 'target' });
    const v = rowOf(r, '2024-W07').values;
    expect(v.employee_retention_12m).toMatchObject({ target: 0.8, met: false }); // 0.692308 < 0.8
    expect(metric('employee_retention_12m')!.targetable).toBe(true);
    expect(metric('employee_retention')!.targetable).toBe(false);
    const refused = await t.request('/api/v1/goals', {
      method: 'POST',
      token: t.tokens.admin,
      json: { metric: 'employee_retention', target: 0.95, valid_from: '2024-01-01' },
    });
    expect(refused.status).toBe(422);
  });

  it('the window of 12 months', () => {
    expect(twelveMonthsEnding('2024-02-29')).toEqual(['2023-03-01', '2024-02-29']);
    expect(twelveMonthsEnding('2025-02-28')).toEqual(['2024-03-01', '2025-02-28']);
    expect(twelveMonthsEnding('2024-04-30')).toEqual(['2023-05-01', '2024-04-30']);
    expect(twelveMonthsEnding('2024-02-18')).toEqual(['2023-02-19', '2024-02-18']);
    expect(twelveMonthsEnding('2024-02-28')).toEqual(['2023-03-01', '2024-02-28']);
  });
});

describe('the People pair', () => {
  it('shows the 12-month figure first, the period figure beside it', () => {
    expect(PAIRS.find((p) => p.key === 'people')).toMatchObject({
      operational: ['employee_retention_12m', 'employee_retention'],
      experiential: ['csat'],
    });
  });

  it('in the weekly review: value, n, target, and a 13-week trend of it', async () => {
    const res = await t.request('/api/v1/views/weekly?week=2024-W07', { token: t.tokens.leader });
    expect(res.status).toBe(200);
    const v = (await res.json()) as WeeklyView;
    const people = v.pairs.find((p) => p.key === 'people')!;
    expect(people.operational.map((c) => c.metric)).toEqual(['employee_retention_12m', 'employee_retention']);
    expect(people.operational[0]).toMatchObject({ n: 13, target: 0.8, met: false });
    expect(people.operational[0]!.value).toBeCloseTo(9 / 13, 12);
    expect(people.operational[1]).toMatchObject({ value: 1, n: 12 });
    // W06 (Feb 5 … 11): 12 months 2023-02-12 … 2024-02-11: the same agents at both ends and the
    // same four leavers (p3 left Feb 10) → 9/13 again; W03 (Jan 15 … 21) ends before p12 and p3
    // left: at the start 14, at the end p3…p12 + q1…q4 = 14 → 14; leavers p1, p2 → 1 − 2/14 = 0.857143.
    const series = v.trends.series.employee_retention_12m!;
    expect(series).toHaveLength(13);
    const at = (label: string) => series[v.trends.weeks.findIndex((w) => w.label === label)]!;
    expect(at('2024-W06').value).toBeCloseTo(9 / 13, 12);
    expect(at('2024-W03')).toMatchObject({ n: 14, target: 0.8 });
    expect(at('2024-W03').value).toBeCloseTo(6 / 7, 12);
    // The page charts People as 12-month retention ↔ CSAT, one chart.
    const charts = await t.request('/api/v1/views/weekly/charts/nope', { token: t.tokens.leader });
    expect(await charts.text()).toMatch(/loyalty-2, people, patience/);
  });

  it('on the wallboard’s week screen, with its 13-week sparkline', async () => {
    // Sunday 2024-02-18: this week is 2024-W07.
    const s = await tvSnapshot(t.database, { today: '2024-02-18', timeZone: 'UTC' });
    const people = s.week.pairs.find((p) => p.key === 'people')!;
    expect(people.operational.map((c) => c.metric)).toEqual(['employee_retention_12m', 'employee_retention']);
    expect(people.operational[0]).toMatchObject({ n: 13, target: 0.8, met: false });
    expect(people.operational[0]!.value).toBeCloseTo(9 / 13, 12);
    expect(people.operational[0]!.spark).toHaveLength(13);
    expect(people.operational[0]!.spark.at(-1)).toBeCloseTo(9 / 13, 12);
  });
});
