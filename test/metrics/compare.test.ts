// Comparisons and presentation rules, worked out by hand: compare=previous (previous value, change,
// significance: two-proportion z for proportions, Welch for means), compare=target (goal in force,
// team goal over the organisation's, better-direction), min_n suppression, and efficiency metrics
// never alone (their experiential partner is added).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goals, teams } from '../../db/schema';
import type { MetricsResult } from '../../api/metrics/engine';
import { createTestApp, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';
import { expectValue, q, rowOf } from './support';

let t: TestApp;

// UTC. W07 = Feb 12 … 18, W08 = Feb 19 … 25 (2024). Surveys name their team (no interaction).
//   t1 CSAT: W07 40 answers, 36 of them 5 and 4 of them 2 → 36/40 = 0.9;  W08 40 answers, 12 × 5, 28 × 2 → 0.3.
//   t2 CSAT: W07 5 answers, 3 × 5, 2 × 2 → 0.6;                           W08 5 answers, 2 × 5, 3 × 2 → 0.4.
//   t1 waits: W07 10, 12, 14, 16, 18 (x̄ 14, s² 10);  W08 100, 110, 120, 130, 140 (x̄ 120, s² 250).
//   t2 waits: W07 20, 40 (x̄ 30, s² 200);            W08 25, 45 (x̄ 35, s² 200).
beforeAll(async () => {
  t = await createTestApp({ env: { ORG_TIMEZONE: 'UTC' } });
  const surveys: string[] = [];
  const add = (team: string, day: string, count: number, csat: number) => {
    for (let k = 0; k < count; k++)
      surveys.push(
        `${team}-${day}-${csat}-${k},2024-02-${day}T${String(8 + (k % 10)).padStart(2, '0')}:00:00Z,${team},${csat}`,
      );
  };
  for (const [team, day, count, csat] of [
    ['t1', '14', 36, 5],
    ['t1', '14', 4, 2],
    ['t1', '21', 12, 5],
    ['t1', '21', 28, 2],
    ['t2', '14', 3, 5],
    ['t2', '14', 2, 2],
    ['t2', '21', 2, 5],
    ['t2', '21', 3, 2],
  ] as const)
    add(team, day, count, csat);
  await ingestCsv(t.database, 'surveys', csv('external_id,responded_at,team,csat', ...surveys));
  const waits: Array<[string, string, number]> = [
    ...[10, 12, 14, 16, 18].map((w) => ['t1', '13', w] as [string, string, number]),
    ...[100, 110, 120, 130, 140].map((w) => ['t1', '20', w] as [string, string, number]),
    ['t2', '13', 20],
    ['t2', '13', 40],
    ['t2', '20', 25],
    ['t2', '20', 45],
  ];
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,wait_seconds,handle_seconds',
      ...waits.map(([team, day, w], k) => `i${k},2024-02-${day}T10:00:00Z,${team},${w},${w * 10}`),
    ),
  );
  const [t1] = await t.database.db.select({ id: teams.id }).from(teams).where(eq(teams.externalId, 't1'));
  await t.database.db.insert(goals).values([
    { metric: 'csat', teamId: null, target: 0.8, validFrom: '2024-01-01', validTo: '2024-02-18' },
    { metric: 'csat', teamId: null, target: 0.35, validFrom: '2024-02-19', validTo: null },
    { metric: 'csat', teamId: t1!.id, target: 0.95, validFrom: '2024-01-01', validTo: null },
    { metric: 'wait_avg', teamId: null, target: 60, validFrom: '2024-01-01', validTo: null },
  ]);
});
afterAll(() => t.close());

async function get(params: Record<string, string | number>): Promise<MetricsResult> {
  const res = await t.request(q(params), { token: t.tokens.leader });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as MetricsResult;
}

describe('compare=previous', () => {
  it('a large clear change is significant; a small one on small n is not', async () => {
    const r = await get({
      metrics: 'csat,wait_avg',
      from: '2024-02-19',
      to: '2024-02-25',
      grain: 'week',
      by: 'team',
      compare: 'previous',
    });
    const t1 = rowOf(r, '2024-W08', ['team', 't1']).values;
    // t1 CSAT 12/40 = 0.3 vs 36/40 = 0.9: change −0.6. Pooled p̂ = 48/80 = 0.6;
    // se = √(0.6 · 0.4 · (1/40 + 1/40)) = √0.012 = 0.109545; z = −0.6/0.109545 = −5.477; p = 4.3e−8 < 0.05 → significant.
    expect(t1.csat).toMatchObject({ value: 0.3, n: 40, previous: { value: 0.9, n: 40 }, significant: true });
    expect(t1.csat!.change).toBeCloseTo(-0.6, 12);
    // t1 wait 120 vs 14: change 106. Welch: vₐ = 250/5 = 50, v_b = 10/5 = 2; t = 106/√52 = 14.6996;
    // ν = 52²/(50²/4 + 2²/4) = 2704/626 = 4.3195; p = 7.5e−5 → significant.
    expect(t1.wait_avg).toMatchObject({
      value: 120,
      n: 5,
      previous: { value: 14, n: 5 },
      change: 106,
      significant: true,
    });
    const t2 = rowOf(r, '2024-W08', ['team', 't2']).values;
    // t2 CSAT 2/5 = 0.4 vs 3/5 = 0.6: change −0.2. Pooled 5/10 = 0.5; se = √(0.25 · 0.4) = 0.316228;
    // z = −0.632456; p = 0.527 → not significant.
    expect(t2.csat).toMatchObject({ n: 5, previous: { n: 5 }, significant: false });
    expect(t2.csat!.value).toBeCloseTo(0.4, 12);
    expect(t2.csat!.previous!.value).toBeCloseTo(0.6, 12);
    expect(t2.csat!.change).toBeCloseTo(-0.2, 12);
    // t2 wait 35 vs 30: Welch t = 5/√(200/2 + 200/2) = 0.353553, ν = 200²/(100² + 100²) = 2; p = 0.757 → not significant.
    expect(t2.wait_avg).toMatchObject({ value: 35, previous: { value: 30, n: 2 }, change: 5, significant: false });
  });

  it('the whole organisation: W08 14/45 vs W07 39/45', async () => {
    const r = await get({ metrics: 'csat', from: '2024-02-19', to: '2024-02-25', grain: 'week', compare: 'previous' });
    const v = rowOf(r, '2024-W08').values.csat!;
    // Pooled 53/90; se = √(0.588889 · 0.411111 · 2/45) = 0.103749; z = (0.311111 − 0.866667)/0.103749 = −5.355 → significant.
    expect(v.previous).toEqual({ value: 39 / 45, n: 45 });
    expect(v.change).toBeCloseTo(14 / 45 - 39 / 45, 12);
    expect(v.significant).toBe(true);
  });

  it('no previous data: previous value null with n 0, change and significance null', async () => {
    const r = await get({ metrics: 'csat', from: '2024-02-12', to: '2024-02-18', grain: 'week', compare: 'previous' });
    expect(rowOf(r, '2024-W07').values.csat).toMatchObject({
      value: 39 / 45,
      n: 45,
      previous: { value: null, n: 0 },
      change: null,
      significant: null,
    });
  });

  it('day grain: the day before', async () => {
    const r = await get({
      metrics: 'wait_avg',
      from: '2024-02-20',
      to: '2024-02-20',
      grain: 'day',
      compare: 'previous',
      team: 't1',
    });
    // Feb 20: t1 waits 100 … 140 → 120; Feb 19: nothing.
    expect(rowOf(r, '2024-02-20').values.wait_avg).toMatchObject({
      value: 120,
      previous: { value: null, n: 0 },
      change: null,
    });
  });
});

describe('compare=target', () => {
  it('team goal preferred over the organisation’s; goal in force at the period end; lower is better for wait_avg', async () => {
    const r = await get({
      metrics: 'csat,wait_avg,effort_avg',
      from: '2024-02-12',
      to: '2024-02-25',
      grain: 'week',
      by: 'team',
      compare: 'target',
    });
    // t1 has its own CSAT goal 0.95: W07 0.9 < 0.95 → not met; W08 0.3 → not met.
    expect(rowOf(r, '2024-W07', ['team', 't1']).values.csat).toMatchObject({ value: 0.9, target: 0.95, met: false });
    expect(rowOf(r, '2024-W08', ['team', 't1']).values.csat).toMatchObject({ target: 0.95, met: false });
    // t2 takes the organisation's: 0.8 in force on Feb 18 (W07 end) → 0.6 not met; 0.35 from Feb 19 → W08 0.4 met.
    expect(rowOf(r, '2024-W07', ['team', 't2']).values.csat).toMatchObject({ target: 0.8, met: false });
    expect(rowOf(r, '2024-W08', ['team', 't2']).values.csat).toMatchObject({ target: 0.35, met: true });
    // wait_avg, lower is better, target 60: t1 W07 14 ≤ 60 met; W08 120 > 60 not met; t2 30 and 35 met.
    expect(rowOf(r, '2024-W07', ['team', 't1']).values.wait_avg).toMatchObject({ value: 14, target: 60, met: true });
    expect(rowOf(r, '2024-W08', ['team', 't1']).values.wait_avg).toMatchObject({ value: 120, target: 60, met: false });
    expect(rowOf(r, '2024-W08', ['team', 't2']).values.wait_avg).toMatchObject({ value: 35, target: 60, met: true });
    // No goal for effort: target and met null.
    expect(rowOf(r, '2024-W07', ['team', 't1']).values.effort_avg).toMatchObject({ target: null, met: null });
  });

  it('one team filtered takes its team goal; the organisation its own', async () => {
    const t1 = await get({
      metrics: 'csat',
      from: '2024-02-12',
      to: '2024-02-18',
      grain: 'week',
      team: 't1',
      compare: 'target',
    });
    expect(rowOf(t1, '2024-W07').values.csat).toMatchObject({ value: 0.9, target: 0.95, met: false });
    const org = await get({ metrics: 'csat', from: '2024-02-12', to: '2024-02-25', grain: 'week', compare: 'target' });
    // Organisation: W07 39/45 = 0.866667 ≥ 0.8 met; W08 14/45 = 0.311111 < 0.35 not met.
    expect(rowOf(org, '2024-W07').values.csat).toMatchObject({ target: 0.8, met: true });
    expect(rowOf(org, '2024-W08').values.csat).toMatchObject({ target: 0.35, met: false });
  });
});

describe('min_n', () => {
  it('values with n below min_n are suppressed: value and interval withheld, n kept', async () => {
    const r = await get({
      metrics: 'csat,wait_avg,contacts',
      from: '2024-02-12',
      to: '2024-02-18',
      grain: 'week',
      by: 'team',
      min_n: 30,
    });
    // t1 CSAT n 40 ≥ 30: shown, 36/40 = 0.9. Wilson: z²/n = 0.096037; centre = (0.9 + 0.048018)/1.096037 = 0.864951;
    // half = 1.788232 · √(0.00225 + 0.000600) = 1.788232 · 0.053387 = 0.095469 → [0.769482, 0.960420].
    expectValue(rowOf(r, '2024-W07', ['team', 't1']).values.csat, { value: 0.9, n: 40, low: 0.769482, high: 0.96042 });
    expect(rowOf(r, '2024-W07', ['team', 't1']).values.csat!.suppressed).toBeUndefined();
    // t2 CSAT n 5 < 30, t1 wait n 5 < 30: suppressed.
    expect(rowOf(r, '2024-W07', ['team', 't2']).values.csat).toEqual({
      value: null,
      n: 5,
      low: null,
      high: null,
      suppressed: true,
    });
    expect(rowOf(r, '2024-W07', ['team', 't1']).values.wait_avg).toEqual({
      value: null,
      n: 5,
      low: null,
      high: null,
      suppressed: true,
    });
    // A count carries no interval and is not suppressed (the engine's convention).
    expect(rowOf(r, '2024-W07', ['team', 't1']).values.contacts).toMatchObject({ value: 5, n: 5 });
  });

  it('a suppressed value keeps its target but not whether it is met', async () => {
    const r = await get({
      metrics: 'csat',
      from: '2024-02-12',
      to: '2024-02-18',
      grain: 'week',
      team: 't2',
      min_n: 30,
      compare: 'target',
    });
    expect(rowOf(r, '2024-W07').values.csat).toMatchObject({
      value: null,
      n: 5,
      suppressed: true,
      target: 0.8,
      met: null,
    });
  });
});

describe('efficiency metrics never alone', () => {
  it('handle_avg requested alone comes back with csat beside it', async () => {
    const r = await get({ metrics: 'handle_avg', from: '2024-02-12', to: '2024-02-18', grain: 'week' });
    expect(r.meta.metrics).toEqual(['handle_avg', 'csat']);
    expect(r.meta.added_partners).toEqual(['csat']);
    const v = rowOf(r, '2024-W07').values;
    // handle = 10 × wait: t1 100 … 180, t2 200, 400 → Σ = 700 + 600 = 1300 over 7.
    expectValue(v.handle_avg, { value: 1300 / 7, n: 7 });
    expectValue(v.csat, { value: 39 / 45, n: 45 });
  });

  it('wait_avg, wait_p90 and abandon_rate add csat once; asking for csat adds nothing', async () => {
    const r = await get({ metrics: 'wait_avg,wait_p90,abandon_rate', from: '2024-02-12', to: '2024-02-18' });
    expect(r.meta.metrics).toEqual(['wait_avg', 'wait_p90', 'abandon_rate', 'csat']);
    expect(r.meta.added_partners).toEqual(['csat']);
    const both = await get({ metrics: 'handle_avg,csat', from: '2024-02-12', to: '2024-02-18' });
    expect(both.meta.added_partners).toEqual([]);
    const exp = await get({ metrics: 'csat,resolution_rate', from: '2024-02-12', to: '2024-02-18' });
    expect(exp.meta.metrics).toEqual(['csat', 'resolution_rate']);
  });
});
