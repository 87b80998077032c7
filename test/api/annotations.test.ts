// Annotations: created, listed by date (organisation-wide and per team, in a manager's scope),
// changed and removed by admins; every write audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotations, auditLog } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';

interface Annotation {
  id: number;
  on: string;
  title: string;
  note: string | null;
  team: { id: string; name: string } | null;
  created_at: string;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const post = (json: unknown, token = t.tokens.admin) =>
  t.request('/api/v1/annotations', { method: 'POST', token, json });
const patch = (id: number, json: unknown) =>
  t.request(`/api/v1/annotations/${id}`, { method: 'PATCH', token: t.tokens.admin, json });
const del = (id: number) => t.request(`/api/v1/annotations/${id}`, { method: 'DELETE', token: t.tokens.admin });
async function created(json: unknown): Promise<Annotation> {
  const res = await post(json);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Annotation;
}
async function list(query = '', token = t.tokens.admin): Promise<Annotation[]> {
  const res = await t.request(`/api/v1/annotations${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { annotations: Annotation[] }).annotations;
}
const titles = (as: Annotation[]) => as.map((a) => a.title);

describe('annotations', () => {
  it('creates organisation-wide and team annotations and lists them by date for each role', async () => {
    await t.database.db.delete(annotations);
    const ivr = await created({
      on: '2024-03-04',
      title: '  New phone menu (IVR) went live ',
      note: 'Callers misrouted.',
    });
    expect(ivr).toMatchObject({
      on: '2024-03-04',
      title: 'New phone menu (IVR) went live',
      note: 'Callers misrouted.',
      team: null,
    });
    expect(Date.parse(ivr.created_at)).not.toBeNaN();
    const t1 = await created({ on: '2024-02-01', title: 'Team one moved floors', team: 't1' });
    expect(t1).toMatchObject({ team: { id: 't1', name: 'Frontline One' }, note: null });
    await created({ on: '2024-05-20', title: 'Team two training week', team: 't2', note: '' });

    expect(titles(await list())).toEqual([
      'Team one moved floors',
      'New phone menu (IVR) went live',
      'Team two training week',
    ]);
    expect(titles(await list('?from=2024-03-01&to=2024-04-30'))).toEqual(['New phone menu (IVR) went live']);
    expect(titles(await list('?from=2024-03-04'))).toEqual([
      'New phone menu (IVR) went live',
      'Team two training week',
    ]);
    expect(titles(await list('?team=t2'))).toEqual(['New phone menu (IVR) went live', 'Team two training week']);
    expect(titles(await list('', t.tokens.leader))).toHaveLength(3);
    expect((await t.request('/api/v1/annotations', { token: t.tokens.display })).status).toBe(403);
    // A manager of t1: the organisation's and t1's only; another team's filter is refused.
    expect(titles(await list('', t.tokens.manager))).toEqual([
      'Team one moved floors',
      'New phone menu (IVR) went live',
    ]);
    expect((await t.request('/api/v1/annotations?team=t2', { token: t.tokens.manager })).status).toBe(403);

    for (const bad of ['?from=2024-02-30', '?from=2024-05-01&to=2024-04-01', '?team=t9']) {
      expect((await t.request(`/api/v1/annotations${bad}`, { token: t.tokens.admin })).status, bad).toBe(400);
    }
  });

  it('validates: title 1–120, note ≤ 1000, a real date (400); unknown team (422)', async () => {
    const before = (await list()).length;
    for (const json of [
      { on: '2024-01-01', title: '' },
      { on: '2024-01-01', title: 'x'.repeat(121) },
      { on: '2024-01-01', title: 'ok', note: 'x'.repeat(1001) },
      { on: '2024-02-30', title: 'ok' },
      { title: 'ok' },
      { on: '2024-01-01', title: 'ok', colour: 'red' },
    ]) {
      const res = await post(json);
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
    expect((await post({ on: '2024-01-01', title: 'x'.repeat(120), note: 'y'.repeat(1000) })).status).toBe(201);
    const res = await post({ on: '2024-01-01', title: 'ghost', team: 'nope' });
    expect(res.status).toBe(422);
    const body = await readProblem(res);
    expect(body.detail).toMatch(/unknown team 'nope'/);
    expect(body.errors).toEqual([{ in: 'body', field: 'team', reason: expect.stringMatching(/unknown team 'nope'/) }]);
    expect(await list()).toHaveLength(before + 1);
    expect((await post({ on: '2024-01-01', title: 'no' }, t.tokens.leader)).status).toBe(403);
  });

  it('changes and removes an annotation; 404 for unknown ids; every write audited', async () => {
    const a = await created({ on: '2024-06-03', title: 'Chat launched', team: 't1' });
    const changed = await patch(a.id, { title: 'Chat launched for all', team: null, note: 'Web and app' });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      id: a.id,
      on: '2024-06-03',
      title: 'Chat launched for all',
      team: null,
      note: 'Web and app',
    });
    expect(await (await patch(a.id, { on: '2024-06-04', team: 't2', note: null })).json()).toMatchObject({
      on: '2024-06-04',
      team: { id: 't2' },
      note: null,
    });
    expect((await patch(a.id, {})).status).toBe(400);
    expect((await patch(a.id, { team: 't9' })).status).toBe(422);
    expect((await patch(424242, { title: 'x' })).status).toBe(404);

    const removed = await del(a.id);
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ id: a.id, title: 'Chat launched for all' });
    expect((await del(a.id)).status).toBe(404);
    expect((await t.request('/api/v1/annotations/x', { method: 'DELETE', token: t.tokens.admin })).status).toBe(400);

    const log = (await t.database.db.select().from(auditLog)).filter((l) => l.subject === `annotation ${a.id}`);
    expect(log.map((l) => l.action)).toEqual([
      'annotation.create',
      'annotation.update',
      'annotation.update',
      'annotation.delete',
    ]);
    expect(log.every((l) => l.actor === 'test admin')).toBe(true);
  });
});
