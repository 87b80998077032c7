// Goals: set, listed, changed, ended and removed by the API; validated against the metric
// registry; never overlapping for one metric and team; and what GET /metrics?compare=target uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../api/metrics/periods';
import type { MetricsResult } from '../../api/metrics/engine';
import { auditLog, goals } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

interface Goal {
  id: number;
  metric: string;
  metric_label: string;
  unit: string;
  team: { id: string; name: string } | null;
  target: number;
  valid_from: string;
  valid_to: string | null;
  note: string | null;
  created_at: string;
  ended?: Array<{ id: number; valid_to: string }>;
}

let t: TestApp;

// 2024-W07 = Feb 12 … 18 (UTC). t1: 36 of 40 answers are 4–5 → CSAT 0.9; t2: 3 of 5 → 0.6;
// the organisation: 39 of 45 → 0.866667.
beforeAll(async () => {
  t = await createTestApp({ env: { ORG_TIMEZONE: 'UTC' } });
  const rows: string[] = [];
  const add = (team: string, count: number, csat: number) => {
    for (let k = 0; k < count; k++)
      rows.push(`${team}-${csat}-${k},2024-02-14T${String(8 + (k % 10)).padStart(2, '0')}:00:00Z,${team},${csat}`);
  };
  add('t1', 36, 5);
  add('t1', 4, 2);
  add('t2', 3, 5);
  add('t2', 2, 2);
  await ingestCsv(t.database, 'surveys', csv('external_id,responded_at,team,csat', ...rows));
});
afterAll(() => t.close());

const post = (json: unknown, token = t.tokens.admin) => t.request('/api/v1/goals', { method: 'POST', token, json });
const patch = (id: number, json: unknown) =>
  t.request(`/api/v1/goals/${id}`, { method: 'PATCH', token: t.tokens.admin, json });
const del = (id: number) => t.request(`/api/v1/goals/${id}`, { method: 'DELETE', token: t.tokens.admin });
async function created(json: unknown): Promise<Goal> {
  const res = await post(json);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Goal;
}
async function list(query = '', token = t.tokens.admin): Promise<Goal[]> {
  const res = await t.request(`/api/v1/goals${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { goals: Goal[] }).goals;
}
const clear = () => t.database.db.delete(goals);

describe('goals and compare=target', () => {
  it('an organisation-wide and a team goal are what /metrics answers as target and met', async () => {
    await clear();
    const org = await created({
      metric: 'csat',
      target: 0.85,
      valid_from: '2024-02-01',
      valid_to: '2024-02-29',
      note: 'Q1 ambition',
    });
    expect(org).toMatchObject({
      metric: 'csat',
      metric_label: 'CSAT',
      unit: 'proportion',
      team: null,
      target: 0.85,
      valid_from: '2024-02-01',
      valid_to: '2024-02-29',
      note: 'Q1 ambition',
      ended: [],
    });
    expect(Date.parse(org.created_at)).not.toBeNaN();
    const team = await created({ metric: 'csat', team: 't2', target: 0.7, valid_from: '2024-01-01' });
    expect(team).toMatchObject({ team: { id: 't2', name: 'Frontline Two' }, valid_to: null, note: null });

    const metrics = async (params: string) => {
      const res = await t.request(`/api/v1/metrics?metrics=csat&grain=week&compare=target&${params}`, {
        token: t.tokens.leader,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as MetricsResult;
    };
    // The organisation in W07: 0.866667 ≥ 0.85 → met; in W10 (March) no goal is in force.
    const whole = await metrics('from=2024-02-12&to=2024-03-10');
    const w07 = whole.rows.find((r) => r.period === '2024-W07')!.values.csat!;
    expect(w07.value).toBeCloseTo(39 / 45, 9);
    expect(w07).toMatchObject({ target: 0.85, met: true });
    expect(whole.rows.find((r) => r.period === '2024-W10')!.values.csat).toMatchObject({ target: null, met: null });

    // By team: t2's own goal (0.6 < 0.7, not met) over the organisation's; t1 falls back to the organisation's.
    const byTeam = await metrics('from=2024-02-12&to=2024-02-18&by=team');
    expect(byTeam.rows.find((r) => r.team === 't2')!.values.csat).toMatchObject({
      value: 0.6,
      target: 0.7,
      met: false,
    });
    expect(byTeam.rows.find((r) => r.team === 't1')!.values.csat).toMatchObject({
      value: 0.9,
      target: 0.85,
      met: true,
    });
    // A team filter uses that team's goal; in March t2's open-ended goal is still in force.
    const t2 = await metrics('from=2024-03-04&to=2024-03-10&team=t2');
    expect(t2.rows[0]!.values.csat).toMatchObject({ target: 0.7, met: null });

    // Changing a goal changes the answer.
    expect((await patch(org.id, { target: 0.9 })).status).toBe(200);
    expect((await metrics('from=2024-02-12&to=2024-02-18')).rows[0]!.values.csat).toMatchObject({
      target: 0.9,
      met: false,
    });
  });
});

describe('validation', () => {
  it.each([
    [{ metric: 'happiness', target: 1, valid_from: '2024-01-01' }, 'metric', /unknown metric 'happiness'.*csat.*nps/],
    [
      { metric: 'handle_avg', target: 300, valid_from: '2024-01-01' },
      'metric',
      /time on call is never a target on its own — pair it with CSAT and set a CSAT target instead/,
    ],
    [{ metric: 'contacts', target: 1000, valid_from: '2024-01-01' }, 'metric', /never a target/],
    [
      { metric: 'csat', target: 1.4, valid_from: '2024-01-01' },
      'target',
      /csat is a proportion between 0 and 1 \(0\.8 = 80%\); got 1\.4/,
    ],
    [{ metric: 'csat', target: 80, valid_from: '2024-01-01' }, 'target', /got 80/],
    [{ metric: 'nps', target: 120, valid_from: '2024-01-01' }, 'target', /between -100 and 100; got 120/],
    [{ metric: 'wait_avg', target: -5, valid_from: '2024-01-01' }, 'target', /seconds and cannot be negative/],
    [{ metric: 'csat', team: 't9', target: 0.8, valid_from: '2024-01-01' }, 'team', /unknown team 't9'/],
    [
      { metric: 'csat', target: 0.8, valid_from: '2024-03-01', valid_to: '2024-02-01' },
      'valid_to',
      /valid_to \(2024-02-01\) is before valid_from \(2024-03-01\)/,
    ],
  ])('%j → 422 naming %s', async (json, field, reason) => {
    await clear();
    const res = await post(json);
    expect(res.status).toBe(422);
    const body = await readProblem(res);
    expect(body.detail).toMatch(reason);
    expect(body.detail).toMatch(/\.$/);
    expect(body.errors).toEqual([{ in: 'body', field, reason: expect.stringMatching(reason) }]);
    expect(await t.database.db.select().from(goals)).toEqual([]);
  });

  it('lists every problem at once', async () => {
    const res = await post({
      metric: 'csat',
      team: 'nope',
      target: 2,
      valid_from: '2024-03-01',
      valid_to: '2024-01-01',
    });
    const body = await readProblem(res);
    expect(body.errors?.map((e) => e.field)).toEqual(['target', 'valid_to', 'team']);
    expect(body.detail).toMatch(/\(and 2 more problems\)\.$/);
  });

  it.each([
    [
      { metric: 'csat', target: 0.8, valid_from: '2024-02-30' },
      /body field 'valid_from': must be a real calendar date/,
    ],
    [{ metric: 'csat', target: '0.8', valid_from: '2024-02-01' }, /body field 'target'/],
    [{ metric: 'csat', target: 0.8 }, /body field 'valid_from'/],
    [{ metric: 'csat', target: 0.8, valid_from: '2024-02-01', validTo: '2024-03-01' }, /unknown field 'validTo'/],
  ])('%j → 400', async (json, detail) => {
    const res = await post(json);
    expect(res.status).toBe(400);
    expect((await readProblem(res)).detail).toMatch(detail);
  });

  it('PATCH refuses an empty change, a metric change, a bad target or dates; 404 for an unknown goal', async () => {
    await clear();
    const g = await created({ metric: 'nps', target: 30, valid_from: '2024-01-01' });
    expect((await patch(g.id, {})).status).toBe(400);
    const metricChange = await patch(g.id, { metric: 'csat' });
    expect(metricChange.status).toBe(400);
    expect((await readProblem(metricChange)).detail).toMatch(/unknown field 'metric'.*create a new goal/);
    const bad = await patch(g.id, { target: -101 });
    expect(bad.status).toBe(422);
    expect((await readProblem(bad)).errors).toEqual([
      { in: 'body', field: 'target', reason: 'nps is a score between -100 and 100; got -101' },
    ]);
    const before = await patch(g.id, { valid_to: '2023-12-31' });
    expect(before.status).toBe(422);
    expect((await readProblem(before)).errors?.[0]?.field).toBe('valid_to');
    expect((await patch(424242, { target: 10 })).status).toBe(404);
    expect((await del(424242)).status).toBe(404);
    expect((await t.request('/api/v1/goals/abc', { method: 'DELETE', token: t.tokens.admin })).status).toBe(400);
  });
});

describe('no overlaps', () => {
  it('a later goal ends the one in force the day before; an earlier one that would overlap is refused', async () => {
    await clear();
    const first = await created({ metric: 'csat', target: 0.8, valid_from: '2024-01-01' });
    const second = await created({ metric: 'csat', target: 0.85, valid_from: '2024-03-01' });
    expect(second.ended).toEqual([{ id: first.id, valid_to: '2024-02-29' }]);

    // A team goal and another metric do not collide with the organisation's csat goals.
    await created({ metric: 'csat', team: 't1', target: 0.9, valid_from: '2024-01-01' });
    await created({ metric: 'resolution_rate', target: 0.75, valid_from: '2024-02-01' });

    // Starting on or before a later goal's start would overlap it: refused, naming it; nothing changes.
    for (const json of [
      { metric: 'csat', target: 0.82, valid_from: '2024-02-01' },
      { metric: 'csat', target: 0.82, valid_from: '2024-03-01', valid_to: '2024-03-31' },
    ]) {
      const res = await post(json);
      expect(res.status).toBe(422);
      const body = await readProblem(res);
      expect(body.detail).toContain(`goal ${second.id}`);
      expect((body as { conflicting_goals?: number[] }).conflicting_goals).toEqual([second.id]);
    }
    // Ending before the later goal starts fits in (and ends the first goal the day before).
    const fits = await created({ metric: 'csat', target: 0.82, valid_from: '2024-02-01', valid_to: '2024-02-29' });
    expect(fits.ended).toEqual([{ id: first.id, valid_to: '2024-01-31' }]);

    const all = (await list('?metric=csat&include_ended=true')).filter((g) => g.team === null);
    expect(all.map((g) => [g.valid_from, g.valid_to, g.target])).toEqual([
      ['2024-01-01', '2024-01-31', 0.8],
      ['2024-02-01', '2024-02-29', 0.82],
      ['2024-03-01', null, 0.85],
    ]);

    // PATCH may not create an overlap either.
    const res = await patch(fits.id, { valid_to: '2024-03-05' });
    expect(res.status).toBe(422);
    expect((await readProblem(res)).detail).toContain(`goal ${second.id}`);
    // Ending a goal and reopening it.
    expect(await (await patch(second.id, { valid_to: '2024-06-30' })).json()).toMatchObject({
      id: second.id,
      valid_to: '2024-06-30',
    });
    expect(await (await patch(second.id, { valid_to: null })).json()).toMatchObject({ id: second.id, valid_to: null });
  });

  it('every write is audited', async () => {
    await clear();
    const a = await created({ metric: 'abandon_rate', target: 0.08, valid_from: '2024-01-01' });
    const b = await created({ metric: 'abandon_rate', target: 0.06, valid_from: '2024-04-01' });
    await patch(b.id, { note: 'stretch' });
    const removed = await del(b.id);
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ id: b.id, note: 'stretch' });
    expect((await del(b.id)).status).toBe(404);
    const log = await t.database.db.select().from(auditLog);
    const lines = log.map((l) => `${l.action} ${l.subject} ${l.actor}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        `goal.create goal ${a.id} test admin`,
        `goal.create goal ${b.id} test admin`,
        `goal.update goal ${a.id} test admin`,
        `goal.update goal ${b.id} test admin`,
        `goal.delete goal ${b.id} test admin`,
      ]),
    );
    expect(log.find((l) => l.action === 'goal.update' && l.subject === `goal ${a.id}`)?.details).toMatchObject({
      valid_to: '2024-03-31',
    });
  });
});

describe('listing', () => {
  it('by default hides goals ended before today; filters by metric, team and day', async () => {
    await clear();
    const today = todayIn('UTC');
    const past = await created({ metric: 'nps', target: 20, valid_from: '2020-01-01', valid_to: '2020-12-31' });
    const endsToday = await created({ metric: 'nps', target: 25, valid_from: '2021-01-01', valid_to: today });
    const open = await created({ metric: 'csat', target: 0.8, valid_from: '2021-01-01' });
    const t1 = await created({ metric: 'csat', team: 't1', target: 0.9, valid_from: '2021-01-01' });
    const t2 = await created({ metric: 'csat', team: 't2', target: 0.7, valid_from: '2021-01-01' });
    const ids = (gs: Goal[]) => gs.map((g) => g.id).sort((x, y) => x - y);

    expect(ids(await list())).toEqual(ids([endsToday, open, t1, t2]));
    expect(ids(await list('?include_ended=true'))).toEqual(ids([past, endsToday, open, t1, t2]));
    expect(ids(await list('?active_on=2020-06-01'))).toEqual([past.id]);
    expect(ids(await list('?metric=csat'))).toEqual(ids([open, t1, t2]));
    expect(ids(await list('?team=t2'))).toEqual(ids([endsToday, open, t2]));
    // Sorted by metric, the organisation's first.
    expect((await list('?metric=csat')).map((g) => g.team?.id ?? null)).toEqual([null, 't1', 't2']);

    // A manager (t1) sees the organisation's goals and its own team's; a leader sees all.
    expect(ids(await list('', t.tokens.manager))).toEqual(ids([endsToday, open, t1]));
    expect(ids(await list('?team=t1', t.tokens.manager))).toEqual(ids([endsToday, open, t1]));
    expect((await t.request('/api/v1/goals?team=t2', { token: t.tokens.manager })).status).toBe(403);
    expect(ids(await list('', t.tokens.leader))).toHaveLength(4);
    expect((await t.request('/api/v1/goals', { token: t.tokens.display })).status).toBe(403);
    expect((await post({ metric: 'csat', target: 0.8, valid_from: '2030-01-01' }, t.tokens.leader)).status).toBe(403);

    for (const bad of ['?metric=happiness', '?team=t9', '?active_on=2024-13-01', '?include_ended=yes']) {
      const res = await t.request(`/api/v1/goals${bad}`, { token: t.tokens.admin });
      expect(res.status, bad).toBe(400);
    }
  });
});
