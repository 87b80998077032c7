// Interaction metrics, worked out by hand: contacts, abandon_rate, wait_avg, wait_p90, handle_avg,
// resolution_rate — for every grain, every dimension they have, every filter.
//
// Numbers: Wilson 95% with z = 1.959964, z² = 3.841459:
//   centre = (p̂ + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
// t-interval: x̄ ∓ t(0.975, n−1) · s/√n, with t(.975,1) = 12.706205, t(.975,2) = 4.302653,
// t(.975,4) = 2.776445, t(.975,5) = 2.570582.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics, type MetricsRequest } from '../../api/metrics/engine';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';
import { dimsOf, expectValue, rowOf } from './support';

let d: TestDatabase;

// The week 2024-W07 (Mon 2024-02-12 … Sun 2024-02-18), organisation time zone UTC.
//
// | id | day    | team | channel | agent | stage      | reason | answered | wait | handle | resolved |
// | i1 | Tue 13 | t1   | phone   | a1    | Billing    | Refund | yes      | 10   | 300    | yes      |
// | i2 | Tue 13 | t1   | phone   | a1    | Billing    | Refund | yes      | 20   | 200    | yes      |
// | i3 | Tue 13 | t1   | chat    | a2    | Billing    | Login  | yes      | 40   | 100    | no       |
// | i4 | Tue 13 | t1   | chat    | a2    | Onboarding | Login  | no       |      |        |          |
// | i5 | Wed 14 | t2   | phone   | a3    | Onboarding | Login  | yes      | 90   | 400    | yes      |
// | i6 | Wed 14 | t2   | email   | a3    | Onboarding |        | yes      | 150  |        |          |
// | i7 | Wed 14 | t2   | phone   |       |            | Refund | no       |      |        |          |
// | i8 | Wed 14 | t2   | phone   | a3    | billing    | Refund | yes      | 30   | 250    | no       |
//
// i8 spells the stage "billing": normalised to the first spelling, "Billing".
// i9 on Thu 2024-02-01 and i10 on Fri 2024-03-01 lie outside the week (for month/total grains).
beforeAll(async () => {
  d = await createTestDatabase();
  await ingestCsv(d, 'teams', csv('external_id,name', 't1,Team One', 't2,Team Two'));
  await ingestCsv(d, 'agents', csv('external_id,name,team', 'a1,Ana,t1', 'a2,Ben,t1', 'a3,Cy,t2'));
  await ingestCsv(
    d,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,agent,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved',
      'i1,2024-02-13T09:00:00Z,t1,phone,a1,Billing,Refund,yes,10,300,true',
      'i2,2024-02-13T10:00:00Z,t1,phone,a1,Billing,Refund,yes,20,200,true',
      'i3,2024-02-13T11:00:00Z,t1,chat,a2,Billing,Login,yes,40,100,false',
      'i4,2024-02-13T12:00:00Z,t1,chat,a2,Onboarding,Login,no,,,',
      'i5,2024-02-14T09:00:00Z,t2,phone,a3,Onboarding,Login,yes,90,400,true',
      'i6,2024-02-14T10:00:00Z,t2,email,a3,Onboarding,,yes,150,,',
      'i7,2024-02-14T11:00:00Z,t2,phone,,,Refund,no,,,',
      'i8,2024-02-14T12:00:00Z,t2,phone,a3,billing,Refund,yes,30,250,false',
      'i9,2024-02-01T00:00:00Z,t1,phone,a1,,,yes,5,60,true',
      'i10,2024-03-01T12:00:00Z,t2,chat,,,,no,,,',
    ),
  );
});
afterAll(() => d.destroy());

const ALL = ['contacts', 'abandon_rate', 'wait_avg', 'wait_p90', 'handle_avg', 'resolution_rate'];
const WEEK = { from: '2024-02-12', to: '2024-02-18' };
const run = (req: Partial<MetricsRequest>) =>
  runMetrics(d, { metrics: ALL, grain: 'week', filters: {}, ...WEEK, ...req });

describe('interaction metrics, whole week (2024-W07)', () => {
  it('every interaction metric with n and its interval', async () => {
    const r = await run({});
    expect(r.rows).toHaveLength(1);
    const v = rowOf(r, '2024-W07').values;
    // contacts: 8 interactions i1…i8 (a count: no interval).
    expectValue(v.contacts, { value: 8, n: 8 });
    // abandon_rate: i4, i7 unanswered → 2/8 = 0.25.
    // Wilson 2/8: z²/n = 3.841459/8 = 0.480182; centre = (0.25 + 0.240091)/1.480182 = 0.331102;
    // half = 1.959964/1.480182 · √(0.1875/8 + 3.841459/256) = 1.324135 · 0.196073 = 0.259623
    // → [0.071479, 0.590725].
    expectValue(v.abandon_rate, { value: 0.25, n: 8, low: 0.071479, high: 0.590725 });
    // wait_avg over the 6 answered with a wait: 10, 20, 40, 90, 150, 30 → Σ = 340, x̄ = 56.666667.
    // Σ(x − x̄)² = 46.667² + 36.667² + 16.667² + 33.333² + 93.333² + 26.667² = 14333.333;
    // s² = 14333.333/5 = 2866.667, s = 53.541261, s/√6 = 21.858113; t(.975,5) = 2.570582;
    // half = 56.188108 → [0.478559, 112.854775].
    expectValue(v.wait_avg, { value: 340 / 6, n: 6, low: 0.478559, high: 112.854775 });
    // handle_avg over the 5 answered with a handle time (i6 has none): 300, 200, 100, 400, 250 → x̄ = 250.
    // Σ(x − x̄)² = 2500 + 2500 + 22500 + 22500 + 0 = 50000; s² = 12500, s/√5 = 50;
    // t(.975,4) = 2.776445 → half = 138.822255 → [111.177745, 388.822255].
    expectValue(v.handle_avg, { value: 250, n: 5, low: 111.177745, high: 388.822255 });
    // resolution_rate: answered with resolved known: i1 ✓, i2 ✓, i3 ✗, i5 ✓, i8 ✗ (i6 unknown) → 3/5.
    // Wilson 3/5: z²/n = 0.768292; centre = (0.6 + 0.384146)/1.768292 = 0.556552;
    // half = 1.108393 · √(0.24/5 + 3.841459/100) = 1.108393 · 0.293961 = 0.325827 → [0.230724, 0.882379].
    expectValue(v.resolution_rate, { value: 0.6, n: 5, low: 0.230724, high: 0.882379 });
  });

  it('wait_p90 is within 5 s of percentile_cont, with an order-statistics interval', async () => {
    const v = rowOf(await run({ metrics: ['wait_p90'] }), '2024-W07').values;
    // Sorted waits 10, 20, 30, 40, 90, 150 (n = 6); position h = 0.9 · (6 − 1) = 4.5
    // → x₄ + 0.5 · (x₅ − x₄) = 90 + 0.5 · 60 = 120 (exact percentile_cont).
    expect(v.wait_p90!.n).toBe(6);
    expect(Math.abs(v.wait_p90!.value! - 120)).toBeLessThanOrEqual(5);
    // Interval ranks (1-based): σ = √(6 · 0.9 · 0.1) = 0.734847; r = round(5.4 − 1.959964σ) = round(3.96) = 4,
    // s = round(1 + 5.4 + 1.440) = 8 → clamped to 6: [x₍₄₎, x₍₆₎] = [40, 150], each within its 5-s bucket.
    expect(Math.abs(v.wait_p90!.low! - 40)).toBeLessThanOrEqual(5);
    expect(Math.abs(v.wait_p90!.high! - 150)).toBeLessThanOrEqual(5);
  });

  it('wait_p90 of a small group: t1 waits 10, 20, 40 → h = 1.8 → 20 + 0.8·20 = 36', async () => {
    const v = rowOf(await run({ metrics: ['wait_p90'], filters: { team: ['t1'] } }), '2024-W07').values;
    expect(v.wait_p90!.n).toBe(3);
    expect(Math.abs(v.wait_p90!.value! - 36)).toBeLessThanOrEqual(5);
  });
});

describe('grains', () => {
  it('day: every day present, empty days n 0 and value null (contacts 0)', async () => {
    const r = await run({ grain: 'day' });
    expect(r.rows.map((x) => x.period)).toEqual([
      '2024-02-12',
      '2024-02-13',
      '2024-02-14',
      '2024-02-15',
      '2024-02-16',
      '2024-02-17',
      '2024-02-18',
    ]);
    const mon = rowOf(r, '2024-02-12').values;
    expectValue(mon.abandon_rate, { value: null, n: 0, low: null, high: null });
    expectValue(mon.wait_avg, { value: null, n: 0, low: null, high: null });
    expectValue(mon.wait_p90, { value: null, n: 0 });
    // A count of nothing is 0 (the engine's convention for counts; see the report).
    expectValue(mon.contacts, { value: 0, n: 0 });
    // Tue 13: i1…i4 → contacts 4, abandoned i4 → 1/4; waits 10, 20, 40 → 23.333333.
    // Wilson 1/4: z²/n = 0.960365; centre = (0.25 + 0.480182)/1.960365 = 0.372473;
    // half = 0.999798 · √(0.046875 + 0.060023) = 0.326885 → [0.045587, 0.699358].
    const tue = rowOf(r, '2024-02-13').values;
    expectValue(tue.contacts, { value: 4, n: 4 });
    expectValue(tue.abandon_rate, { value: 0.25, n: 4, low: 0.045587, high: 0.699358 });
    expectValue(tue.wait_avg, { value: 70 / 3, n: 3 });
    // Wed 14: i5…i8 → contacts 4, abandoned i7 → 1/4; waits 90, 150, 30 → 90; handle 400, 250 → 325.
    const wed = rowOf(r, '2024-02-14').values;
    expectValue(wed.abandon_rate, { value: 0.25, n: 4, low: 0.045587, high: 0.699358 });
    expectValue(wed.wait_avg, { value: 90, n: 3 });
    expectValue(wed.handle_avg, { value: 325, n: 2 });
    expectValue(wed.resolution_rate, { value: 0.5, n: 2 });
  });

  it('month: February holds i9 (Feb 1 00:00) as well; March is its own month', async () => {
    const r = await run({ grain: 'month', from: '2024-02-01', to: '2024-03-31' });
    expect(r.rows.map((x) => [x.period, x.from, x.to])).toEqual([
      ['2024-02', '2024-02-01', '2024-02-29'],
      ['2024-03', '2024-03-01', '2024-03-31'],
    ]);
    // Feb: i1…i9 → 9 contacts, 2 abandoned; waits + 5 → Σ = 345 over 7 → 49.285714; resolved 4/6.
    const feb = rowOf(r, '2024-02').values;
    expectValue(feb.contacts, { value: 9, n: 9 });
    expectValue(feb.abandon_rate, { value: 2 / 9, n: 9 });
    expectValue(feb.wait_avg, { value: 345 / 7, n: 7 });
    expectValue(feb.handle_avg, { value: 1310 / 6, n: 6 });
    expectValue(feb.resolution_rate, { value: 4 / 6, n: 6 });
    // Mar: i10 only, abandoned → 1/1; no answered → waits n 0, null.
    const mar = rowOf(r, '2024-03').values;
    expectValue(mar.contacts, { value: 1, n: 1 });
    expectValue(mar.abandon_rate, { value: 1, n: 1 });
    expectValue(mar.wait_avg, { value: null, n: 0 });
  });

  it('total: one row labelled total over the whole range', async () => {
    const r = await run({ grain: 'total', from: '2024-01-15', to: '2024-03-15' });
    expect(r.rows.map((x) => [x.period, x.from, x.to])).toEqual([['total', '2024-01-15', '2024-03-15']]);
    // i1…i10: 10 contacts, 3 abandoned (i4, i7, i10).
    expectValue(r.rows[0]!.values.contacts, { value: 10, n: 10 });
    expectValue(r.rows[0]!.values.abandon_rate, { value: 0.3, n: 10 });
  });
});

describe('by dimension', () => {
  it('by team', async () => {
    const r = await run({ by: 'team' });
    expect(dimsOf(r, 'team')).toEqual(['t1', 't2']);
    // t1 = i1…i4: abandon 1/4; waits 10, 20, 40 → 23.333333, Σ(x − x̄)² = 466.667, s² = 233.333,
    // s/√3 = 8.819171, t(.975,2) = 4.302653 → half 37.945831 → [−14.612497, 61.279164];
    // handle 300, 200, 100 → 200; resolved i1 ✓ i2 ✓ i3 ✗ → 2/3.
    // Wilson 2/3: z²/n = 1.280486; centre = (0.666667 + 0.640243)/2.280486 = 0.573084;
    // half = 0.859449 · √(0.074074 + 0.106707) = 0.365424 → [0.207660, 0.938508].
    const t1 = rowOf(r, '2024-W07', ['team', 't1']).values;
    expectValue(t1.contacts, { value: 4, n: 4 });
    expectValue(t1.abandon_rate, { value: 0.25, n: 4, low: 0.045587, high: 0.699358 });
    expectValue(t1.wait_avg, { value: 70 / 3, n: 3, low: 0, high: 61.279164 }); // t-interval low −14.61, clamped at 0: a wait is never negative
    expectValue(t1.handle_avg, { value: 200, n: 3 });
    expectValue(t1.resolution_rate, { value: 2 / 3, n: 3, low: 0.20766, high: 0.938508 });
    // t2 = i5…i8: abandon 1/4; waits 90, 150, 30 → 90, Σ(x − x̄)² = 7200, s = 60, s/√3 = 34.641016,
    // half = 4.302653 · 34.641016 = 149.048263 → [−59.048263, 239.048263]; handle 400, 250 → 325;
    // resolved i5 ✓ i8 ✗ → 1/2: Wilson centre 0.5, half = 0.676796 · √(0.125 + 0.240091) = 0.405469.
    const t2 = rowOf(r, '2024-W07', ['team', 't2']).values;
    expectValue(t2.contacts, { value: 4, n: 4 });
    expectValue(t2.wait_avg, { value: 90, n: 3, low: 0, high: 239.048263 }); // low −59.05 clamped at 0
    expectValue(t2.handle_avg, { value: 325, n: 2 });
    expectValue(t2.resolution_rate, { value: 0.5, n: 2, low: 0.094531, high: 0.905469 });
  });

  it('by agent (interactions without an agent have no agent row)', async () => {
    const r = await run({ by: 'agent' });
    expect(dimsOf(r, 'agent')).toEqual(['a1', 'a2', 'a3']);
    // a1 = i1, i2: abandon 0/2 → Wilson [0, z²/n/(1+z²/n)] = [0, 1.920729/2.920729] = [0, 0.657620];
    // waits 10, 20 → 15, s = 7.071068, s/√2 = 5, t(.975,1) = 12.706205 → [−48.531024, 78.531024];
    // resolved 2/2 → Wilson: centre = (1 + 0.960365)/2.920729 = 0.671190, half = 0.671052·√(0 + 0.240091) = 0.328810 → [0.342380, 1].
    const a1 = rowOf(r, '2024-W07', ['agent', 'a1']).values;
    expectValue(a1.contacts, { value: 2, n: 2 });
    expectValue(a1.abandon_rate, { value: 0, n: 2, low: 0, high: 0.65762 });
    expectValue(a1.wait_avg, { value: 15, n: 2, low: 0, high: 78.531024 }); // low −48.53 clamped at 0
    expectValue(a1.handle_avg, { value: 250, n: 2 });
    expectValue(a1.resolution_rate, { value: 1, n: 2, low: 0.34238, high: 1 });
    // a2 = i3, i4: abandon 1/2; wait 40 (n 1: a mean of one has no interval); resolved 0/1 →
    // Wilson 0/1: [0, 3.841459/4.841459] = [0, 0.793451].
    const a2 = rowOf(r, '2024-W07', ['agent', 'a2']).values;
    expectValue(a2.abandon_rate, { value: 0.5, n: 2 });
    expectValue(a2.wait_avg, { value: 40, n: 1, low: null, high: null });
    expectValue(a2.resolution_rate, { value: 0, n: 1, low: 0, high: 0.793451 });
    // a3 = i5, i6, i8: abandon 0/3; waits 90, 150, 30 → 90; handle 400, 250 → 325; resolved 1/2.
    const a3 = rowOf(r, '2024-W07', ['agent', 'a3']).values;
    expectValue(a3.contacts, { value: 3, n: 3 });
    expectValue(a3.abandon_rate, { value: 0, n: 3 });
    expectValue(a3.wait_avg, { value: 90, n: 3 });
    expectValue(a3.resolution_rate, { value: 0.5, n: 2 });
  });

  it('by channel', async () => {
    const r = await run({ by: 'channel' });
    expect(dimsOf(r, 'channel')).toEqual(['chat', 'email', 'phone']);
    // phone = i1, i2, i5, i7, i8: abandon 1/5; waits 10, 20, 90, 30 → 37.5.
    // Wilson 1/5: z²/n = 0.768292; centre = (0.2 + 0.384146)/1.768292 = 0.330345;
    // half = 1.108393 · √(0.032 + 0.038415) = 0.294121 → [0.036224, 0.624465].
    const phone = rowOf(r, '2024-W07', ['channel', 'phone']).values;
    expectValue(phone.contacts, { value: 5, n: 5 });
    expectValue(phone.abandon_rate, { value: 0.2, n: 5, low: 0.036224, high: 0.624465 });
    expectValue(phone.wait_avg, { value: 37.5, n: 4 });
    // chat = i3, i4: abandon 1/2; wait 40. email = i6: wait 150, no handle time → null.
    expectValue(rowOf(r, '2024-W07', ['channel', 'chat']).values.abandon_rate, {
      value: 0.5,
      n: 2,
      low: 0.094531,
      high: 0.905469,
    });
    const email = rowOf(r, '2024-W07', ['channel', 'email']).values;
    expectValue(email.wait_avg, { value: 150, n: 1 });
    expectValue(email.handle_avg, { value: null, n: 0 });
  });

  it('by journey_stage (case-folded, first spelling kept; none last)', async () => {
    const r = await run({ by: 'journey_stage' });
    expect(dimsOf(r, 'journey_stage')).toEqual(['Billing', 'Onboarding', null]);
    // Billing = i1, i2, i3, i8 ("billing"): waits 10, 20, 40, 30 → 25; resolved ✓ ✓ ✗ ✗ → 2/4.
    const billing = rowOf(r, '2024-W07', ['journey_stage', 'Billing']).values;
    expectValue(billing.contacts, { value: 4, n: 4 });
    expectValue(billing.wait_avg, { value: 25, n: 4 });
    expectValue(billing.resolution_rate, { value: 0.5, n: 4 });
    // Onboarding = i4, i5, i6: abandon 1/3 (Wilson: centre = (0.333333 + 0.640243)/2.280486 = 0.426916,
    // half = 0.859449 · √(0.074074 + 0.106707) = 0.365424 → [0.061492, 0.792340]); waits 90, 150 → 120.
    const onboarding = rowOf(r, '2024-W07', ['journey_stage', 'Onboarding']).values;
    expectValue(onboarding.abandon_rate, { value: 1 / 3, n: 3, low: 0.061492, high: 0.79234 });
    expectValue(onboarding.wait_avg, { value: 120, n: 2 });
    // No stage = i7, abandoned → 1/1: Wilson [1/(1 + z²), 1] = [0.206549, 1].
    expectValue(rowOf(r, '2024-W07', ['journey_stage', null]).values.abandon_rate, {
      value: 1,
      n: 1,
      low: 0.206549,
      high: 1,
    });
  });

  it('by contact_reason', async () => {
    const r = await run({ by: 'contact_reason' });
    expect(dimsOf(r, 'contact_reason')).toEqual(['Login', 'Refund', null]);
    // Login = i3, i4, i5: abandon 1/3; waits 40, 90 → 65, s = 35.355339, s/√2 = 25, half = 12.706205 · 25 = 317.655118.
    const login = rowOf(r, '2024-W07', ['contact_reason', 'Login']).values;
    expectValue(login.abandon_rate, { value: 1 / 3, n: 3 });
    expectValue(login.wait_avg, { value: 65, n: 2, low: 0, high: 382.655118 }); // low −252.66 clamped at 0
    // Refund = i1, i2, i7, i8: abandon 1/4; waits 10, 20, 30 → 20; handle 300, 200, 250 → 250.
    const refund = rowOf(r, '2024-W07', ['contact_reason', 'Refund']).values;
    expectValue(refund.abandon_rate, { value: 0.25, n: 4 });
    expectValue(refund.wait_avg, { value: 20, n: 3 });
    expectValue(refund.handle_avg, { value: 250, n: 3 });
    // No reason = i6: wait 150.
    expectValue(rowOf(r, '2024-W07', ['contact_reason', null]).values.wait_avg, { value: 150, n: 1 });
  });

  it('by wait_bucket: interaction metrics cannot be broken down by it (null, with a warning)', async () => {
    const r = await run({ metrics: ['contacts', 'resolution_rate'], by: 'wait_bucket' });
    for (const row of r.rows) {
      expectValue(row.values.contacts, { value: null, n: 0 });
      expectValue(row.values.resolution_rate, { value: null, n: 0 });
    }
    expect(r.meta.warnings.join(' ')).toMatch(/contacts cannot be broken down or filtered by wait_bucket/);
  });
});

describe('filters', () => {
  it('team=t2 is exactly the t2 row', async () => {
    const v = rowOf(await run({ filters: { team: ['t2'] } }), '2024-W07').values;
    expectValue(v.contacts, { value: 4, n: 4 });
    expectValue(v.wait_avg, { value: 90, n: 3, low: 0, high: 239.048263 }); // low −59.05 clamped at 0
    expectValue(v.resolution_rate, { value: 0.5, n: 2, low: 0.094531, high: 0.905469 });
  });

  it('team=t1,t2 is everything', async () => {
    const v = rowOf(await run({ filters: { team: ['t1', 't2'] } }), '2024-W07').values;
    expectValue(v.contacts, { value: 8, n: 8 });
    expectValue(v.abandon_rate, { value: 0.25, n: 8, low: 0.071479, high: 0.590725 });
  });

  it('agent=a1', async () => {
    const v = rowOf(await run({ filters: { agent: ['a1'] } }), '2024-W07').values;
    expectValue(v.contacts, { value: 2, n: 2 });
    expectValue(v.wait_avg, { value: 15, n: 2, low: 0, high: 78.531024 }); // low −48.53 clamped at 0
    expectValue(v.resolution_rate, { value: 1, n: 2, low: 0.34238, high: 1 });
  });

  it('channel=chat', async () => {
    const v = rowOf(await run({ filters: { channel: ['chat'] } }), '2024-W07').values;
    expectValue(v.contacts, { value: 2, n: 2 });
    expectValue(v.abandon_rate, { value: 0.5, n: 2, low: 0.094531, high: 0.905469 });
    expectValue(v.wait_avg, { value: 40, n: 1 });
  });

  it('journey_stage=BILLING matches "Billing" and "billing"', async () => {
    const v = rowOf(await run({ filters: { journey_stage: ['BILLING'] } }), '2024-W07').values;
    expectValue(v.contacts, { value: 4, n: 4 });
    expectValue(v.wait_avg, { value: 25, n: 4 });
  });

  it('contact_reason=login', async () => {
    const v = rowOf(await run({ filters: { contact_reason: ['login'] } }), '2024-W07').values;
    expectValue(v.contacts, { value: 3, n: 3 });
    expectValue(v.wait_avg, { value: 65, n: 2 });
  });

  it('a filter combined with by: channel=phone by team', async () => {
    const r = await run({ by: 'team', filters: { channel: ['phone'] } });
    // t1 phone = i1, i2 → waits 10, 20; t2 phone = i5, i7, i8 → abandon 1/3, waits 90, 30 → 60.
    expectValue(rowOf(r, '2024-W07', ['team', 't1']).values.wait_avg, { value: 15, n: 2 });
    expectValue(rowOf(r, '2024-W07', ['team', 't2']).values.abandon_rate, { value: 1 / 3, n: 3 });
    expectValue(rowOf(r, '2024-W07', ['team', 't2']).values.wait_avg, { value: 60, n: 2 });
  });
});
