// CLV by hand: the mean churn rate it divides by is that of 12 calendar months, each month's rate
// the API's own churn_rate at grain=month, so months of 28, 29, 30 or 31 days weigh alike and a
// month's churn never splits across two windows.
//
// 100 customers started 2022-12-01: 60 worth 40 a month (k1…k60), 40 worth 70 (k61…k100).
// Churn only in January 2024: k61…k64 (70 each) on 2024-01-01, k65…k70 (70 each) on 2024-01-31.
//
// Monthly churn rates (churned in month ÷ active at its first day):
//   Dec 2022 … Dec 2023: 0/100;  Jan 2024: 10/100 = 0.1;  Feb 2024 on: 0/90.
// Any 12 calendar months holding January 2024: mean rate = 0.1/12 = 1/120.
// Active at Feb 1 (and Mar 1, Apr 1): 60 × 40 + 30 × 70 = 4500 over 90 → mean value 50.
// Active at Jan 1: all 100 (those churning on Jan 1 were active at its start): 2400 + 2800 = 5200 → 52.
// Active at Jan 29 and at Jan 31: 96: 2400 + 36 × 70 = 4920 → 51.25.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics, type MetricsRequest } from '../../api/metrics/engine';
import { clvMonths } from '../../api/metrics/organisation';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';
import { expectValue, rowOf } from './support';

let d: TestDatabase;

beforeAll(async () => {
  d = await createTestDatabase();
  const rows: string[] = [];
  for (let k = 1; k <= 100; k++) {
    const churned = k >= 61 && k <= 64 ? '2024-01-01' : k >= 65 && k <= 70 ? '2024-01-31' : '';
    rows.push(`k${k},2022-12-01,${churned},${k <= 60 ? 40 : 70}`);
  }
  await ingestCsv(d, 'customers', csv('external_id,started_on,churned_on,monthly_value', ...rows));
});
afterAll(() => d.destroy());

const run = (req: Partial<MetricsRequest>) =>
  runMetrics(d, { metrics: ['clv'], grain: 'month', from: '2024-01-01', to: '2024-04-30', filters: {}, ...req });

describe('clv over calendar months', () => {
  it('February of a leap year, March and April (30 days) agree: nothing changed after January', async () => {
    const r = await run({});
    // Feb: Mar 2023 … Feb 2024; Mar: Apr 2023 … Mar 2024; Apr: May 2023 … Apr 2024 — each holds
    // January 2024 once → 50 ÷ (1/120) = 6000, n = 90 valued customers active at the month's start.
    for (const month of ['2024-02', '2024-03', '2024-04'])
      expectValue(rowOf(r, month).values.clv, { value: 6000, n: 90 }, month);
    // Jan: Feb 2023 … Jan 2024 → 52 × 120 = 6240 over the 100 active at Jan 1.
    expectValue(rowOf(r, '2024-01').values.clv, { value: 6240, n: 100 });
  });

  it('equals the mean value ÷ the mean of the API’s own churn_rate at grain=month', async () => {
    const churn = await runMetrics(d, {
      metrics: ['churn_rate'],
      grain: 'month',
      from: '2023-03-01',
      to: '2024-02-29',
      filters: {},
    });
    const rates = churn.rows.map((row) => row.values.churn_rate!.value!);
    expect(rates).toHaveLength(12);
    // Eleven months of 0 and January's 0.1 → 0.1/12; 50 ÷ (0.1/12) = 6000.
    const mean = rates.reduce((s, x) => s + x, 0) / 12;
    expect(mean).toBeCloseTo(0.1 / 12, 12);
    const clv = await run({ from: '2024-02-01', to: '2024-02-29' });
    expect(rowOf(clv, '2024-02').values.clv!.value).toBeCloseTo(50 / mean, 6);
  });

  it('no churn in the 12 months: null (December 2023: January … December 2023)', async () => {
    const r = await run({ from: '2023-12-01', to: '2023-12-31' });
    expectValue(rowOf(r, '2023-12').values.clv, { value: null, n: 100 });
  });

  it('a period that does not end on a month’s last day uses the 12 months before its last day’s month', async () => {
    // 2024-W05, Mon Jan 29 … Sun Feb 4: ends in February, mid-month → Feb 2023 … Jan 2024 → 1/120;
    // value at Jan 29: 51.25 → 6150, n 96.
    const week = await run({ grain: 'week', from: '2024-01-29', to: '2024-02-04' });
    expectValue(rowOf(week, '2024-W05').values.clv, { value: 6150, n: 96 });
    // Day 2024-01-15: Jan … Dec 2023 (January 2024 is not complete) → no churn → null, n 96.
    // Day 2024-01-31 ends on January's last day → Feb 2023 … Jan 2024 → 51.25 × 120 = 6150.
    const days = await run({ grain: 'day', from: '2024-01-15', to: '2024-01-31' });
    expectValue(rowOf(days, '2024-01-15').values.clv, { value: null, n: 96 });
    expectValue(rowOf(days, '2024-01-31').values.clv, { value: 6150, n: 96 });
    // A partial month, Feb 1 … 14 as a total: Feb 2023 … Jan 2024 → 50 × 120 = 6000.
    const part = await run({ grain: 'total', from: '2024-02-01', to: '2024-02-14' });
    expectValue(rowOf(part, 'total').values.clv, { value: 6000, n: 90 });
  });

  it('the months, by their first and last days', () => {
    const leap = clvMonths('2024-02-29');
    expect(leap[0]).toEqual(['2023-03-01', '2023-03-31']);
    expect(leap[10]).toEqual(['2024-01-01', '2024-01-31']);
    expect(leap[11]).toEqual(['2024-02-01', '2024-02-29']);
    expect(clvMonths('2024-04-30').at(-1)).toEqual(['2024-04-01', '2024-04-30']);
    expect(clvMonths('2024-04-30')[0]).toEqual(['2023-05-01', '2023-05-31']);
    // Mid-month and a week's Sunday: the 12 months end with the month before.
    expect(clvMonths('2024-02-04').at(-1)).toEqual(['2024-01-01', '2024-01-31']);
    expect(clvMonths('2024-02-04')[0]).toEqual(['2023-02-01', '2023-02-28']);
    expect(clvMonths('2025-02-28').at(-1)).toEqual(['2025-02-01', '2025-02-28']);
    expect(clvMonths('2024-02-28').at(-1)).toEqual(['2024-01-01', '2024-01-31']);
  });
});
