// /api/v1/sources: propose a mapping for a call export, save it, check and import files through
// it (several kinds, all or nothing, idempotent), versions and export; bad input and other roles.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { snapshotTables } from '../helpers/snapshot';
import { CALL_EXPORT_COLUMNS, CALL_EXPORT_MAPPING } from '../helpers/sources';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const HEADER = CALL_EXPORT_COLUMNS.join(',');
const CALLS = [
  HEADER,
  'ID1001,Diane,13/03/2024,09:12:00,Billing,Y,Y,20,0:02:23,5',
  'ID1002,Becky,13/03/2024,09:40:30,Password,Y,N,65,0:10:05,',
  'ID1003,Diane,14/03/2024,14:03:00,Billing,N,N,,,',
  'ID1004,Joe,02/04/2024,08:00:00,Refund,Y,Y,7,1:00:00,2',
].join('\r\n');

const MAPPING = CALL_EXPORT_MAPPING;

const csvPost = (path: string, body: string, token = t.tokens.admin, type = 'text/csv') =>
  t.request(path, { method: 'POST', token, headers: { 'content-type': type }, body });

let id = 0;

describe('sources: happy paths', () => {
  it('proposes a mapping for a call export, with evidence, questions and a preview', async () => {
    const res = await csvPost('/api/v1/sources/infer?file_name=calls.csv', CALLS);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      mapping: { outputs: Array<{ kind: string; fields: Record<string, { column?: string }> }> };
      evidence: Array<{ message: string }>;
      questions: Array<{ path: string; options: unknown[]; default: number }>;
      preview: Array<{ row: number }>;
      columns: string[];
    };
    expect(body.columns).toEqual(HEADER.split(','));
    const interactions = body.mapping.outputs.find((o) => o.kind === 'interactions');
    expect(interactions?.fields.external_id?.column).toBe('Call Id');
    expect(interactions?.fields.handle_seconds?.column).toBe('AvgTalkDuration');
    expect(body.evidence.some((e) => e.message.includes('AvgTalkDuration'))).toBe(true);
    // No team column: a question, its default already in the mapping.
    expect(body.questions.some((q) => q.path.includes('/fields/team'))).toBe(true);
    for (const q of body.questions) expect(q.options[q.default]).toBeDefined();
    expect(body.preview.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    // The proposal saves as it is.
    const saved = await t.request('/api/v1/sources', {
      method: 'POST',
      token: t.tokens.admin,
      json: { name: 'Proposed as is', mapping: body.mapping },
    });
    expect(saved.status).toBe(201);
  });

  it('saves a source, lists and shows it', async () => {
    const res = await t.request('/api/v1/sources', {
      method: 'POST',
      token: t.tokens.admin,
      json: { name: 'Call export', mapping: MAPPING },
    });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as { id: number; version: number };
    expect(saved.version).toBe(1);
    id = saved.id;
    const list = (await (await t.request('/api/v1/sources', { token: t.tokens.admin })).json()) as {
      sources: Array<{ name: string; kinds: string[] }>;
    };
    expect(list.sources.find((s) => s.name === 'Call export')?.kinds).toEqual(['interactions', 'surveys']);
    const one = (await (await t.request(`/api/v1/sources/${id}`, { token: t.tokens.admin })).json()) as {
      versions: unknown[];
      mapping: { format: { delimiter: string } };
    };
    expect(one.versions).toHaveLength(1);
    // Defaults are filled in.
    expect(one.mapping.format.delimiter).toBe(',');
  });

  it('a dry run counts per kind and writes nothing', async () => {
    const before = await snapshotTables(t.database);
    const res = await csvPost(`/api/v1/sources/${id}/ingest?dry_run=true`, CALLS);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { dry_run: boolean; results: Record<string, unknown> };
    expect(body.dry_run).toBe(true);
    expect(body.results).toEqual({
      teams: { inserted: 1, updated: 0, unchanged: 0 },
      agents: { inserted: 3, updated: 0, unchanged: 0 },
      interactions: { inserted: 4, updated: 0, unchanged: 0 },
      surveys: { inserted: 2, updated: 0, unchanged: 0 },
    });
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('imports the file, then importing it again changes nothing', async () => {
    const first = await csvPost(`/api/v1/sources/${id}/ingest`, CALLS);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { results: unknown }).results).toEqual({
      teams: { inserted: 1, updated: 0, unchanged: 0 },
      agents: { inserted: 3, updated: 0, unchanged: 0 },
      interactions: { inserted: 4, updated: 0, unchanged: 0 },
      surveys: { inserted: 2, updated: 0, unchanged: 0 },
    });
    const again = await csvPost(`/api/v1/sources/${id}/ingest`, CALLS);
    expect(((await again.json()) as { results: unknown }).results).toEqual({
      teams: { inserted: 0, updated: 0, unchanged: 1 },
      agents: { inserted: 0, updated: 0, unchanged: 3 },
      interactions: { inserted: 0, updated: 0, unchanged: 4 },
      surveys: { inserted: 0, updated: 0, unchanged: 2 },
    });
    // The metrics see it: 3 answered calls on 13–14 March, CSAT top-2-box 1 of 2.
    const m = (await (
      await t.request('/api/v1/metrics?metrics=contacts,csat&from=2024-03-01&to=2024-04-30&grain=total', {
        token: t.tokens.leader,
      })
    ).json()) as { rows: Array<{ values: Record<string, { value: number; n: number }> }> };
    expect(m.rows[0]!.values.contacts!.value).toBe(4);
    expect(m.rows[0]!.values.csat).toMatchObject({ value: 0.5, n: 2 });
    // The import history names the source and its version.
    const [run] = await t.database.rows<{ source: string; status: string }>(
      sql`select source, status from import_runs order by id desc limit 1`,
    );
    expect(run).toEqual({ source: 'api · source Call export v1', status: 'imported' });
  });

  it('a change is a new version; the earlier one stays readable; export and import again', async () => {
    const changed = { ...MAPPING, outputs: [MAPPING.outputs[0]] };
    const res = await t.request(`/api/v1/sources/${id}`, {
      method: 'PUT',
      token: t.tokens.admin,
      json: { mapping: changed },
    });
    expect(await res.json()).toEqual({ id, name: 'Call export', version: 2 });
    const v1 = (await (await t.request(`/api/v1/sources/${id}?version=1`, { token: t.tokens.admin })).json()) as {
      version: number;
      kinds: string[];
    };
    expect(v1).toMatchObject({ version: 1, kinds: ['interactions', 'surveys'] });
    // Records imported with version 1 are not rewritten by the edit.
    const [n] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from surveys`);
    expect(n!.n).toBe(2);
    const exported = await t.request(`/api/v1/sources/${id}/export`, { token: t.tokens.admin });
    expect(exported.headers.get('content-disposition')).toContain('Call-export.pairwise-source.json');
    const doc = (await exported.json()) as Record<string, unknown>;
    const back = await t.request('/api/v1/sources', {
      method: 'POST',
      token: t.tokens.admin,
      json: { ...doc, name: 'Call export (shared)' },
    });
    expect(back.status).toBe(201);
    const audit = await t.database.rows<{ action: string }>(
      sql`select action from audit_log where action like 'source.%' order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['source.create', 'source.create', 'source.update', 'source.create']);
  });

  it('previews a mapping not yet saved: problems per row with the file’s row and column', async () => {
    const form = new FormData();
    form.set('mapping', JSON.stringify(MAPPING));
    form.set(
      'file',
      new Blob(
        [
          `${HEADER}\nX1,Diane,31/02/2024,09:00,Billing,Y,Y,5,0:01:00,4\nX2,Diane,01/03/2024,09:00,Billing,Y,Y,5,0:01:00,4\n`,
        ],
        { type: 'text/csv' },
      ),
      'calls.csv',
    );
    const res = await t.request('/api/v1/sources/preview', { method: 'POST', token: t.tokens.admin, body: form });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      ok: boolean;
      problems: Array<{ row: number; column: string }>;
      preview: Array<{ row: number; records: Record<string, Record<string, string | null> | null> }>;
    };
    expect(body.ok).toBe(false);
    expect(body.problems.map((p) => [p.row, p.column])).toEqual([[2, 'Date + Time']]);
    expect(body.preview[1]!.records.interactions).toMatchObject({
      external_id: 'X2',
      occurred_at: '2024-03-01T09:00:00.000Z',
      handle_seconds: '60',
    });
    expect(body.preview[1]!.records.surveys).toMatchObject({ external_id: 'X2-survey', csat: '4' });
  });

  it('deletes a source; the records it imported stay', async () => {
    const del = await t.request(`/api/v1/sources/${id}`, { method: 'DELETE', token: t.tokens.admin });
    expect(del.status).toBe(204);
    expect((await t.request(`/api/v1/sources/${id}`, { token: t.tokens.admin })).status).toBe(404);
    const [n] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from interactions`);
    expect(n!.n).toBe(4);
  });
});

describe('sources: bad input changes nothing', () => {
  let sid = 0;
  beforeAll(async () => {
    const res = await t.request('/api/v1/sources', {
      method: 'POST',
      token: t.tokens.admin,
      json: { name: 'Strict calls', mapping: MAPPING },
    });
    sid = ((await res.json()) as { id: number }).id;
  });

  it('a mapping that is not valid is refused naming where', async () => {
    const bad = {
      ...MAPPING,
      outputs: [{ kind: 'interactions', fields: { external_id: { column: 'Call Id' }, nonsense: { column: 'x' } } }],
    };
    const res = await t.request('/api/v1/sources', {
      method: 'POST',
      token: t.tokens.admin,
      json: { name: 'Bad', mapping: bad },
    });
    expect(res.status).toBe(400);
    const p = await readProblem(res);
    expect(JSON.stringify(p.errors)).toContain('nonsense');
    expect(JSON.stringify(p.errors)).toContain('occurred_at');
  });

  it('a name taken answers 409', async () => {
    const res = await t.request('/api/v1/sources', {
      method: 'POST',
      token: t.tokens.admin,
      json: { name: 'strict CALLS', mapping: MAPPING },
    });
    expect(res.status).toBe(409);
    expect((await readProblem(res)).type).toContain('source-name-taken');
  });

  it('a file with problems answers 422 with the file’s rows and columns, and writes nothing', async () => {
    const before = await snapshotTables(t.database);
    const file = `${HEADER}\nB1,Nadia,01/03/2024,09:00,Billing,maybe,Y,5,0:01:00,4\nB2,Nadia,01/03/2024,09:00,Billing,Y,Y,-3,0:01:00,11\n`;
    const res = await csvPost(`/api/v1/sources/${sid}/ingest`, file);
    expect(res.status).toBe(422);
    const p = (await readProblem(res)) as unknown as {
      problems: Array<{ row: number; column: string; kind: string }>;
      detail: string;
    };
    expect(p.problems.map((x) => [x.row, x.kind, x.column])).toEqual([
      [2, 'interactions', 'Answered (Y/N)'],
      [3, 'interactions', 'Speed of answer in seconds'],
    ]);
    expect(p.detail).toContain("column 'Answered (Y/N)'");
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('a file in another format than the source reads answers 415', async () => {
    const res = await csvPost(`/api/v1/sources/${sid}/ingest`, '[]', t.tokens.admin, 'application/json');
    expect(res.status).toBe(415);
  });

  it('an unknown source answers 404; a bad id 400', async () => {
    expect((await csvPost('/api/v1/sources/999999/ingest', CALLS)).status).toBe(404);
    expect((await csvPost('/api/v1/sources/abc/ingest', CALLS)).status).toBe(400);
    expect((await t.request('/api/v1/sources/999999', { token: t.tokens.admin })).status).toBe(404);
  });

  it('infer refuses an unsupported type and an empty body', async () => {
    expect((await csvPost('/api/v1/sources/infer', 'x', t.tokens.admin, 'image/png')).status).toBe(415);
    const empty = await t.request('/api/v1/sources/infer', {
      method: 'POST',
      token: t.tokens.admin,
      headers: { 'content-type': 'text/csv' },
    });
    expect(empty.status).toBe(400);
  });

  it('a preview without its parts answers 400', async () => {
    const form = new FormData();
    form.set('mapping', '{not json');
    form.set('file', new Blob(['a\n1\n']), 'x.csv');
    const res = await t.request('/api/v1/sources/preview', { method: 'POST', token: t.tokens.admin, body: form });
    expect(res.status).toBe(400);
    const noFile = new FormData();
    noFile.set('mapping', JSON.stringify(MAPPING));
    expect(
      (await t.request('/api/v1/sources/preview', { method: 'POST', token: t.tokens.admin, body: noFile })).status,
    ).toBe(400);
  });
});

describe('sources: security', () => {
  const routes: Array<[string, string]> = [
    ['GET', '/api/v1/sources'],
    ['GET', '/api/v1/sources/presets'],
    ['POST', '/api/v1/sources'],
    ['GET', '/api/v1/sources/1'],
    ['PUT', '/api/v1/sources/1'],
    ['DELETE', '/api/v1/sources/1'],
    ['GET', '/api/v1/sources/1/export'],
    ['POST', '/api/v1/sources/infer'],
    ['POST', '/api/v1/sources/preview'],
    ['POST', '/api/v1/sources/1/ingest'],
  ];
  it('only admins: other roles 403, no token 401, and nothing is written', async () => {
    const before = await snapshotTables(t.database);
    for (const [method, path] of routes) {
      for (const role of ['leader', 'manager', 'display'] as const) {
        const res = await t.request(path, {
          method,
          token: t.tokens[role],
          headers: { 'content-type': 'text/csv' },
          body: method === 'GET' || method === 'DELETE' ? undefined : CALLS,
        });
        expect([method, path, role, res.status]).toEqual([method, path, role, 403]);
      }
      const anon = await t.request(path, {
        method,
        body: method === 'GET' || method === 'DELETE' ? undefined : CALLS,
        headers: { 'content-type': 'text/csv' },
      });
      expect([method, path, anon.status]).toEqual([method, path, 401]);
    }
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('names are data, never SQL: an agent named with quotes and a statement is created as named', async () => {
    const res = await t.request('/api/v1/sources', {
      method: 'POST',
      token: t.tokens.admin,
      json: { name: "Robert'); drop table agents;--", mapping: MAPPING },
    });
    const sid = ((await res.json()) as { id: number }).id;
    const evil = "O'Brien'); drop table agents;--";
    const file = `${HEADER}\nE1,"${evil}",01/03/2024,09:00,Billing,Y,Y,5,0:01:00,\n`;
    const r = await csvPost(`/api/v1/sources/${sid}/ingest`, file);
    expect(r.status).toBe(200);
    const rows = await t.database.rows<{ name: string }>(sql`select name from agents where name like 'O''Brien%'`);
    expect(rows).toEqual([{ name: evil }]);
  });

  it('a mapping body past the JSON limit answers 413 naming the limit', async () => {
    const huge = {
      name: 'Huge',
      mapping: {
        ...MAPPING,
        outputs: [
          {
            ...MAPPING.outputs[0],
            fields: {
              ...MAPPING.outputs[0]!.fields,
              channel: {
                column: 'x',
                transform: {
                  type: 'map',
                  values: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`value ${i}`, 'phone'])),
                },
              },
            },
          },
        ],
      },
    };
    const res = await t.request('/api/v1/sources', { method: 'POST', token: t.tokens.admin, json: huge });
    expect(res.status).toBe(413);
    expect(((await readProblem(res)) as unknown as { limit: string }).limit).toBe('body-size');
  });
});
