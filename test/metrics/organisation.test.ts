// Customer, agent and referral metrics, worked out by hand: churn_rate, clv, employee_retention,
// referrals, referral_rate — by month, week, day and total.
//
// The convention tested (the metric definitions; the engine's api/metrics/organisation.ts):
// - active at day S  = started_on/hired_on ≤ S (or none given) and churned_on/left_on not before S
//                      (null or ≥ S). A customer who churns on the period's first day was active
//                      at its start and churned within it; one who started on that day is active.
// - churned/left in the period = churned_on/left_on in [S, E] (the period's first and last day,
//   clipped to the requested range). Every churn/leave dated in the period counts, also of a
//   customer/agent who started after S (the literal definition; see the April tests).
// - churn_rate = churned in period ÷ active at S;  employee_retention = 1 − left in period ÷ active at S
//   (interval: 1 − the Wilson interval of the leavers);  referral_rate = 100 · referrals ÷ customers active at S.
// - clv = mean monthly_value of customers active at S (those with a value; n = their number)
//   ÷ mean of the churn rates of 12 calendar months (churned in the month ÷ active at its first
//   day): those ending with E's month when E is its last day, else with the month before E's
//   month; months with no active customer left out; null when that mean is 0. (No day after E is
//   ever used.)
//
// Wilson 95% (z = 1.959964, z² = 3.841459): centre = (p̂ + z²/2n)/(1 + z²/n), half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics, type MetricsRequest } from '../../api/metrics/engine';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';
import { dimsOf, expectValue, rowOf } from './support';

let d: TestDatabase;

// Customers:                       Agents:
// | id | started    | churned    | value |   | id | team | hired      | left       |
// | c1 | 2023-01-01 |            | 100   |   | a1 | t1   | 2023-01-01 |            |
// | c2 | 2023-06-01 | 2024-02-01 | 50    |   | a2 | t1   | 2023-05-01 | 2024-02-01 |
// | c3 | 2023-12-01 | 2024-01-31 | 80    |   | a3 | t1   | 2023-12-01 | 2024-01-31 |
// | c4 | 2024-02-01 |            | 120   |   | a7 | t1   | 2023-01-01 |            |
// | c5 | 2024-04-10 | 2024-04-20 | 10    |   | a4 | t2   | 2024-02-01 |            |
// | c6 |            |            |       |   | a5 | t2   |            | 2024-02-29 |
// | c7 | 2024-03-05 |            | 200   |   | a6 | t2   | 2024-02-15 |            |
//                                          | a8 | t2   | 2024-04-03 | 2024-04-25 |
// Referrals (UTC): r1 2024-01-20, r2 2024-02-02, r3 2024-02-14, r4 2024-02-29 23:30, r5 2024-03-01 00:00.
beforeAll(async () => {
  d = await createTestDatabase();
  await ingestCsv(d, 'teams', csv('external_id,name', 't1,Team One', 't2,Team Two'));
  await ingestCsv(
    d,
    'customers',
    csv(
      'external_id,started_on,churned_on,monthly_value',
      'c1,2023-01-01,,100',
      'c2,2023-06-01,2024-02-01,50',
      'c3,2023-12-01,2024-01-31,80',
      'c4,2024-02-01,,120',
      'c5,2024-04-10,2024-04-20,10',
      'c6,,,',
      'c7,2024-03-05,,200',
    ),
  );
  await ingestCsv(
    d,
    'agents',
    csv(
      'external_id,name,team,hired_on,left_on',
      'a1,A1,t1,2023-01-01,',
      'a2,A2,t1,2023-05-01,2024-02-01',
      'a3,A3,t1,2023-12-01,2024-01-31',
      'a7,A7,t1,2023-01-01,',
      'a4,A4,t2,2024-02-01,',
      'a5,A5,t2,,2024-02-29',
      'a6,A6,t2,2024-02-15,',
      'a8,A8,t2,2024-04-03,2024-04-25',
    ),
  );
  await ingestCsv(
    d,
    'referrals',
    csv(
      'external_id,referred_at,customer',
      'r1,2024-01-20T10:00:00Z,c1',
      'r2,2024-02-02T10:00:00Z,c1',
      'r3,2024-02-14T10:00:00Z,c2',
      'r4,2024-02-29T23:30:00Z,c4',
      'r5,2024-03-01T00:00:00Z,c4',
    ),
  );
});
afterAll(() => d.destroy());

const ORG = ['churn_rate', 'clv', 'employee_retention', 'referrals', 'referral_rate'];
const run = (req: Partial<MetricsRequest>) =>
  runMetrics(d, { metrics: ORG, grain: 'month', from: '2024-01-01', to: '2024-04-30', filters: {}, ...req });

describe('by month, January … April 2024', () => {
  it('churn_rate', async () => {
    const r = await run({ metrics: ['churn_rate'] });
    expect(r.rows.map((x) => x.period)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
    // Jan: active at Jan 1: c1, c2, c3, c6 = 4; churned in Jan: c3 (Jan 31) → 1/4.
    // Wilson 1/4: z²/n = 0.960365; centre = (0.25 + 0.480182)/1.960365 = 0.372473;
    // half = 0.999798 · √(0.046875 + 0.060023) = 0.326885 → [0.045587, 0.699358].
    expectValue(rowOf(r, '2024-01').values.churn_rate, { value: 0.25, n: 4, low: 0.045587, high: 0.699358 });
    // Feb: active at Feb 1: c1, c2 (churns on Feb 1: not before it), c4 (starts Feb 1), c6 = 4 (c3 churned Jan 31);
    // churned in Feb: c2 → 1/4, same interval.
    expectValue(rowOf(r, '2024-02').values.churn_rate, { value: 0.25, n: 4, low: 0.045587, high: 0.699358 });
    // Mar: active at Mar 1: c1, c4, c6 = 3 (c7 starts Mar 5); no churn → 0/3.
    // Wilson 0/3: [0, (z²/3)/(1 + z²/3)] = [0, 1.280486/2.280486] = [0, 0.561497].
    expectValue(rowOf(r, '2024-03').values.churn_rate, { value: 0, n: 3, low: 0, high: 0.561497 });
  });

  it('churn_rate counts every churn dated in the period, also of a customer who started after its start (April: c5)', async () => {
    // Apr: active at Apr 1: c1, c4, c6, c7 = 4; churned in Apr: c5 (started Apr 10, churned Apr 20) → 1/4.
    const r = await run({ metrics: ['churn_rate'], from: '2024-04-01' });
    expectValue(rowOf(r, '2024-04').values.churn_rate, { value: 0.25, n: 4, low: 0.045587, high: 0.699358 });
  });

  it('clv', async () => {
    const r = await run({ metrics: ['clv'] });
    // Monthly churn rates (churned in month ÷ active at its first day):
    //   Feb–May 2023: 0/2 (c1, c6); Jun–Nov 2023: 0/3 (+c2); Dec 2023: 0/4 (+c3);
    //   Jan 2024: 1/4 (c3); Feb 2024: 1/4 (c2); Mar 2024: 0/3.
    // Jan: mean value of c1, c2, c3 (active at Jan 1 with a value) = 230/3 = 76.666667;
    //      12 months Feb 2023 … Jan 2024: mean rate = 0.25/12 = 0.0208333 → 76.666667/0.0208333 = 3680.
    expectValue(rowOf(r, '2024-01').values.clv, { value: 3680, n: 3 });
    // Feb: c1 100, c2 50, c4 120 → 90; Mar 2023 … Feb 2024: (0.25 + 0.25)/12 → 90 · 24 = 2160.
    expectValue(rowOf(r, '2024-02').values.clv, { value: 2160, n: 3 });
    // Mar: c1 100, c4 120 → 110; Apr 2023 … Mar 2024: 0.5/12 → 110 · 24 = 2640.
    expectValue(rowOf(r, '2024-03').values.clv, { value: 2640, n: 2 });
  });

  it('clv is null when there was no churn in the 12 months', async () => {
    // Jun 2023: valued customers active at Jun 1: c1 100, c2 50 (starts Jun 1) → n 2; Jul 2022 … Jun 2023 saw no churn.
    const r = await run({ metrics: ['clv'], from: '2023-06-01', to: '2023-06-30' });
    expectValue(rowOf(r, '2023-06').values.clv, { value: null, n: 2 });
  });

  it('employee_retention', async () => {
    const r = await run({ metrics: ['employee_retention'] });
    // Jan: active at Jan 1: a1, a2, a3, a7, a5 (no hire date) = 5; left in Jan: a3 → 1 − 1/5 = 0.8.
    // Leavers 1/5: z²/n = 0.768292; centre = (0.2 + 0.384146)/1.768292 = 0.330345,
    // half = 1.108393 · √(0.032 + 0.038415) = 0.294121 → [0.036224, 0.624465] → retention [0.375535, 0.963776].
    expectValue(rowOf(r, '2024-01').values.employee_retention, { value: 0.8, n: 5, low: 0.375535, high: 0.963776 });
    // Feb: active at Feb 1: a1, a2 (leaves Feb 1), a7, a4 (hired Feb 1), a5 = 5 (a3 left Jan 31, a6 hired Feb 15);
    // left in Feb: a2 (Feb 1), a5 (Feb 29) → 1 − 2/5 = 0.6.
    // Leavers 2/5: centre = (0.4 + 0.384146)/1.768292 = 0.443448, half = 1.108393 · √(0.048 + 0.038415) = 0.325827
    // → [0.117621, 0.769276] → retention [0.230724, 0.882379].
    expectValue(rowOf(r, '2024-02').values.employee_retention, { value: 0.6, n: 5, low: 0.230724, high: 0.882379 });
    // Mar: active at Mar 1: a1, a7, a4, a6 = 4 (a5 left Feb 29); nobody left → 1.
    // Leavers 0/4: [0, 0.960365/1.960365] = [0, 0.489891] → retention [0.510109, 1].
    expectValue(rowOf(r, '2024-03').values.employee_retention, { value: 1, n: 4, low: 0.510109, high: 1 });
    // Apr: active at Apr 1: a1, a7, a4, a6 = 4; left in Apr: a8 (hired Apr 3, left Apr 25) → 1 − 1/4 = 0.75.
    expectValue(rowOf(r, '2024-04').values.employee_retention, {
      value: 0.75,
      n: 4,
      low: 1 - 0.699358,
      high: 1 - 0.045587,
    });
  });

  it('employee_retention by team and filtered by team', async () => {
    const r = await run({ metrics: ['employee_retention'], by: 'team', from: '2024-02-01', to: '2024-02-29' });
    expect(dimsOf(r, 'team')).toEqual(['t1', 't2']);
    // t1 Feb: a1, a2, a7 = 3; left a2 → 1 − 1/3 = 0.666667.
    // Leavers 1/3: centre = (0.333333 + 0.640243)/2.280486 = 0.426916, half = 0.859449 · √(0.074074 + 0.106707) = 0.365424
    // → [0.061492, 0.792340] → retention [0.207660, 0.938508].
    expectValue(rowOf(r, '2024-02', ['team', 't1']).values.employee_retention, {
      value: 2 / 3,
      n: 3,
      low: 0.20766,
      high: 0.938508,
    });
    // t2 Feb: a4, a5 = 2; left a5 → 0.5; leavers 1/2 → [0.094531, 0.905469] → same bounds.
    expectValue(rowOf(r, '2024-02', ['team', 't2']).values.employee_retention, {
      value: 0.5,
      n: 2,
      low: 0.094531,
      high: 0.905469,
    });
    const t2 = await run({
      metrics: ['employee_retention'],
      filters: { team: ['t2'] },
      from: '2024-02-01',
      to: '2024-02-29',
    });
    expectValue(rowOf(t2, '2024-02').values.employee_retention, { value: 0.5, n: 2, low: 0.094531, high: 0.905469 });
  });

  it('referrals and referral_rate', async () => {
    const r = await run({ metrics: ['referrals', 'referral_rate'] });
    // Jan: r1 → 1; customers active at Jan 1 = 4 → 100 · 1/4 = 25 per 100, Wilson 1/4 · 100 → [4.558726, 69.935816].
    expectValue(rowOf(r, '2024-01').values.referrals, { value: 1, n: 1 });
    expectValue(rowOf(r, '2024-01').values.referral_rate, { value: 25, n: 4, low: 4.558726, high: 69.935816 });
    // Feb: r2, r3, r4 (Feb 29 23:30 UTC is still February) → 3; active at Feb 1 = 4 → 75.
    // Wilson 3/4: centre = (0.75 + 0.480182)/1.960365 = 0.627527, half = 0.326885 → [30.064184, 95.441274].
    expectValue(rowOf(r, '2024-02').values.referrals, { value: 3, n: 3 });
    expectValue(rowOf(r, '2024-02').values.referral_rate, { value: 75, n: 4, low: 30.064184, high: 95.441274 });
    // Mar: r5 (Mar 1 00:00) → 1; active at Mar 1 = 3 → 33.333333, Wilson 1/3 → [6.149194, 79.234040].
    expectValue(rowOf(r, '2024-03').values.referral_rate, { value: 100 / 3, n: 3, low: 6.149194, high: 79.23404 });
    // Apr: none → 0 referrals; 0/4 → 0 per 100, Wilson [0, 48.989084].
    expectValue(rowOf(r, '2024-04').values.referrals, { value: 0, n: 0 });
    expectValue(rowOf(r, '2024-04').values.referral_rate, { value: 0, n: 4, low: 0, high: 48.989084 });
  });
});

describe('other grains', () => {
  it('week: a week across a month end (2024-W05, Mon Jan 29 … Sun Feb 4)', async () => {
    const r = await run({ grain: 'week', from: '2024-01-29', to: '2024-02-18' });
    expect(r.rows.map((x) => x.period)).toEqual(['2024-W05', '2024-W06', '2024-W07']);
    const w5 = rowOf(r, '2024-W05').values;
    // Active at Mon Jan 29: c1, c2, c3, c6 = 4 (c4 starts Feb 1); churned Jan 29 … Feb 4: c3, c2 → 2/4 = 0.5.
    // Wilson 2/4: centre 0.5, half = 0.999798 · √(0.0625 + 0.060023) = 0.349961 → [0.150039, 0.849961].
    expectValue(w5.churn_rate, { value: 0.5, n: 4, low: 0.150039, high: 0.849961 });
    // Agents active at Jan 29: a1, a2, a3, a7, a5 = 5; left a3 (Jan 31), a2 (Feb 1) → 0.6.
    expectValue(w5.employee_retention, { value: 0.6, n: 5 });
    // Referral r2 (Feb 2) → 1; 100 · 1/4 = 25.
    expectValue(w5.referral_rate, { value: 25, n: 4 });
    // CLV of a week: customers active at its first day (c1 100, c2 50, c3 80 → 76.666667) ÷ the mean monthly
    // churn of the 12 calendar months before the month of its last day (Feb 4, mid-month: Feb 2023 …
    // Jan 2024; January c3 of 4 active = 0.25, the other 11 months 0 → 0.25/12) → 76.666667 · 48 = 3680.
    expectValue(w5.clv, { value: 3680, n: 3 });
    // W07 (Feb 12 … 18): active c1, c4, c6 = 3; no churn → 0/3; referral r3 → 100/3;
    // CLV: c1 100, c4 120 → 110 over the same 12 months (0.25/12) → 110 · 48 = 5280.
    const w7 = rowOf(r, '2024-W07').values;
    expectValue(w7.churn_rate, { value: 0, n: 3 });
    expectValue(w7.referrals, { value: 1, n: 1 });
    expectValue(w7.referral_rate, { value: 100 / 3, n: 3 });
    expectValue(w7.clv, { value: 5280, n: 2 });
  });

  it('day: churned on the day, active at its start', async () => {
    const r = await run({
      metrics: ['churn_rate', 'employee_retention'],
      grain: 'day',
      from: '2024-02-01',
      to: '2024-02-02',
    });
    // Feb 1: customers c1, c2, c4, c6 = 4, c2 churns → 1/4; agents a1, a2, a7, a4, a5 = 5, a2 leaves → 0.8.
    expectValue(rowOf(r, '2024-02-01').values.churn_rate, { value: 0.25, n: 4 });
    expectValue(rowOf(r, '2024-02-01').values.employee_retention, { value: 0.8, n: 5 });
    // Feb 2: c1, c4, c6 = 3, no churn; agents a1, a7, a4, a5 = 4, nobody leaves.
    expectValue(rowOf(r, '2024-02-02').values.churn_rate, { value: 0, n: 3 });
    expectValue(rowOf(r, '2024-02-02').values.employee_retention, { value: 1, n: 4 });
  });

  it('total: active at the range start, churned anywhere in it', async () => {
    const r = await run({ grain: 'total', from: '2024-01-01', to: '2024-03-31' });
    const v = rowOf(r, 'total').values;
    // Active at Jan 1: 4; churned Jan 1 … Mar 31: c3, c2 → 0.5. Agents at Jan 1: 5; left a3, a2, a5 → 0.4.
    expectValue(v.churn_rate, { value: 0.5, n: 4 });
    expectValue(v.employee_retention, { value: 0.4, n: 5 });
    // Referrals r1 … r5 → 5; 100 · 5/4 = 125 per 100 (more referrals than customers; Wilson uses min(x, n)).
    expectValue(v.referrals, { value: 5, n: 5 });
    expectValue(v.referral_rate, { value: 125, n: 4 });
  });
});

describe('organisation metrics and dimensions', () => {
  it('cannot be broken down by channel or filtered by agent: null, n 0, with a warning', async () => {
    const r = await run({ metrics: ['churn_rate', 'referrals', 'employee_retention'], by: 'channel' });
    for (const row of r.rows)
      for (const k of ['churn_rate', 'referrals', 'employee_retention'])
        expectValue(row.values[k], { value: null, n: 0 });
    const f = await run({ metrics: ['churn_rate', 'clv', 'referral_rate'], filters: { team: ['t1'] } });
    for (const row of f.rows)
      for (const k of ['churn_rate', 'clv', 'referral_rate']) expectValue(row.values[k], { value: null, n: 0 });
    expect(f.meta.warnings.join(' ')).toMatch(/churn_rate cannot be broken down or filtered by team/);
  });
});
