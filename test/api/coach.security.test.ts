// Coaching views have bounded work: their dates lie in 1900-01-01..2200-12-31 (a year-9999 period
// used to loop forever in the period code and take the process down) and a period spans at most
// COACH_MAX_DAYS (1900–2026 used to answer 15.5 MB); beyond, 400 naming the parameter and the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COACH_MAX_DAYS } from '../../api/limits';
import { addDays } from '../../api/metrics/periods';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(
    t.database,
    'agents',
    csv('external_id,name,team,hired_on,left_on', 'a1,Ana Silva,t1,2020-01-01,', 'b1,Bea Two,t2,2020-01-01,'),
  );
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,agent,handle_seconds',
      'i1,2024-02-13T09:00:00Z,t1,a1,300',
      'i2,2024-02-14T09:00:00Z,t2,b1,200',
    ),
  );
  await ingestCsv(
    t.database,
    'surveys',
    csv('external_id,responded_at,interaction,csat', 's1,2024-02-13T12:00:00Z,i1,5', 's2,2024-02-14T12:00:00Z,i2,2'),
  );
});
afterAll(() => t.close());

type LimitProblem = Awaited<ReturnType<typeof readProblem>> & { limit?: string; max_days?: number };

describe('year 9999', () => {
  it.each(['/api/v1/views/coach', '/api/v1/views/coach/team/t1'])(
    '%s?from=9999-12-27&to=9999-12-31 (manager) → 400 at once naming from and the range; health answers',
    async (path) => {
      const started = performance.now();
      const res = await t.request(`${path}?from=9999-12-27&to=9999-12-31`, { token: t.tokens.manager });
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(res.status).toBe(400);
      const problem = await readProblem(res);
      expect(problem.detail).toContain("'from'");
      expect(problem.detail).toContain('from 1900-01-01 to 2200-12-31');
      expect(problem.errors?.map((e) => e.field)).toEqual(['from', 'to']);
      expect((await t.request('/api/v1/health')).status).toBe(200);
    },
  );
});

describe(`a coaching period spans at most ${COACH_MAX_DAYS} days`, () => {
  // 2024-01-01 (a Monday) to 2025-01-05 (a Sunday): 371 days, 53 ISO weeks.
  const from = '2024-01-01';
  const last = addDays(from, COACH_MAX_DAYS - 1);

  it.each(['/api/v1/views/coach', '/api/v1/views/coach/team/t1'])(
    '%s: 53 weeks answer (t1 by hand: one contact, one survey, suppressed under the minimum n)',
    async (path) => {
      expect(last).toBe('2025-01-05');
      const res = await t.request(`${path}?from=${from}&to=${last}`, { token: t.tokens.manager });
      expect(res.status).toBe(200);
      type Values = Record<'contacts' | 'csat', { value: number | null; n: number; suppressed?: true }>;
      const body = (await res.json()) as {
        period: { weeks: string[] };
        teams?: Array<{ id: string; values: Values }>;
        team_values?: Values;
      };
      expect(body.period.weeks).toHaveLength(53);
      const values = body.teams ? body.teams.find((x) => x.id === 't1')!.values : body.team_values!;
      expect(values.contacts).toMatchObject({ value: 1, n: 1 });
      expect(values.csat).toMatchObject({ value: null, n: 1, suppressed: true });
    },
  );

  it.each(['/api/v1/views/coach', '/api/v1/views/coach/team/t1'])(
    '%s: one day more → 400, limit coach-range, naming from',
    async (path) => {
      const res = await t.request(`${path}?from=${from}&to=${addDays(last, 1)}`, { token: t.tokens.manager });
      expect(res.status).toBe(400);
      const problem = (await readProblem(res)) as LimitProblem;
      expect(problem).toMatchObject({ limit: 'coach-range', max_days: COACH_MAX_DAYS });
      expect(problem.detail).toContain("'from'");
      expect(problem.detail).toContain(`at most ${COACH_MAX_DAYS} days`);
      expect(problem.detail).toContain('372 days');
      expect(problem.errors?.[0]?.field).toBe('from');
    },
  );

  it('1900 to 2026 (15.5 MB before) → 400; only a far from, or only a far to, names that one', async () => {
    const wide = (await readProblem(
      await t.request('/api/v1/views/coach?from=1900-01-01&to=2026-12-31', { token: t.tokens.leader }),
    )) as LimitProblem;
    expect(wide.limit).toBe('coach-range');
    const onlyFrom = (await readProblem(
      await t.request('/api/v1/views/coach?from=1900-01-01', { token: t.tokens.leader }),
    )) as LimitProblem;
    expect(onlyFrom).toMatchObject({ limit: 'coach-range', errors: [{ field: 'from' }] });
    const onlyTo = (await readProblem(
      await t.request('/api/v1/views/coach/team/t1?to=2200-12-31', { token: t.tokens.leader }),
    )) as LimitProblem;
    expect(onlyTo).toMatchObject({ limit: 'coach-range', errors: [{ field: 'to' }] });
  });

  it('the agent view keeps its own bound (4–52 weeks)', async () => {
    expect((await t.request('/api/v1/views/coach/agent/a1?weeks=53', { token: t.tokens.manager })).status).toBe(400);
    expect((await t.request('/api/v1/views/coach/agent/a1?weeks=52', { token: t.tokens.manager })).status).toBe(200);
  });
});
