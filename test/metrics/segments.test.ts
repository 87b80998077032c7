// Customer segments, worked out by hand: churn and referral rate of each segment's customers, and
// CSAT, NPS and contacts by the segment of the interaction's or survey's customer (a survey's
// customer is its own, else its interaction's); "no segment" for records without a customer or
// whose customer has none; the segment filter; suppression under min_n; a re-import that moves a
// customer to another segment carries its interactions and surveys along.
//
// Wilson 95% (z = 1.959964, z² = 3.841459): centre = (p̂ + z²/2n)/(1 + z²/n),
// half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics, type MetricsRequest } from '../../api/metrics/engine';
import { verifyRollups } from '../../api/rollups/refresh';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';
import { dimsOf, expectValue, rowOf } from './support';

let d: TestDatabase;

// Customers (segments as written; "monthly" is the same segment as "Monthly", first spelling kept):
// | id | segment  | started    | churned    | value |
// | m1 | Monthly  | 2023-01-01 | 2024-03-10 | 50    |
// | m2 | monthly  | 2023-06-01 | 2024-03-20 | 40    |
// | m3 |  Monthly | 2023-06-01 |            | 60    |
// | m4 | Monthly  | 2024-03-05 |            | 30    |  (starts in March: not active at its start)
// | y1 | Two year | 2022-01-01 |            | 200   |
// | y2 | Two year | 2022-01-01 |            | 300   |
// | y3 | Two year | 2023-01-01 | 2024-03-31 | 250   |
// | n1 |          | 2023-01-01 |            |       |
// | n2 |          | 2023-01-01 | 2024-03-15 |       |
// Referrals: March m3 (2nd), y1 (5th), y2 (9th), n1 (12th); February y1 (20th, outside March).
// Interactions in March: i1 m1, i2 y1, i3 no customer, i4 n1.
// Surveys in March (csat, nps):
//   s1 → i1 (m1: Monthly) 5, 10     s2 own m3 (Monthly) 2, 3
//   s3 → i2 (y1: Two year) 4, 9     s4 → i1 but own y2 (Two year: its own customer wins) 5, 8
//   s5 → i3 (no customer) 1, 0      s6 own n2 (no segment) 4, 10
beforeAll(async () => {
  d = await createTestDatabase();
  await ingestCsv(d, 'teams', csv('external_id,name', 't1,Team One'));
  await ingestCsv(
    d,
    'customers',
    csv(
      'external_id,segment,started_on,churned_on,monthly_value',
      'm1,Monthly,2023-01-01,2024-03-10,50',
      'm2,monthly,2023-06-01,2024-03-20,40',
      'm3, Monthly ,2023-06-01,,60',
      'm4,Monthly,2024-03-05,,30',
      'y1,Two year,2022-01-01,,200',
      'y2,Two year,2022-01-01,,300',
      'y3,Two year,2023-01-01,2024-03-31,250',
      'n1,,2023-01-01,,',
      'n2,,2023-01-01,2024-03-15,',
    ),
  );
  await ingestCsv(
    d,
    'referrals',
    csv(
      'external_id,referred_at,customer',
      'r1,2024-03-02T10:00:00Z,m3',
      'r2,2024-03-05T10:00:00Z,y1',
      'r3,2024-03-09T10:00:00Z,y2',
      'r4,2024-03-12T10:00:00Z,n1',
      'r5,2024-02-20T10:00:00Z,y1',
    ),
  );
  await ingestCsv(
    d,
    'interactions',
    csv(
      'external_id,occurred_at,team,customer,wait_seconds',
      'i1,2024-03-04T09:00:00Z,t1,m1,20',
      'i2,2024-03-05T09:00:00Z,t1,y1,40',
      'i3,2024-03-06T09:00:00Z,t1,,60',
      'i4,2024-03-07T09:00:00Z,t1,n1,80',
    ),
  );
  await ingestCsv(
    d,
    'surveys',
    csv(
      'external_id,responded_at,interaction,customer,csat,nps',
      's1,2024-03-04T10:00:00Z,i1,,5,10',
      's2,2024-03-08T10:00:00Z,,m3,2,3',
      's3,2024-03-05T10:00:00Z,i2,,4,9',
      's4,2024-03-04T11:00:00Z,i1,y2,5,8',
      's5,2024-03-06T10:00:00Z,i3,,1,0',
      's6,2024-03-09T10:00:00Z,,n2,4,10',
    ),
  );
});
afterAll(() => d.destroy());

const MARCH = { grain: 'month' as const, from: '2024-03-01', to: '2024-03-31', filters: {} };
const run = (req: Partial<MetricsRequest> & Pick<MetricsRequest, 'metrics'>) => runMetrics(d, { ...MARCH, ...req });
const seg = (name: string | null): [string, string | null] => ['segment', name];

describe('by=segment, March 2024', () => {
  it('rows for each segment, first spelling kept, "no segment" (null) last', async () => {
    const r = await run({ metrics: ['churn_rate', 'csat'], by: 'segment' });
    expect(dimsOf(r, 'segment')).toEqual(['Monthly', 'Two year', null]);
  });

  it('churn_rate of each segment’s customers', async () => {
    const r = await run({ metrics: ['churn_rate'], by: 'segment' });
    // Monthly: active at 1 March m1, m2, m3 = 3 (m4 starts on the 5th); churned m1, m2 → 2/3.
    //   Wilson 2/3: z²/n = 1.280486; centre = (0.666667 + 0.640243)/2.280486 = 0.573084;
    //   half = 0.859451 · √(0.074074 + 0.106707) = 0.365424 → [0.207660, 0.938508].
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.churn_rate, {
      value: 2 / 3,
      n: 3,
      low: 0.20766,
      high: 0.938508,
    });
    // Two year: y1, y2, y3 = 3; churned y3 (31 March, the period's last day) → 1/3: centre 0.426916 → [0.061492, 0.792340].
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.churn_rate, {
      value: 1 / 3,
      n: 3,
      low: 0.061492,
      high: 0.79234,
    });
    // No segment: n1, n2 = 2; churned n2 → 1/2: z²/n = 1.920730; centre 0.5; half = 0.671055 · √(0.125 + 0.240091) = 0.405469.
    expectValue(rowOf(r, '2024-03', seg(null)).values.churn_rate, { value: 0.5, n: 2, low: 0.094531, high: 0.905469 });
    // The segments add up to the organisation: 8 active, 4 churned.
    expectValue(rowOf(await run({ metrics: ['churn_rate'] }), '2024-03').values.churn_rate, { value: 0.5, n: 8 });
  });

  it('referrals and referral_rate: the referrals a segment’s customers made per 100 of them active at the start', async () => {
    const r = await run({ metrics: ['referrals', 'referral_rate'], by: 'segment' });
    // Monthly: r1 (m3) ÷ 3 active → 33.333 per 100; interval 100 × Wilson 1/3 = [6.149194, 79.234040].
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.referral_rate, {
      value: 100 / 3,
      n: 3,
      low: 6.149194,
      high: 79.23404,
    });
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.referrals, { value: 1, n: 1 });
    // Two year: r2 (y1), r3 (y2) — r5 is in February — ÷ 3 → 66.667 per 100; 100 × Wilson 2/3 = [20.765960, 93.850806].
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.referral_rate, {
      value: 200 / 3,
      n: 3,
      low: 20.76596,
      high: 93.850806,
    });
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.referrals, { value: 2, n: 2 });
    // No segment: r4 (n1) ÷ 2 → 50 per 100; 100 × Wilson 1/2 = [9.453120, 90.546880].
    expectValue(rowOf(r, '2024-03', seg(null)).values.referral_rate, { value: 50, n: 2, low: 9.45312, high: 90.54688 });
  });

  it('clv counts each segment’s own valued customers (n)', async () => {
    const r = await run({ metrics: ['clv'], by: 'segment' });
    // Active at 1 March with a monthly value: Monthly m1, m2, m3 = 3; Two year 3; no segment: n1, n2 have none = 0.
    expect(rowOf(r, '2024-03', seg('Monthly')).values.clv!.n).toBe(3);
    expect(rowOf(r, '2024-03', seg('Two year')).values.clv!.n).toBe(3);
    expect(rowOf(r, '2024-03', seg(null)).values.clv!.n).toBe(0);
  });

  it('csat and nps by the segment of the survey’s customer (its own, else its interaction’s)', async () => {
    const r = await run({ metrics: ['csat', 'nps'], by: 'segment' });
    // Monthly: s1 (5, via i1's m1), s2 (2, own m3) → csat 1/2; nps 10 promoter, 3 detractor → 0.
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.csat, { value: 0.5, n: 2, low: 0.094531, high: 0.905469 });
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.nps, { value: 0, n: 2 });
    // Two year: s3 (4, via i2's y1), s4 (5, own y2 over i1's m1) → 2/2; nps 9 promoter, 8 passive → 50;
    //   variance per answer = 0.5 + 0 − 0.5² = 0.25; half = 195.9964 · √(0.25/2) = 195.9964 · 0.353553 = 69.295192 → [−19.295192, 100 (clamped)].
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.csat, { value: 1, n: 2 });
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.nps, { value: 50, n: 2, low: -19.295192, high: 100 });
    // No segment: s5 (1, i3 has no customer), s6 (4, own n2 without a segment) → csat 1/2; nps 0 and 10 → 0.
    expectValue(rowOf(r, '2024-03', seg(null)).values.csat, { value: 0.5, n: 2 });
    expectValue(rowOf(r, '2024-03', seg(null)).values.nps, { value: 0, n: 2 });
  });

  it('interaction metrics by the segment of the interaction’s customer', async () => {
    const r = await run({ metrics: ['contacts', 'wait_avg'], by: 'segment' });
    // Monthly: i1 (20 s); Two year: i2 (40 s); no segment: i3 (no customer, 60 s), i4 (n1, 80 s) → mean 70 s.
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.contacts, { value: 1, n: 1 });
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.wait_avg, { value: 40, n: 1 });
    expectValue(rowOf(r, '2024-03', seg(null)).values.contacts, { value: 2, n: 2 });
    expectValue(rowOf(r, '2024-03', seg(null)).values.wait_avg, { value: 70, n: 2 });
  });

  it('min_n suppresses a segment’s value below the minimum, with its n', async () => {
    const r = await run({ metrics: ['churn_rate', 'csat'], by: 'segment', minN: 3 });
    // Churn: Monthly n = 3 is shown (3 ≥ 3); no segment n = 2 is suppressed. CSAT: every segment has n = 2.
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.churn_rate, { value: 2 / 3, n: 3 });
    expect(rowOf(r, '2024-03', seg(null)).values.churn_rate).toEqual({
      value: null,
      n: 2,
      low: null,
      high: null,
      suppressed: true,
    });
    expect(rowOf(r, '2024-03', seg('Two year')).values.csat).toEqual({
      value: null,
      n: 2,
      low: null,
      high: null,
      suppressed: true,
    });
  });
});

describe('segment= filter', () => {
  it('narrows customers, referrals and surveys to the segments named (trimmed, any case)', async () => {
    const r = await run({
      metrics: ['churn_rate', 'referral_rate', 'csat', 'nps'],
      filters: { segment: [' MONTHLY', 'two year'] },
    });
    const v = rowOf(r, '2024-03').values;
    // Active 3 + 3 = 6, churned 2 + 1 = 3 → 1/2. Wilson 3/6: z²/n = 0.640243; centre 0.5;
    //   half = (1.959964/1.640243) · √(0.041667 + 0.026677) = 1.194923 · 0.261426 = 0.312384 → [0.187616, 0.812384].
    expectValue(v.churn_rate, { value: 0.5, n: 6, low: 0.187616, high: 0.812384 });
    // Referrals r1, r2, r3 ÷ 6 → 50 per 100.
    expectValue(v.referral_rate, { value: 50, n: 6 });
    // Surveys s1, s2, s3, s4: csat 5, 2, 4, 5 → 3/4; nps 10, 3, 9, 8 → (2 − 1)/4 = 25.
    expectValue(v.csat, { value: 0.75, n: 4 });
    expectValue(v.nps, { value: 25, n: 4 });
  });

  it('with by=segment only the segments named', async () => {
    const r = await run({ metrics: ['churn_rate', 'csat'], by: 'segment', filters: { segment: ['two year'] } });
    expect(dimsOf(r, 'segment')).toEqual(['Two year']);
  });

  it('an unknown segment is named in the error', async () => {
    await expect(run({ metrics: ['csat'], filters: { segment: ['Weekly'] } })).rejects.toThrow(
      "Unknown segment 'weekly' in 'segment'.",
    );
  });

  it('employee retention has no segments: null, with a warning', async () => {
    const r = await run({ metrics: ['employee_retention'], by: 'segment' });
    expect(r.meta.warnings).toEqual([
      'employee_retention cannot be broken down or filtered by segment: its values are null.',
    ]);
  });
});

describe('a customer moved to another segment on re-import', () => {
  it('takes its interactions, surveys and referrals along; the rollups equal a recomputation', async () => {
    await ingestCsv(
      d,
      'customers',
      csv('external_id,segment,started_on,churned_on,monthly_value', 'm1,two YEAR,2023-01-01,2024-03-10,50'),
    );
    expect(await verifyRollups(d, 'UTC').then((x) => x.filter((t) => t.extra + t.missing > 0))).toEqual([]);
    const r = await run({ metrics: ['churn_rate', 'csat', 'contacts'], by: 'segment' });
    // Monthly: m2, m3 active, m2 churned → 1/2; s2 alone (2) → csat 0/1; no interaction left.
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.churn_rate, { value: 0.5, n: 2 });
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.csat, { value: 0, n: 1 });
    expectValue(rowOf(r, '2024-03', seg('Monthly')).values.contacts, { value: null, n: 0 });
    // Two year (its first spelling stays): y1, y2, y3, m1 active, y3 and m1 churned → 2/4; s1 (5), s3 (4), s4 (5) → 3/3; i1, i2.
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.churn_rate, {
      value: 0.5,
      n: 4,
      low: 0.150039,
      high: 0.849961,
    });
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.csat, { value: 1, n: 3 });
    expectValue(rowOf(r, '2024-03', seg('Two year')).values.contacts, { value: 2, n: 2 });
    // And back without a segment: i1, s1 go to "no segment".
    await ingestCsv(
      d,
      'customers',
      csv('external_id,segment,started_on,churned_on,monthly_value', 'm1,,2023-01-01,2024-03-10,50'),
    );
    expect(await verifyRollups(d, 'UTC').then((x) => x.filter((t) => t.extra + t.missing > 0))).toEqual([]);
    const back = await run({ metrics: ['contacts', 'csat'], by: 'segment' });
    // No segment: i1, i3, i4; surveys s1 (5), s5 (1), s6 (4) → 2/3.
    expectValue(rowOf(back, '2024-03', seg(null)).values.contacts, { value: 3, n: 3 });
    expectValue(rowOf(back, '2024-03', seg(null)).values.csat, { value: 2 / 3, n: 3 });
  });
});
