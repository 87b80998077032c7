// GET /api/v1/metrics: validation (400 problem+json naming the parameter), role scoping (a manager
// sees only its teams; a display token cannot use the route), and GET /api/v1/metrics/catalog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResult } from '../../api/metrics/engine';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';
import { expectValue, q, rowOf } from './support';

let t: TestApp;

// Teams t1, t2 come with the app; the manager token is given ['t1'].
// W07 2024: t1 (a1) i1 wait 10 csat 5, i2 wait 20 csat 4; t2 (a3) i3 wait 100 csat 1.
beforeAll(async () => {
  t = await createTestApp({ env: { ORG_TIMEZONE: 'UTC' } });
  await ingestCsv(t.database, 'agents', csv('external_id,name,team', 'a1,Ana,t1', 'a3,Cy,t2'));
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,agent,journey_stage,wait_seconds',
      'i1,2024-02-13T09:00:00Z,t1,a1,Billing,10',
      'i2,2024-02-13T10:00:00Z,t1,a1,Billing,20',
      'i3,2024-02-14T09:00:00Z,t2,a3,Billing,100',
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

const BASE = { metrics: 'csat', from: '2024-02-12', to: '2024-02-18' };

describe('validation: 400 problem+json naming the parameter', () => {
  it.each<[string, Record<string, string>, string]>([
    ['an unknown metric', { metrics: 'csat,happiness' }, 'metrics'],
    ['no metric', { metrics: '' }, 'metrics'],
    ['an unknown by', { by: 'region' }, 'by'],
    ['a bad grain', { grain: 'year' }, 'grain'],
    ['a bad from date', { from: '2024/02/12' }, 'from'],
    ['an impossible to date', { to: '2024-02-30' }, 'to'],
    ['from after to', { from: '2024-02-19', to: '2024-02-18' }, 'from'],
    ['a to date past 2200-12-31', { to: '2201-01-01' }, 'to'],
    ['agent filter with journey_stage filter', { agent: 'a1', journey_stage: 'billing' }, 'agent'],
    ['by agent with a contact_reason filter', { by: 'agent', contact_reason: 'refund' }, 'by'],
    ['by journey_stage with an agent filter', { by: 'journey_stage', agent: 'a1' }, 'agent'],
    ['an unknown team filter', { team: 't9' }, 'team'],
    ['an unknown agent filter', { agent: 'a9' }, 'agent'],
    ['an unknown journey_stage filter', { journey_stage: 'nowhere' }, 'journey_stage'],
    ['an unknown channel', { channel: 'fax' }, 'channel'],
    ['by segment with an agent filter', { by: 'segment', agent: 'a1' }, 'by'],
    ['a segment filter with by journey_stage', { by: 'journey_stage', segment: 'monthly' }, 'segment'],
    ['an unknown segment filter', { segment: 'weekly' }, 'segment'],
    ['a negative min_n', { min_n: '-1' }, 'min_n'],
    ['a fractional min_n', { min_n: '2.5' }, 'min_n'],
    ['a non-numeric min_n', { min_n: 'thirty' }, 'min_n'],
    ['an unknown compare', { compare: 'yesterday' }, 'compare'],
  ])('%s → names %s', async (_what, params, parameter) => {
    const res = await t.request(q({ ...BASE, ...params }), { token: t.tokens.leader });
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.status).toBe(400);
    expect(problem.detail).toContain(`'${parameter}'`);
    expect(problem.errors?.[0]?.field).toBe(parameter);
  });

  it('a missing from is named', async () => {
    const res = await t.request('/api/v1/metrics?metrics=csat&to=2024-02-18', { token: t.tokens.leader });
    expect(res.status).toBe(400);
    expect((await readProblem(res)).errors?.[0]?.field).toBe('from');
  });

  it('a day-grain range of exactly 5 years is fine; the same at week grain too', async () => {
    expect(
      (await t.request(q({ ...BASE, from: '2019-02-19', to: '2024-02-18', grain: 'day' }), { token: t.tokens.leader }))
        .status,
    ).toBe(200);
    expect(
      (await t.request(q({ ...BASE, from: '2014-01-01', to: '2024-01-01', grain: 'week' }), { token: t.tokens.leader }))
        .status,
    ).toBe(200);
  });
});

describe('access', () => {
  it('no token → 401; a display token → 403 on the metrics and the catalog', async () => {
    expect((await t.request(q(BASE))).status).toBe(401);
    const res = await t.request(q(BASE), { token: t.tokens.display });
    expect(res.status).toBe(403);
    expect((await readProblem(res)).status).toBe(403);
    expect((await t.request('/api/v1/metrics/catalog', { token: t.tokens.display })).status).toBe(403);
  });

  it('a manager of t1 asking for team=t2, team=t1,t2 or an agent of t2 → 403', async () => {
    for (const params of [{ team: 't2' }, { team: 't1,t2' }, { agent: 'a3' }] as Array<Record<string, string>>) {
      const res = await t.request(q({ ...BASE, ...params }), { token: t.tokens.manager });
      expect(res.status, JSON.stringify(params)).toBe(403);
      expect((await readProblem(res)).detail).toMatch(/not (one of your teams|in one of your teams)/);
    }
  });

  it('a manager of t1 sees only t1: by team, by agent, and unfiltered', async () => {
    const byTeam = (await (
      await t.request(q({ ...BASE, metrics: 'csat,wait_avg', by: 'team' }), { token: t.tokens.manager })
    ).json()) as MetricsResult;
    expect(byTeam.rows.map((r) => r.team)).toEqual(['t1']);
    // t1: s1 5, s2 4 → 2/2; waits 10, 20 → 15.
    expectValue(rowOf(byTeam, '2024-W07', ['team', 't1']).values.csat, { value: 1, n: 2 });
    const byAgent = (await (
      await t.request(q({ ...BASE, by: 'agent' }), { token: t.tokens.manager })
    ).json()) as MetricsResult;
    expect(byAgent.rows.map((r) => r.agent)).toEqual(['a1']);
    const all = (await (
      await t.request(q({ ...BASE, metrics: 'csat,wait_avg' }), { token: t.tokens.manager })
    ).json()) as MetricsResult;
    expectValue(rowOf(all, '2024-W07').values.csat, { value: 1, n: 2 });
    expectValue(rowOf(all, '2024-W07').values.wait_avg, { value: 15, n: 2 });
    const own = await t.request(q({ ...BASE, team: 't1', agent: 'a1' }), { token: t.tokens.manager });
    expect(own.status).toBe(200);
  });

  it('by segment, a manager of t1 sees only its teams’ surveys', async () => {
    // i1 (s1, csat 5) becomes a Monthly customer's; s2 (4) has no customer; s3 (1) is t2's.
    await ingestCsv(t.database, 'customers', csv('external_id,segment', 'c1,Monthly'));
    await ingestCsv(
      t.database,
      'interactions',
      csv(
        'external_id,occurred_at,team,agent,customer,journey_stage,wait_seconds',
        'i1,2024-02-13T09:00:00Z,t1,a1,c1,Billing,10',
      ),
    );
    const manager = (await (
      await t.request(q({ ...BASE, by: 'segment' }), { token: t.tokens.manager })
    ).json()) as MetricsResult;
    expect(manager.rows.map((r) => r.segment)).toEqual(['Monthly', null]);
    expectValue(rowOf(manager, '2024-W07', ['segment', 'Monthly']).values.csat, { value: 1, n: 1 });
    expectValue(rowOf(manager, '2024-W07', ['segment', null]).values.csat, { value: 1, n: 1 });
    // A leader: no segment holds s2 (4) and s3 (1) → 1/2.
    const leader = (await (
      await t.request(q({ ...BASE, by: 'segment', segment: 'MONTHLY' }), { token: t.tokens.leader })
    ).json()) as MetricsResult;
    expect(leader.rows.map((r) => r.segment)).toEqual(['Monthly']);
    const none = (await (
      await t.request(q({ ...BASE, by: 'segment' }), { token: t.tokens.leader })
    ).json()) as MetricsResult;
    expectValue(rowOf(none, '2024-W07', ['segment', null]).values.csat, { value: 0.5, n: 2 });
  });

  it('a leader sees every team', async () => {
    const r = (await (await t.request(q({ ...BASE, by: 'team' }), { token: t.tokens.leader })).json()) as MetricsResult;
    expect(r.rows.map((x) => x.team)).toEqual(['t1', 't2']);
    // All: 5, 4, 1 → 2/3.
    const all = (await (await t.request(q(BASE), { token: t.tokens.leader })).json()) as MetricsResult;
    expectValue(rowOf(all, '2024-W07').values.csat, { value: 2 / 3, n: 3 });
  });
});

describe('GET /api/v1/metrics/catalog', () => {
  it('lists every metric and the five pairs', async () => {
    const res = await t.request('/api/v1/metrics/catalog', { token: t.tokens.manager });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      metrics: Array<{
        key: string;
        kind: string;
        better: string;
        unit: string;
        definition: string;
        partner?: string;
        dimensions: string[];
      }>;
      pairs: Array<{ key: string; operational: string[]; experiential: string[] }>;
    };
    expect(body.metrics.map((m) => m.key).sort()).toEqual(
      [
        'contacts',
        'abandon_rate',
        'wait_avg',
        'wait_p90',
        'handle_avg',
        'resolution_rate',
        'churn_rate',
        'clv',
        'employee_retention',
        'employee_retention_12m',
        'referrals',
        'referral_rate',
        'csat',
        'csat_avg',
        'nps',
        'effort_avg',
        'response_rate',
      ].sort(),
    );
    const m = Object.fromEntries(body.metrics.map((x) => [x.key, x]));
    // Better-direction and kind as the product's metric table says.
    expect(m.wait_avg).toMatchObject({ kind: 'operational', better: 'lower', partner: 'csat' });
    expect(m.handle_avg).toMatchObject({ kind: 'operational', better: 'none', partner: 'csat' });
    expect(m.effort_avg).toMatchObject({ kind: 'experiential', better: 'lower' });
    expect(m.referrals).toMatchObject({ kind: 'experiential', better: 'higher' });
    expect(m.csat!.dimensions).toContain('wait_bucket');
    for (const x of body.metrics) expect(x.definition.length).toBeGreaterThan(10);
    expect(body.pairs).toEqual([
      expect.objectContaining({ key: 'waiting', operational: ['wait_avg'], experiential: ['csat'] }),
      expect.objectContaining({ key: 'time_on_call', operational: ['handle_avg'], experiential: ['csat'] }),
      expect.objectContaining({ key: 'resolution', operational: ['resolution_rate'], experiential: ['csat'] }),
      expect.objectContaining({
        key: 'loyalty',
        operational: ['churn_rate', 'clv'],
        experiential: ['referral_rate', 'nps'],
      }),
      expect.objectContaining({
        key: 'people',
        operational: ['employee_retention_12m', 'employee_retention'],
        experiential: ['csat'],
      }),
    ]);
  });
});
