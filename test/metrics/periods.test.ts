// Periods in a non-UTC organisation time zone (America/Chicago, UTC−6 in winter, −5 from
// 2024-03-10): ISO week boundaries, ISO week 53, month ends, a DST day, clipped periods, and
// empty periods present with n 0 (a chart never skips a week). Through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResult } from '../../api/metrics/engine';
import { createTestApp, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';
import { expectValue, q, rowOf } from './support';

const TZ = 'America/Chicago';
let t: TestApp;

// Local times (no offset: read in ORG_TIMEZONE) unless an offset is given. Each scenario has its own channel.
//
// phone — ISO week boundary (2024-W07 = Mon Feb 12 … Sun Feb 18):
//   p4 Sun 2024-02-11 23:59 (W06, wait 40) · p3 Mon 2024-02-12 00:00 (W07, wait 30)
//   p1 Sun 2024-02-18 23:30 (= Mon 05:30 UTC, still W07, wait 10) · p2 Mon 2024-02-19 00:30 (W08, wait 20)
//   surveys q1 Sun 2024-02-18 23:30 (W07, csat 5) · q2 Mon 2024-02-19 00:30 (W08, csat 1)
// chat — DST starts 2024-03-10 02:00:
//   d1 2024-03-10 00:30 (CST) · d2 2024-03-10 23:30 (CDT, = Mar 11 04:30 UTC) · d3 2024-03-11T04:59:00Z (= Mar 10 23:59 CDT)
//   d4 2024-03-11 00:15
// email — month ends: m1 2024-01-31 23:30 (= Feb 1 05:30 UTC, January) · m2 2024-02-29 23:59 (February) · m3 2024-03-01 00:00 (March)
// social — ISO week 53 (2020-W53 = Mon 2020-12-28 … Sun 2021-01-03):
//   w1 Sun 2020-12-27 23:59 (2020-W52) · w2 Mon 2020-12-28 08:00 (W53) · w3 Fri 2021-01-01 12:00 (W53)
//   w4 Sun 2021-01-03 23:30 (W53; in UTC it would be 2021-W01) · w5 Mon 2021-01-04 00:10 (2021-W01)
beforeAll(async () => {
  t = await createTestApp({ env: { ORG_TIMEZONE: TZ } });
  const o = { timeZone: TZ };
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,answered,wait_seconds',
      'p4,2024-02-11T23:59:00,t1,phone,yes,40',
      'p3,2024-02-12T00:00:00,t1,phone,yes,30',
      'p1,2024-02-18T23:30:00,t1,phone,yes,10',
      'p2,2024-02-19T00:30:00,t1,phone,yes,20',
      'd1,2024-03-10T00:30:00,t1,chat,yes,',
      'd2,2024-03-10T23:30:00,t1,chat,yes,',
      'd3,2024-03-11T04:59:00Z,t1,chat,yes,',
      'd4,2024-03-11T00:15:00,t1,chat,yes,',
      'm1,2024-01-31T23:30:00,t2,email,yes,',
      'm2,2024-02-29T23:59:00,t2,email,yes,',
      'm3,2024-03-01T00:00:00,t2,email,no,',
      'w1,2020-12-27T23:59:00,t2,social,yes,',
      'w2,2020-12-28T08:00:00,t2,social,yes,',
      'w3,2021-01-01T12:00:00,t2,social,yes,',
      'w4,2021-01-03T23:30:00,t2,social,yes,',
      'w5,2021-01-04T00:10:00,t2,social,yes,',
    ),
    o,
  );
  await ingestCsv(
    t.database,
    'surveys',
    csv('external_id,responded_at,interaction,csat', 'q1,2024-02-18T23:30:00,p1,5', 'q2,2024-02-19T00:30:00,p2,1'),
    o,
  );
});
afterAll(() => t.close());

async function get(params: Record<string, string>): Promise<MetricsResult> {
  const res = await t.request(q(params), { token: t.tokens.admin });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as MetricsResult;
}
const periods = (r: MetricsResult) => r.rows.map((x) => [x.period, x.from, x.to]);

describe(`weeks in ${TZ}`, () => {
  it('a Sunday 23:30 local belongs to that ISO week, a Monday 00:30 to the next', async () => {
    const r = await get({
      metrics: 'contacts,wait_avg,csat',
      from: '2024-02-05',
      to: '2024-02-25',
      grain: 'week',
      channel: 'phone',
    });
    expect(periods(r)).toEqual([
      ['2024-W06', '2024-02-05', '2024-02-11'],
      ['2024-W07', '2024-02-12', '2024-02-18'],
      ['2024-W08', '2024-02-19', '2024-02-25'],
    ]);
    // W06: p4 (Sun 23:59) → 1 contact, wait 40.
    expectValue(rowOf(r, '2024-W06').values.contacts, { value: 1, n: 1 });
    // W07: p3 (Mon 00:00), p1 (Sun 23:30) → 2 contacts, waits 30, 10 → 20.
    expectValue(rowOf(r, '2024-W07').values.contacts, { value: 2, n: 2 });
    expectValue(rowOf(r, '2024-W07').values.wait_avg, { value: 20, n: 2 });
    // W08: p2 (Mon 00:30) → 1, wait 20.
    expectValue(rowOf(r, '2024-W08').values.wait_avg, { value: 20, n: 1 });
    // Surveys alike by responded_at: q1 (Sun 23:30, csat 5) in W07, q2 (Mon 00:30, csat 1) in W08.
    // Wilson 1/1 = [1/(1 + z²), 1] = [1/4.841459, 1] = [0.206549, 1].
    expectValue(rowOf(r, '2024-W07').values.csat, { value: 1, n: 1, low: 0.206549, high: 1 });
    expectValue(rowOf(r, '2024-W08').values.csat, { value: 0, n: 1, low: 0, high: 0.793451 });
  });

  it('a range starting and ending mid-week: the first and last weeks are clipped to it', async () => {
    const r = await get({ metrics: 'contacts', from: '2024-02-14', to: '2024-02-21', grain: 'week', channel: 'phone' });
    expect(periods(r)).toEqual([
      ['2024-W07', '2024-02-14', '2024-02-18'],
      ['2024-W08', '2024-02-19', '2024-02-21'],
    ]);
    // W07 from Wednesday: p1 only (p3 was Monday) → 1. W08: p2 → 1.
    expectValue(rowOf(r, '2024-W07').values.contacts, { value: 1, n: 1 });
    expectValue(rowOf(r, '2024-W08').values.contacts, { value: 1, n: 1 });
  });

  it('13-week trend: every week present, empty weeks n 0 and value null', async () => {
    const r = await get({
      metrics: 'contacts,wait_avg,csat',
      from: '2024-01-01',
      to: '2024-03-31',
      grain: 'week',
      channel: 'phone',
    });
    expect(r.rows.map((x) => x.period)).toEqual(
      Array.from({ length: 13 }, (_, k) => `2024-W${String(k + 1).padStart(2, '0')}`),
    );
    for (const row of r.rows) {
      if (['2024-W06', '2024-W07', '2024-W08'].includes(row.period)) continue;
      expectValue(row.values.wait_avg, { value: null, n: 0, low: null, high: null });
      expectValue(row.values.csat, { value: null, n: 0, low: null, high: null });
      expectValue(row.values.contacts, { value: 0, n: 0 });
    }
  });

  it('ISO week 53: 2020-W53 is Mon 2020-12-28 … Sun 2021-01-03', async () => {
    const r = await get({
      metrics: 'contacts',
      from: '2020-12-21',
      to: '2021-01-10',
      grain: 'week',
      channel: 'social',
    });
    expect(periods(r)).toEqual([
      ['2020-W52', '2020-12-21', '2020-12-27'],
      ['2020-W53', '2020-12-28', '2021-01-03'],
      ['2021-W01', '2021-01-04', '2021-01-10'],
    ]);
    // W52: w1 (Sun 23:59) → 1; W53: w2, w3, w4 (Sun 2021-01-03 23:30 local) → 3; 2021-W01: w5 → 1.
    expectValue(rowOf(r, '2020-W52').values.contacts, { value: 1, n: 1 });
    expectValue(rowOf(r, '2020-W53').values.contacts, { value: 3, n: 3 });
    expectValue(rowOf(r, '2021-W01').values.contacts, { value: 1, n: 1 });
  });

  it('week 53 across the year end by month: December holds w1, w2; January w3, w4, w5', async () => {
    const r = await get({
      metrics: 'contacts',
      from: '2020-12-21',
      to: '2021-01-10',
      grain: 'month',
      channel: 'social',
    });
    expect(periods(r)).toEqual([
      ['2020-12', '2020-12-21', '2020-12-31'],
      ['2021-01', '2021-01-01', '2021-01-10'],
    ]);
    expectValue(rowOf(r, '2020-12').values.contacts, { value: 2, n: 2 });
    expectValue(rowOf(r, '2021-01').values.contacts, { value: 3, n: 3 });
  });
});

describe(`months and days in ${TZ}`, () => {
  it('month ends: Jan 31 23:30 local is January, Feb 29 23:59 February, Mar 1 00:00 March; April empty', async () => {
    const r = await get({
      metrics: 'contacts,abandon_rate',
      from: '2024-01-01',
      to: '2024-04-30',
      grain: 'month',
      channel: 'email',
    });
    expect(periods(r)).toEqual([
      ['2024-01', '2024-01-01', '2024-01-31'],
      ['2024-02', '2024-02-01', '2024-02-29'],
      ['2024-03', '2024-03-01', '2024-03-31'],
      ['2024-04', '2024-04-01', '2024-04-30'],
    ]);
    expectValue(rowOf(r, '2024-01').values.contacts, { value: 1, n: 1 });
    expectValue(rowOf(r, '2024-02').values.contacts, { value: 1, n: 1 });
    // March: m3 unanswered → abandon 1/1 → Wilson [0.206549, 1].
    expectValue(rowOf(r, '2024-03').values.abandon_rate, { value: 1, n: 1, low: 0.206549, high: 1 });
    expectValue(rowOf(r, '2024-04').values.abandon_rate, { value: null, n: 0, low: null, high: null });
  });

  it('the DST day (2024-03-10, 23 hours) holds its local times, also one given in UTC', async () => {
    const r = await get({ metrics: 'contacts', from: '2024-03-09', to: '2024-03-11', grain: 'day', channel: 'chat' });
    expect(r.rows.map((x) => x.period)).toEqual(['2024-03-09', '2024-03-10', '2024-03-11']);
    // Mar 10: d1 (00:30 CST), d2 (23:30 CDT), d3 (04:59 UTC on the 11th = 23:59 CDT on the 10th) → 3; Mar 11: d4 → 1.
    expectValue(rowOf(r, '2024-03-09').values.contacts, { value: 0, n: 0 });
    expectValue(rowOf(r, '2024-03-10').values.contacts, { value: 3, n: 3 });
    expectValue(rowOf(r, '2024-03-11').values.contacts, { value: 1, n: 1 });
  });
});
