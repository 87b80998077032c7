// The admin area's history: the audit log (newest first, paged by id) and the import runs
// (imported and refused batches; dry runs are not recorded).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';

interface Entry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: unknown;
}
interface Run {
  id: number;
  kind: string;
  source: string;
  actor: string;
  dry_run: boolean;
  status: string;
  counts: unknown;
  started_at: string;
  finished_at: string | null;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const audit = async (query = '') => {
  const res = await t.request(`/api/v1/audit${query}`, { token: t.tokens.admin });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { entries: Entry[]; next_before: number | null };
};
const imports = async (query = '') => {
  const res = await t.request(`/api/v1/imports${query}`, { token: t.tokens.admin });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { imports: Run[] }).imports;
};

describe('audit log', () => {
  it('lists administrative actions newest first, paged by id', async () => {
    await t.request('/api/v1/settings', { method: 'PATCH', token: t.tokens.admin, json: { min_n: 40 } });
    await t.request('/api/v1/annotations', {
      method: 'POST',
      token: t.tokens.admin,
      json: { on: '2024-01-01', title: 'Audited' },
    });

    const all = await audit();
    // The five role tokens of the test app, then the two actions above.
    expect(all.entries.map((e) => e.action)).toEqual([
      'annotation.create',
      'settings.update',
      'token.create',
      'token.create',
      'token.create',
      'token.create',
      'token.create',
    ]);
    expect(all.next_before).toBeNull();
    expect(all.entries[0]).toMatchObject({
      actor: 'test admin',
      subject: expect.stringMatching(/^annotation \d+$/),
      details: { title: 'Audited' },
    });
    expect(all.entries[1]).toMatchObject({ subject: 'settings', details: { min_n: 40 } });
    expect(all.entries.at(-1)).toMatchObject({ actor: 'system', details: { role: 'admin' } });
    expect(Date.parse(all.entries[0]!.at)).not.toBeNaN();

    const first = await audit('?limit=4');
    expect(first.entries.map((e) => e.id)).toEqual(all.entries.slice(0, 4).map((e) => e.id));
    expect(first.next_before).toBe(all.entries[3]!.id);
    const second = await audit(`?limit=4&before=${first.next_before}`);
    expect(second.entries.map((e) => e.id)).toEqual(all.entries.slice(4).map((e) => e.id));
    expect(second.next_before).toBeNull();
    // Exactly a page's worth: no further page.
    expect((await audit('?limit=7')).next_before).toBeNull();
  });

  it('refuses bad paging and other roles', async () => {
    for (const q of ['?limit=0', '?limit=501', '?limit=abc', '?before=0', '?before=x']) {
      expect((await t.request(`/api/v1/audit${q}`, { token: t.tokens.admin })).status, q).toBe(400);
    }
    for (const role of ['leader', 'manager', 'display'] as const) {
      expect((await t.request('/api/v1/audit', { token: t.tokens[role] })).status).toBe(403);
      expect((await t.request('/api/v1/imports', { token: t.tokens[role] })).status).toBe(403);
    }
  });
});

describe('import history', () => {
  it('lists imports newest first: imported and refused batches, not dry runs', async () => {
    expect(await imports()).toEqual([]);
    const send = (kind: string, body: string, query = '') =>
      t.request(`/api/v1/ingest/${kind}${query}`, {
        method: 'POST',
        token: t.tokens.admin,
        body,
        headers: { 'content-type': 'text/csv' },
      });
    expect((await send('teams', 'external_id,name\nt3,Frontline Three\n')).status).toBe(200);
    expect((await send('agents', 'external_id,name,team\na1,Ana Silva,t9\n')).status).toBe(422);
    expect((await send('teams', 'external_id,name\nt4,Frontline Four\n', '?dry_run=true')).status).toBe(200);

    const runs = await imports();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({
      kind: 'agents',
      source: 'api',
      actor: 'test admin',
      dry_run: false,
      status: 'rejected',
      counts: { problems: 1 },
    });
    expect(runs[1]).toMatchObject({
      kind: 'teams',
      source: 'api',
      actor: 'test admin',
      dry_run: false,
      status: 'imported',
      counts: { rows: 1, inserted: 1, updated: 0, unchanged: 0 },
    });
    expect(Date.parse(runs[1]!.started_at)).not.toBeNaN();
    expect(runs[1]!.finished_at).not.toBeNull();
    expect(await imports('?limit=1')).toEqual([runs[0]]);
    for (const q of ['?limit=0', '?limit=201'])
      expect((await t.request(`/api/v1/imports${q}`, { token: t.tokens.admin })).status).toBe(400);
  });
});
