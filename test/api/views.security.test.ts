// The weekly review takes an ISO week whose seven days lie in 1900-01-01..2200-12-31
// (1900-W01..2200-W52): week=9999-W52 answered 500, now 400 naming 'week' and the range, on the
// view and on its server-drawn charts. Weeks at the range's ends answer, with the 13-week trend
// window clipped at 1900-01-01 instead of reaching into 1899.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeeklyView } from '../../api/views/weekly';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  // 1900-W02 (8–14 January 1900): two contacts of t1, waits 10 and 30 → 20 on average.
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,wait_seconds',
      'e1,1900-01-09T09:00:00Z,t1,phone,10',
      'e2,1900-01-10T09:00:00Z,t1,phone,30',
    ),
  );
  // The last hour of the range is already 2201-01-01 in a zone 14 hours ahead: the week picker
  // still offers no week past 2200-W52.
  await ingestCsv(
    t.database,
    'interactions',
    csv('external_id,occurred_at,team,channel,wait_seconds', 'far,2200-12-31T23:00:00Z,t2,chat,5'),
    { timeZone: 'Pacific/Kiritimati' },
  );
});
afterAll(() => t.close());

describe('week parameter', () => {
  it.each([
    ['/api/v1/views/weekly?week=9999-W52', 'manager'],
    ['/api/v1/views/weekly?week=9999-W52&format=csv', 'leader'],
    ['/api/v1/views/weekly/charts/waiting?week=9999-W52', 'manager'],
    ['/api/v1/views/weekly?week=2201-W01', 'leader'],
    ['/api/v1/views/weekly?week=1899-W52', 'leader'],
    ['/api/v1/views/weekly/charts/patience?week=0000-W01', 'leader'],
  ] as const)('%s (%s) → 400 naming week and the range, not 500', async (path, role) => {
    const res = await t.request(path, { token: t.tokens[role] });
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.detail).toContain("'week'");
    expect(problem.errors?.[0]).toMatchObject({ in: 'query', field: 'week' });
    expect(problem.errors?.[0]?.reason).toMatch(
      /from 1900-W01 to 2200-W52 \(all seven days from 1900-01-01 to 2200-12-31\)|exists/,
    );
    expect((await t.request('/api/v1/health')).status).toBe(200);
  });

  it('a week the year does not have names the year', async () => {
    const problem = await readProblem(
      await t.request('/api/v1/views/weekly?week=2025-W53', { token: t.tokens.leader }),
    );
    expect(problem.errors?.[0]?.reason).toBe('must be an ISO week that exists (2025 has no week 53)');
  });

  it('1900-W02: the trends start at 1900-01-01 (two weeks, not thirteen reaching into 1899); the numbers by hand', async () => {
    const res = await t.request('/api/v1/views/weekly?week=1900-W02', { token: t.tokens.leader });
    expect(res.status).toBe(200);
    const view = (await res.json()) as WeeklyView;
    expect(view.week).toMatchObject({ label: '1900-W02', from: '1900-01-08', to: '1900-01-14', previous: '1900-W01' });
    expect(view.data_weeks).toEqual({ first: '1900-W02', last: '1900-W02' });
    expect(view.trends.weeks.map((w) => w.label)).toEqual(['1900-W01', '1900-W02']);
    expect(view.patience.baseline).toEqual({ from: '1900-01-01', to: '1900-01-14' });
    const wait = view.pairs.flatMap((p) => p.operational).find((c) => c.metric === 'wait_avg')!;
    // This week: (10 + 30) / 2 = 20 s over 2; last week (1900-W01): nothing.
    expect(wait).toMatchObject({ value: 20, n: 2, previous: { value: null, n: 0 } });
    expect(view.trends.series.wait_avg!.map((p) => [p.value, p.n])).toEqual([
      [null, 0],
      [20, 2],
    ]);
    // Every query the page lists stays in the range.
    for (const q of view.meta.queries) {
      const params = new URL(q, 'http://x').searchParams;
      expect(params.get('from')! >= '1900-01-01', q).toBe(true);
    }
  });

  it('1900-W01 and 2200-W52, the first and last weeks, answer; so does a chart of the last', async () => {
    const first = await t.request('/api/v1/views/weekly?week=1900-W01', { token: t.tokens.leader });
    expect(first.status).toBe(200);
    expect(((await first.json()) as WeeklyView).trends.weeks.map((w) => w.label)).toEqual(['1900-W01']);
    const last = await t.request('/api/v1/views/weekly?week=2200-W52', { token: t.tokens.leader });
    expect(last.status).toBe(200);
    const view = (await last.json()) as WeeklyView;
    expect(view.week).toMatchObject({ label: '2200-W52', from: '2200-12-22', to: '2200-12-28', next: null });
    expect(view.trends.weeks).toHaveLength(13);
    const chart = await t.request('/api/v1/views/weekly/charts/waiting?week=2200-W52', { token: t.tokens.leader });
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toContain('image/svg+xml');
  });
});
