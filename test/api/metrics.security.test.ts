// Bounded reads. A date past the documented range (1900-01-01..2200-12-31) is a 400 naming the
// parameter, at once: the year-9999 metrics request used to loop forever in the period code and
// take the process down. One metrics request may compute at most METRICS_MAX_CELLS values, counted
// before anything is read (5 years by day by agent of every metric was 105 MB of JSON and ~1 GB
// of memory). Every statement runs under statement_timeout, and one it stops answers 503.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { METRICS_MAX_CELLS, STATEMENT_TIMEOUT_MS } from '../../api/limits';
import type { MetricsResult } from '../../api/metrics/engine';
import { addDays } from '../../api/metrics/periods';
import { openDatabase, setStatementTimeout, type Database } from '../../db/client';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;

// Teams t1, t2 come with the app (the manager token has t1). Agents a1, a2 in t1, b1 in t2.
beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(t.database, 'agents', csv('external_id,name,team', 'a1,Ana,t1', 'a2,Bo,t1', 'b1,Cy,t2'));
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,agent,wait_seconds',
      'i1,2024-02-13T09:00:00Z,t1,a1,10',
      'i2,2024-02-13T10:00:00Z,t1,a2,20',
      'i3,2024-02-14T09:00:00Z,t2,b1,100',
    ),
  );
  await ingestCsv(
    t.database,
    'surveys',
    csv(
      'external_id,responded_at,interaction,csat',
      's1,2024-02-13T12:00:00Z,i1,5',
      's2,2024-02-13T12:00:00Z,i2,4',
      's3,2024-02-14T12:00:00Z,i3,1',
    ),
  );
});
afterAll(() => t.close());

const ALL_METRICS =
  'contacts,abandon_rate,wait_avg,wait_p90,handle_avg,resolution_rate,churn_rate,clv,employee_retention,referrals,referral_rate,csat,csat_avg,nps,effort_avg,response_rate';
const metrics = (q: Record<string, string>) =>
  `/api/v1/metrics?${new URLSearchParams(q).toString().replaceAll('%2C', ',')}`;

type LimitProblem = Awaited<ReturnType<typeof readProblem>> & { limit?: string; cells?: number; max_cells?: number };

describe('dates past the range', () => {
  it('the year-9999 week request (manager) answers 400 at once, naming from and the range; health still answers', async () => {
    const started = performance.now();
    const res = await t.request('/api/v1/metrics?metrics=csat&grain=week&from=9999-12-27&to=9999-12-31', {
      token: t.tokens.manager,
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.detail).toContain("'from'");
    expect(problem.detail).toContain('from 1900-01-01 to 2200-12-31');
    expect(problem.errors?.map((e) => e.field)).toEqual(['from', 'to']);
    const health = await t.request('/api/v1/health');
    expect(health.status).toBe(200);
  });

  it.each([
    ['day grain, the last days of 9999', { grain: 'day', from: '9999-12-30', to: '9999-12-31' }, 'from'],
    ['month grain, to in 9999', { grain: 'month', from: '2024-01-01', to: '9999-12-31' }, 'to'],
    ['total from year 0001', { grain: 'total', from: '0001-01-01', to: '2024-01-01' }, 'from'],
    ['the day after the range', { grain: 'day', from: '2200-12-31', to: '2201-01-01' }, 'to'],
    ['the day before the range', { grain: 'day', from: '1899-12-31', to: '1900-01-01' }, 'from'],
  ])('%s → 400 naming %s', async (_what, params, field) => {
    const res = await t.request(metrics({ metrics: 'csat', ...params }), { token: t.tokens.leader });
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.errors?.[0]).toMatchObject({
      in: 'query',
      field,
      reason: 'must be a date from 1900-01-01 to 2200-12-31',
    });
  });

  it('the first and last days of the range answer, with compare=previous clipped at 1900-01-01', async () => {
    const first = await t.request(
      metrics({ metrics: 'csat', grain: 'week', from: '1900-01-01', to: '1900-01-14', compare: 'previous' }),
      { token: t.tokens.leader },
    );
    expect(first.status).toBe(200);
    const body = (await first.json()) as MetricsResult;
    expect(body.rows.map((r) => r.period)).toEqual(['1900-W01', '1900-W02']);
    expect(body.rows[0]!.values.csat!.previous).toEqual({ value: null, n: 0 });
    const last = await t.request(
      metrics({ metrics: 'csat', grain: 'month', from: '2200-12-01', to: '2200-12-31', compare: 'previous' }),
      { token: t.tokens.leader },
    );
    expect(last.status).toBe(200);
    expect(((await last.json()) as MetricsResult).rows.map((r) => r.period)).toEqual(['2200-12']);
  });
});

describe('every date the API accepts lies in 1900-01-01..2200-12-31', () => {
  const FAR = '9999-12-31';
  it.each<[string, string, 'admin' | 'leader' | 'manager', string, RequestInit & { json?: unknown }]>([
    ['GET /quotes from', `/api/v1/quotes?from=${FAR}`, 'leader', 'from', {}],
    ['GET /quotes/featured to', `/api/v1/quotes/featured?from=2024-01-01&to=${FAR}`, 'manager', 'to', {}],
    ['GET /quotes/praise from', `/api/v1/quotes/praise?from=9999-12-27&to=${FAR}`, 'manager', 'from', {}],
    ['GET /quotes/shoutouts from', `/api/v1/quotes/shoutouts?from=1899-12-31&to=2024-01-01`, 'leader', 'from', {}],
    [
      'PATCH /quotes/{id} pinned_to',
      '/api/v1/quotes/s1',
      'admin',
      'pinned_to',
      { method: 'PATCH', json: { pinned_from: '2024-01-01', pinned_to: FAR } },
    ],
    [
      'PATCH /quotes/{id} followed_up_on',
      '/api/v1/quotes/s1',
      'admin',
      'followed_up_on',
      { method: 'PATCH', json: { followed_up_on: '1899-12-31' } },
    ],
    ['GET /annotations to', `/api/v1/annotations?to=${FAR}`, 'leader', 'to', {}],
    [
      'POST /annotations on',
      '/api/v1/annotations',
      'admin',
      'on',
      { method: 'POST', json: { on: FAR, title: 'The far future' } },
    ],
    ['GET /goals active_on', `/api/v1/goals?active_on=${FAR}`, 'leader', 'active_on', {}],
    [
      'POST /goals valid_to',
      '/api/v1/goals',
      'admin',
      'valid_to',
      { method: 'POST', json: { metric: 'csat', target: 0.8, valid_from: '2024-01-01', valid_to: FAR } },
    ],
    [
      'POST /coach notes held_on',
      '/api/v1/coach/agents/a1/notes',
      'manager',
      'held_on',
      { method: 'POST', json: { held_on: '1899-12-31', pair: 'waiting', note: 'x' } },
    ],
  ])('%s → 400 naming %s', async (_what, path, role, field, init) => {
    const res = await t.request(path, { ...init, token: t.tokens[role] });
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.errors?.[0]).toMatchObject({ field, reason: 'must be a date from 1900-01-01 to 2200-12-31' });
  });
});

describe('the cost of one metrics request', () => {
  it(`5 years by day by agent of all 16 metrics is refused before it runs: limit, figures and how to ask for less`, async () => {
    const started = performance.now();
    const res = await t.request(
      metrics({ metrics: ALL_METRICS, grain: 'day', by: 'agent', from: '2019-01-01', to: '2023-12-31' }),
      { token: t.tokens.leader },
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(400);
    const problem = (await readProblem(res)) as LimitProblem;
    // 1,826 days × (3 agents + none) × 16 metrics = 116,864.
    expect(problem).toMatchObject({
      status: 400,
      limit: 'metrics-cells',
      cells: 116_864,
      max_cells: METRICS_MAX_CELLS,
    });
    expect(problem.type).toBe('urn:pairwise:problem:limit-metrics-cells');
    expect(problem.detail).toContain('1,826 day periods × 4 agent values × 16 metrics');
    expect(problem.detail).toMatch(
      /Ask for less: a coarser grain \(week or month\), a shorter range, a filter that narrows 'agent'.*fewer metrics/,
    );
  });

  it('just under the limit answers: by team (2 teams + none) × 33,333 days × csat = 99,999 values; one day more is refused', async () => {
    const to = '2024-02-18';
    const under = await t.request(
      metrics({ metrics: 'csat', grain: 'day', by: 'team', from: addDays(to, -33_332), to }),
      { token: t.tokens.leader },
    );
    expect(under.status).toBe(200);
    const body = (await under.json()) as MetricsResult;
    // Rows for the teams with data (t1, t2), every day of the range; t1's 13 February by hand: 5 and 4 → 2/2.
    expect(body.rows).toHaveLength(2 * 33_333);
    expect(body.rows.find((r) => r.team === 't1' && r.period === '2024-02-13')!.values.csat).toMatchObject({
      value: 1,
      n: 2,
    });
    const over = await t.request(
      metrics({ metrics: 'csat', grain: 'day', by: 'team', from: addDays(to, -33_333), to }),
      { token: t.tokens.leader },
    );
    expect(over.status).toBe(400);
    expect((await readProblem(over)) as LimitProblem).toMatchObject({ limit: 'metrics-cells', cells: 100_002 });
  });

  it('compare=previous counts twice, and says so', async () => {
    const res = await t.request(
      metrics({
        metrics: 'csat',
        grain: 'day',
        by: 'team',
        from: '1950-01-01',
        to: addDays('1950-01-01', 19_999),
        compare: 'previous',
      }),
      { token: t.tokens.leader },
    );
    expect(res.status).toBe(400);
    const problem = (await readProblem(res)) as LimitProblem;
    expect(problem.cells).toBe(20_000 * 3 * 2);
    expect(problem.detail).toContain('× 2 (compare=previous)');
    expect(problem.detail).toContain('or no compare=previous');
  });

  it('the values of by are counted within the scope: a manager of t1 has 2 agents (and none), a leader 3', async () => {
    const q = metrics({
      metrics: 'csat',
      grain: 'day',
      by: 'agent',
      from: '1950-01-01',
      to: addDays('1950-01-01', 39_999),
    });
    const leader = (await readProblem(await t.request(q, { token: t.tokens.leader }))) as LimitProblem;
    expect(leader.cells).toBe(40_000 * 4);
    const manager = (await readProblem(await t.request(q, { token: t.tokens.manager }))) as LimitProblem;
    expect(manager.cells).toBe(40_000 * 3);
    // Partners are counted: wait_avg comes with csat.
    const partnered = (await readProblem(
      await t.request(
        metrics({
          metrics: 'wait_avg',
          grain: 'day',
          by: 'agent',
          agent: 'a1',
          from: '1950-01-01',
          to: addDays('1950-01-01', 49_999),
        }),
        { token: t.tokens.manager },
      ),
    )) as LimitProblem;
    expect(partnered.cells).toBe(50_000 * 2 * 2);
    expect(partnered.detail).toContain('2 metrics (partners included)');
  });

  it('by=segment counts the segments (and none); segment= narrows them', async () => {
    await ingestCsv(t.database, 'customers', csv('external_id,segment', 'c1,Monthly', 'c2,Annual', 'c3,monthly'));
    const q = (days: number, extra: Record<string, string> = {}) =>
      metrics({
        metrics: 'csat',
        grain: 'day',
        by: 'segment',
        from: '1950-01-01',
        to: addDays('1950-01-01', days - 1),
        ...extra,
      });
    // Monthly (c1 and c3 are one segment), Annual and none: 40,000 days × 3 × 1 metric = 120,000.
    const all = (await readProblem(await t.request(q(40_000), { token: t.tokens.leader }))) as LimitProblem;
    expect(all).toMatchObject({ limit: 'metrics-cells', cells: 40_000 * 3 });
    expect(all.detail).toContain('40,000 day periods × 3 segment values × 1 metric');
    expect(all.detail).toContain('segment=');
    // segment=monthly: Monthly and none, 50,001 × 2 = 100,002, one period over.
    const one = (await readProblem(
      await t.request(q(50_001, { segment: 'monthly' }), { token: t.tokens.leader }),
    )) as LimitProblem;
    expect(one.cells).toBe(50_001 * 2);
  });

  it('a long range at week or month grain without by is fine (the old 20-year cap is gone)', async () => {
    const res = await t.request(
      metrics({ metrics: 'csat,nps', grain: 'month', from: '1900-01-01', to: '2200-12-31' }),
      { token: t.tokens.leader },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as MetricsResult).rows).toHaveLength(301 * 12);
  });
});

describe('statement_timeout', () => {
  it(`every connection of the app's database has it (${STATEMENT_TIMEOUT_MS / 1000} s); a transaction may lift it for itself`, async () => {
    const [row] = await t.database.rows<{ statement_timeout: string }>(sql`show statement_timeout`);
    expect(row!.statement_timeout).toBe(`${STATEMENT_TIMEOUT_MS / 1000}s`);
    await t.database.db.transaction(async (tx) => {
      await setStatementTimeout(tx, 0);
      const [inside] = await t.database.rows<{ statement_timeout: string }>(sql`show statement_timeout`, tx);
      expect(inside!.statement_timeout).toBe('0');
    });
    const [after] = await t.database.rows<{ statement_timeout: string }>(sql`show statement_timeout`);
    expect(after!.statement_timeout).toBe(`${STATEMENT_TIMEOUT_MS / 1000}s`);
  });

  // PGlite takes the setting but runs in this thread, with no timer to stop a statement.
  it.skipIf(!process.env.DATABASE_URL)(
    'a statement past the timeout is stopped and answered 503 with Retry-After (PostgreSQL)',
    async () => {
      const short = openDatabase({ url: t.database.url!, max: 2, statementTimeoutMs: 200 });
      try {
        // Every read of the metrics engine first sleeps past the timeout.
        const slow: Database = {
          ...short,
          rows: async (query, on) => (await short.rows(sql`select pg_sleep(1)`, on), short.rows(query, on)),
        };
        const app = createApp({ ...t.deps, database: slow });
        const res = await app.request('/api/v1/metrics?metrics=csat&from=2024-02-12&to=2024-02-18', {
          headers: { authorization: `Bearer ${t.tokens.leader}` },
        });
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        const problem = (await readProblem(res)) as { type: string; limit?: string };
        expect(problem.type).toContain('statement-timeout');
        expect(problem.limit).toBe('statement-timeout');
      } finally {
        await short.close();
      }
    },
  );
});
