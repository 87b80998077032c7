// The weekly review's Loyalty pair by customer segment: churn and referral rate of each segment's
// customers and NPS and CSAT of their surveys, for the week and the trends' 13 weeks, suppressed
// under min_n = 30 with their n; in the CSV with formula-looking segment names neutralised.
//
// Week 2024-W07 is Mon 12 – Sun 18 February 2024; its 13 weeks run from Mon 20 November 2023.
// Wilson 95% (z = 1.959964, z² = 3.841459): centre = (p̂ + z²/2n)/(1 + z²/n),
// half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEGMENT_MIN_N, type WeeklyView } from '../../api/views/weekly';
import { expectValue } from '../metrics/support';
import { createTestApp, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

// Customers, all started 2023-01-01: Monthly m1…m40 (m1–m4 churn on 13 February), Two year
// y1…y10 (y1 churns on 14 February), one '+Plus' customer p1.
// Referrals by Monthly customers: m5, m6 in the week; m7, m8, m9 earlier in the 13 weeks.
// Surveys (team t1), each naming its customer:
//   the week: m1…m12, csat 5 ×9 and 2 ×3, nps 10 ×6, 3 ×2, 8 ×4; one without a customer (csat 5); y1 (csat 4).
//   January:  m1…m24, csat 4 ×18 and 1 ×6, nps 9 ×12, 0 ×4, 7 ×8.
beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(
    t.database,
    'customers',
    csv(
      'external_id,segment,started_on,churned_on',
      ...range(40, (i) => `m${i + 1},Monthly,2023-01-01,${i < 4 ? '2024-02-13' : ''}`),
      ...range(10, (i) => `y${i + 1},Two year,2023-01-01,${i < 1 ? '2024-02-14' : ''}`),
      'p1,+Plus,2023-01-01,',
    ),
  );
  await ingestCsv(
    t.database,
    'referrals',
    csv(
      'external_id,referred_at,customer',
      'r1,2024-02-14T10:00:00Z,m5',
      'r2,2024-02-15T10:00:00Z,m6',
      'r3,2023-12-01T10:00:00Z,m7',
      'r4,2024-01-05T10:00:00Z,m8',
      'r5,2024-02-05T10:00:00Z,m9',
    ),
  );
  const at = (day: string, i: number) => `${day}T10:${String(i).padStart(2, '0')}:00Z`;
  await ingestCsv(
    t.database,
    'surveys',
    csv(
      'external_id,responded_at,team,customer,csat,nps',
      ...range(12, (i) => `w${i},${at('2024-02-13', i)},t1,m${i + 1},${i < 9 ? 5 : 2},${i < 6 ? 10 : i < 8 ? 3 : 8}`),
      `wn,${at('2024-02-14', 0)},t1,,5,`,
      `wy,${at('2024-02-14', 1)},t1,y1,4,`,
      ...range(24, (i) => `j${i},${at('2024-01-10', i)},t1,m${i + 1},${i < 18 ? 4 : 1},${i < 12 ? 9 : i < 16 ? 0 : 7}`),
    ),
  );
});
afterAll(() => t.close());

const weekly = async (query: string) => {
  const res = await t.request(`/api/v1/views/weekly${query}`, { token: t.tokens.leader });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as WeeklyView;
};
const row = (v: WeeklyView, segment: string | null) => v.segments.rows.find((r) => r.segment === segment)!;

describe('weekly review: the Loyalty pair by segment', () => {
  it('the week and its 13 weeks for each segment, "no segment" last', async () => {
    const v = await weekly('?week=2024-W07');
    const s = v.segments;
    expect(s).toMatchObject({
      metrics: ['churn_rate', 'referral_rate', 'nps', 'csat'],
      min_n: SEGMENT_MIN_N,
      week: { from: '2024-02-12', to: '2024-02-18' },
      window: { from: '2023-11-20', to: '2024-02-18' },
    });
    expect(s.rows.map((r) => r.segment)).toEqual(expect.arrayContaining(['+Plus', 'Monthly', 'Two year']));
    expect(s.rows.at(-1)!.segment).toBeNull();
    expect(s.rows).toHaveLength(4);

    const m = row(v, 'Monthly');
    // Churn: 40 active on 12 February (and on 20 November), m1–m4 churned in the week → 4/40.
    //   Wilson 4/40: z²/n = 0.096036; centre = (0.1 + 0.048018)/1.096036 = 0.135049;
    //   half = 1.788232 · √(0.00225 + 0.000600) = 0.095469 → [0.039580, 0.230518].
    expectValue(m.week.churn_rate, { value: 0.1, n: 40, low: 0.03958, high: 0.230518 });
    expectValue(m.window.churn_rate, { value: 0.1, n: 40 });
    // Referral rate: the week r1, r2 → 2/40 × 100 = 5 per 100 (100 × Wilson 2/40 = [1.3821, 16.5039]);
    // 13 weeks: r1–r5 → 5/40 × 100 = 12.5.
    expectValue(m.week.referral_rate, { value: 5, n: 40 });
    expect(m.week.referral_rate!.low).toBeCloseTo(1.3821, 3);
    expectValue(m.window.referral_rate, { value: 12.5, n: 40 });
    // CSAT: 12 in the week, under 30 → suppressed with its n. 13 weeks: 9 + 18 = 27 of 36 → 0.75;
    //   Wilson 27/36: centre = (0.75 + 0.053354)/1.106707 = 0.725895; half = 0.136600 → [0.589295, 0.862495].
    expect(m.week.csat).toEqual({ value: null, n: 12, low: null, high: null, suppressed: true });
    expectValue(m.window.csat, { value: 0.75, n: 36, low: 0.589295, high: 0.862495 });
    // NPS, 13 weeks: promoters 6 + 12 = 18, detractors 2 + 4 = 6 of 36 → (18 − 6)/36 = +33.33;
    //   variance per answer = 0.5 + 0.166667 − 0.333333² = 0.555556; half = 195.9964 · √(0.555556/36) = 24.347849.
    expect(m.week.nps).toMatchObject({ value: null, n: 12, suppressed: true });
    expectValue(m.window.nps, { value: 100 / 3, n: 36, low: 100 / 3 - 24.347849, high: 100 / 3 + 24.347849 });

    // Two year: 10 customers (1 churned) and one survey: everything under 30 → suppressed, n kept.
    expect(row(v, 'Two year').week.churn_rate).toEqual({ value: null, n: 10, low: null, high: null, suppressed: true });
    expect(row(v, 'Two year').week.csat).toMatchObject({ n: 1, suppressed: true });
    // No segment: the survey without a customer.
    expect(row(v, null).week.csat).toMatchObject({ n: 1, suppressed: true });
    expect(row(v, null).week.churn_rate).toMatchObject({ n: 0, value: null });
    // Every number is a GET /metrics request with by=segment and min_n.
    expect(v.meta.queries).toContain(
      '/api/v1/metrics?metrics=churn_rate,referral_rate&from=2024-02-12&to=2024-02-18&grain=total&by=segment&min_n=30',
    );
    expect(v.meta.queries).toContain(
      '/api/v1/metrics?metrics=nps,csat&from=2023-11-20&to=2024-02-18&grain=total&by=segment&min_n=30',
    );
  });

  it('a team filter narrows the surveys; churn and referrals stay the organisation’s customers', async () => {
    const v = await weekly('?week=2024-W07&team=t2');
    expect(v.segments.scope).toEqual({
      churn_rate: 'organisation',
      referral_rate: 'organisation',
      nps: 'filtered',
      csat: 'filtered',
    });
    expectValue(row(v, 'Monthly').week.churn_rate, { value: 0.1, n: 40 });
    expect(row(v, 'Monthly').window.csat).toMatchObject({ value: null, n: 0 });
    expect((await weekly('?week=2024-W07')).segments.scope.churn_rate).toBe('filtered');
  });

  it('the CSV has each segment’s week and 13 weeks, a formula-looking name neutralised', async () => {
    const res = await t.request('/api/v1/views/weekly?week=2024-W07&format=csv', { token: t.tokens.leader });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\r\n');
    const cells = (start: string) => {
      const found = lines.find((l) => l.startsWith(start));
      expect(found, start).toBeDefined();
      return found!.slice(start.length).split(',');
    };
    // section, item, metric, period | value, n, low, high, previous, change, significant, target, met, scope
    const churn = cells('segment,Monthly,churn_rate,2024-W07,');
    expect(Number(churn[0])).toBe(0.1);
    expect(Number(churn[1])).toBe(40);
    expect(Number(churn[2])).toBeCloseTo(0.03958, 5);
    expect(Number(churn[3])).toBeCloseTo(0.230518, 5);
    expect(churn.at(-1)).toBe('filtered');
    const csat13 = cells('segment_13_weeks,Monthly,csat,2023-11-20..2024-02-18,');
    expect(csat13.slice(0, 2)).toEqual(['0.75', '36']);
    expect(Number(csat13[2])).toBeCloseTo(0.589295, 5);
    // Suppressed: its n, no value.
    expect(lines).toContain('segment,Monthly,csat,2024-W07,,12,,,,,,,,filtered');
    expect(lines).toContain("segment,'+Plus,churn_rate,2024-W07,,1,,,,,,,,filtered");
    expect(lines).toContain('segment,,csat,2024-W07,,1,,,,,,,,filtered');
  });
});
