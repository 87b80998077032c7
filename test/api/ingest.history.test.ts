// The import history (GET /api/v1/imports) holds every import attempt but dry runs, with its
// outcome (imported, rejected, failed, aborted; running while under way) and its real start and
// finish times; recording a failure never undoes all-or-nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureIngest } from '../../api/ingest/admission';
import { ingest } from '../../api/ingest/ingest';
import type { Source } from '../../api/ingest/sources';
import { createTestApp, type TestApp } from '../helpers/app';
import { snapshotTables } from '../helpers/snapshot';

interface Run {
  id: number;
  kind: string;
  source: string;
  actor: string;
  dry_run: boolean;
  status: string;
  counts: Record<string, unknown> | null;
  started_at: string;
  finished_at: string | null;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
afterEach(() => void configureIngest(t.deps, {}));

const imports = async (): Promise<Run[]> => {
  const res = await t.request('/api/v1/imports?limit=200', { token: t.tokens.admin });
  expect(res.status).toBe(200);
  return ((await res.json()) as { imports: Run[] }).imports;
};
const post = (kind: string, body: string, type = 'text/csv', query = '') =>
  t.request(`/api/v1/ingest/${kind}${query}`, {
    method: 'POST',
    token: t.tokens.admin,
    headers: { 'content-type': type },
    body,
  });

const HEADER = 'external_id,occurred_at,team,wait_seconds\n';
const rows = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i},2024-01-01T10:00:00Z,t1,${i % 100}\n`).join('');

/** A client sending `first`, then (after `pauseMs`) `rest` and the end, or with no `rest` nothing until `disconnect`. */
function client(kind: string, first: string, options: { pauseMs?: number; rest?: string } = {}) {
  const controller = new AbortController();
  const enc = new TextEncoder();
  let step = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (step++ === 0) return c.enqueue(enc.encode(first));
      if (options.rest !== undefined) {
        await new Promise((r) => setTimeout(r, options.pauseMs ?? 0));
        c.enqueue(enc.encode(options.rest));
        return c.close();
      }
      await new Promise<void>((resolve) =>
        controller.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      c.error(new Error('client went away'));
    },
  });
  const response = t.request(`/api/v1/ingest/${kind}`, {
    method: 'POST',
    token: t.tokens.admin,
    headers: { 'content-type': 'text/csv' },
    body,
    duplex: 'half',
  } as RequestInit & { token: string });
  return { response, disconnect: () => controller.abort() };
}

const ms = (run: Run) => Date.parse(run.finished_at!) - Date.parse(run.started_at);

describe('import history', () => {
  it('records every attempt with its outcome: imported, rejected, aborted; not dry runs', async () => {
    const before = await imports();
    expect((await post('teams', 'external_id,name\nh1,History One\n')).status).toBe(200);
    expect((await post('agents', 'external_id,name,team\nha1,Ana,nowhere\n')).status).toBe(422);
    expect((await post('teams', '[{"external_id": "h2"', 'application/json')).status).toBe(422);
    expect((await post('teams', '')).status).toBe(422);
    expect((await post('teams', 'external_id,name\nh3,Dry\n', 'text/csv', '?dry_run=true')).status).toBe(200);
    configureIngest(t.deps, { csvBytes: 1024 });
    expect((await post('interactions', HEADER + rows(100, 'big'))).status).toBe(413);
    configureIngest(t.deps, { idleSeconds: 0.2 });
    const idle = client('interactions', HEADER + rows(10, 'idle'));
    expect((await idle.response).status).toBe(408);
    idle.disconnect();
    configureIngest(t.deps, {});
    const gone = client('interactions', HEADER + rows(10, 'gone'));
    await new Promise((r) => setTimeout(r, 100));
    gone.disconnect();
    expect((await gone.response).status).toBe(400);

    const runs = (await imports()).slice(0, -before.length || undefined).reverse();
    expect(runs.map((r) => [r.kind, r.status])).toEqual([
      ['teams', 'imported'],
      ['agents', 'rejected'],
      ['teams', 'rejected'],
      ['teams', 'rejected'],
      ['interactions', 'rejected'],
      ['interactions', 'aborted'],
      ['interactions', 'aborted'],
    ]);
    expect(runs[0]!.counts).toEqual({ rows: 1, inserted: 1, updated: 0, unchanged: 0 });
    expect(runs[1]!.counts).toEqual({ problems: 1 });
    expect(runs[4]!.counts).toEqual({ too_large_bytes: 1024 });
    expect(runs[5]!.counts).toMatchObject({
      reason: 'the upload sent nothing for 0.2 s',
      bytes: (HEADER + rows(10, 'idle')).length,
    });
    expect(runs[6]!.counts).toMatchObject({ reason: 'the client disconnected during the upload' });
    for (const run of runs) {
      expect(run).toMatchObject({ source: 'api', actor: 'test admin', dry_run: false });
      expect(run.finished_at).not.toBeNull();
      expect(ms(run)).toBeGreaterThanOrEqual(0);
    }
    // The idle one was cut off after its idle limit, counted from its start.
    expect(ms(runs[5]!)).toBeGreaterThanOrEqual(200);
  });

  it('finished_at is when the import ended, not when it started', async () => {
    const slow = client('interactions', HEADER + rows(5, 'slow'), { pauseMs: 1200, rest: rows(5, 'slower') });
    expect((await slow.response).status).toBe(200);
    const [run] = await imports();
    expect(run).toMatchObject({ kind: 'interactions', status: 'imported', counts: { rows: 10, inserted: 10 } });
    expect(ms(run!)).toBeGreaterThanOrEqual(1000);
  });

  it('an import under way is listed as running until it ends', async () => {
    const stalled = client('interactions', HEADER + rows(10, 'wait'));
    await new Promise((r) => setTimeout(r, 100));
    const [running] = await imports();
    expect(running).toMatchObject({ kind: 'interactions', status: 'running', counts: null, finished_at: null });
    stalled.disconnect();
    await stalled.response;
    const [ended] = await imports();
    expect(ended).toMatchObject({ id: running!.id, status: 'aborted' });
  });

  it('an import that fails is recorded as failed after its rollback: nothing written', async () => {
    const before = await snapshotTables(t.database);
    // A source that breaks after its first rows (a disk or parser failure, say).
    const source: Source = {
      format: 'csv',
      columns: ['external_id', 'name'],
      rows: (async function* () {
        yield [{ row: 2, cells: ['f1', 'Failing'] }];
        throw new Error('the source broke');
      })(),
    };
    await expect(
      ingest(t.database, 'teams', source, { timeZone: 'UTC', actor: 'test', source: 'test' }),
    ).rejects.toThrow('the source broke');
    const [run] = await imports();
    expect(run).toMatchObject({ kind: 'teams', source: 'test', status: 'failed', counts: { error: 'Error' } });
    expect(run!.finished_at).not.toBeNull();
    expect(await snapshotTables(t.database)).toEqual(before);
  });
});
