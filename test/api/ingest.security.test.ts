// Slow, stalled, oversized and too many uploads through POST /api/v1/ingest/{kind}: none of them
// holds the ingest lock or a database connection while the client sends, each is cut off at a
// limit the answer names (problem `limit`, Retry-After when it passes with time), nothing is
// written, and no temporary file is left behind.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureIngest, type IngestLimits } from '../../api/ingest/admission';
import { spoolDirectory } from '../../api/ingest/spool';
import { INGEST } from '../../api/limits';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { snapshotTables } from '../helpers/snapshot';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const HEADER = 'external_id,occurred_at,team,wait_seconds\n';
const rows = (n: number, prefix = 'x') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i},2024-01-01T10:00:00Z,t1,${i % 100}\n`).join('');

/** Uploads still sending at the end of a test are let go (their clients "disconnect"). */
const clients: AbortController[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.abort();
  configureIngest(t.deps, {});
  // Let the aborted uploads' requests end (and remove their files).
  await new Promise((r) => setTimeout(r, 50));
});

/**
 * A client that sends `first`, then nothing until it disconnects (`disconnect()`), or with
 * `rest` sends that after `pauseMs` and ends the body.
 */
function client(
  kind: string,
  first: string,
  options: { query?: string; type?: string; pauseMs?: number; rest?: string } = {},
) {
  const controller = new AbortController();
  clients.push(controller);
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
  const response = t.request(`/api/v1/ingest/${kind}${options.query ?? ''}`, {
    method: 'POST',
    token: t.tokens.admin,
    headers: { 'content-type': options.type ?? 'text/csv' },
    body,
    duplex: 'half',
  } as RequestInit & { token: string });
  return { response, disconnect: () => controller.abort() };
}

const post = (kind: string, body: string, query = '', type = 'text/csv') =>
  t.request(`/api/v1/ingest/${kind}${query}`, {
    method: 'POST',
    token: t.tokens.admin,
    headers: { 'content-type': type },
    body,
  });

/** Fails (rather than hanging the suite) when `p` has not settled within `ms`. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

const spooledFiles = () => readdirSync(spoolDirectory());
const settle = () => new Promise((r) => setTimeout(r, 100));
const limits = (l: Partial<IngestLimits>) => configureIngest(t.deps, l);

describe('ingest: uploads hold nothing while the client sends', () => {
  it('a stalled upload holds no lock and no connection: health, reads, a dry run and an import all answer meanwhile', async () => {
    const stalled = client('interactions', HEADER + rows(500));
    await settle();
    const dry = await within(
      10_000,
      'a dry run during a stalled upload',
      post('interactions', HEADER + rows(3, 'probe'), '?dry_run=true'),
    );
    expect(dry.status, await dry.clone().text()).toBe(200);
    expect(await dry.json()).toMatchObject({ dry_run: true, inserted: 3 });
    expect((await within(10_000, 'health', t.request('/api/v1/health'))).status).toBe(200);
    expect(
      (
        await within(
          10_000,
          'metrics',
          t.request('/api/v1/metrics?metrics=contacts&grain=day&from=2024-01-01&to=2024-01-07', {
            token: t.tokens.admin,
          }),
        )
      ).status,
    ).toBe(200);
    const imported = await within(
      10_000,
      'an import during a stalled upload',
      post('teams', 'external_id,name\nt7,Seven\n'),
    );
    expect(imported.status, await imported.clone().text()).toBe(200);
    // The stalled upload's file is private to the server's user.
    const files = spooledFiles();
    expect(files).toHaveLength(1);
    expect(statSync(join(spoolDirectory(), files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(spoolDirectory()).mode & 0o777).toBe(0o700);
    stalled.disconnect();
    expect((await stalled.response).status).toBe(400);
    await settle();
    expect(spooledFiles()).toEqual([]);
  });

  it('an upload silent for the idle limit is cut off: 408 naming the limit, nothing written, its file removed', async () => {
    limits({ idleSeconds: 0.3 });
    const before = await snapshotTables(t.database);
    const stalled = client('interactions', HEADER + rows(200));
    const res = await within(10_000, 'a stalled upload', stalled.response);
    expect(res.status).toBe(408);
    const problem = (await readProblem(res)) as { limit?: string; detail: string };
    expect(problem.limit).toBe('ingest-idle');
    expect(problem.detail).toMatch(/sent nothing for 0\.3 s/);
    expect(res.headers.get('connection')).toBe('close');
    expect(await snapshotTables(t.database)).toEqual(before);
    await settle();
    expect(spooledFiles()).toEqual([]);
  });

  it('uploads under way are capped: 20 slow clients against a cap of 4, the other 16 get 503 with Retry-After at once', async () => {
    limits({ uploads: 4 });
    const slow = Array.from({ length: 20 }, (_, i) => client('interactions', HEADER + rows(10, `s${i}-`)));
    const settled = await Promise.all(
      slow.map((s) => Promise.race([s.response, new Promise<null>((r) => setTimeout(() => r(null), 1000))])),
    );
    const refused = settled.filter((r): r is Response => r !== null);
    expect(refused).toHaveLength(16);
    for (const res of refused) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe(String(INGEST.retryAfterSeconds));
      expect(res.headers.get('connection')).toBe('close');
      expect(((await readProblem(res)) as { limit?: string }).limit).toBe('ingest-uploads');
    }
    expect(spooledFiles()).toHaveLength(4);
    // Their slots come back when they end.
    for (const s of slow) s.disconnect();
    await Promise.all(slow.map((s) => s.response));
    await settle();
    expect(spooledFiles()).toEqual([]);
    expect((await post('teams', 'external_id,name\nt8,Eight\n')).status).toBe(200);
  });

  it('a body past its size limit: 413 naming the limit, nothing written, its file removed', async () => {
    limits({ csvBytes: 4096, jsonBytes: 2048 });
    const before = await snapshotTables(t.database);
    const csv = await post('interactions', HEADER + rows(200));
    expect(csv.status).toBe(413);
    expect(((await readProblem(csv)) as { limit?: string }).limit).toBe('ingest-csv-bytes');
    const json = await post(
      'teams',
      JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ external_id: `j${i}`, name: `Team ${i}` }))),
      '',
      'application/json',
    );
    expect(json.status).toBe(413);
    expect(((await readProblem(json)) as { limit?: string; detail: string }).limit).toBe('ingest-json-bytes');
    expect(await snapshotTables(t.database)).toEqual(before);
    expect(spooledFiles()).toEqual([]);
  });

  it('the room for all uploads together is bounded: an upload that would pass it gets 503 with Retry-After', async () => {
    limits({ spoolBytes: 8192 });
    const first = client('interactions', HEADER + rows(100)); // ~3.6 KB, then it waits
    await settle();
    const res = await post('interactions', HEADER + rows(200, 'y')); // ~7 KB more
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(INGEST.retryAfterSeconds));
    expect(((await readProblem(res)) as { limit?: string }).limit).toBe('ingest-spool');
    first.disconnect();
    await first.response;
    await settle();
    expect(spooledFiles()).toEqual([]);
  });

  it('imports run one at a time with a bounded queue: past it, or after waiting too long, 503 with Retry-After', async () => {
    // Dry runs of 20,000 rows each take a while; received together, one runs and the other may not wait.
    const big = HEADER + rows(20_000, 'q');
    limits({ running: 1, queue: 0 });
    const [a, b] = await Promise.all([
      post('interactions', big, '?dry_run=true'),
      post('interactions', big, '?dry_run=true'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 503]);
    const busy = a.status === 503 ? a : b;
    expect(busy.headers.get('retry-after')).toBe(String(INGEST.retryAfterSeconds));
    expect(((await readProblem(busy)) as { limit?: string }).limit).toBe('ingest-queue');

    limits({ running: 1, queue: 1, queueSeconds: 0.05 });
    const [c, d] = await Promise.all([
      post('interactions', big, '?dry_run=true'),
      post('interactions', big, '?dry_run=true'),
    ]);
    expect([c.status, d.status].sort()).toEqual([200, 503]);
    const waited = (await readProblem(c.status === 503 ? c : d)) as { limit?: string; detail: string };
    expect(waited).toMatchObject({ limit: 'ingest-queue' });
    expect(waited.detail).toMatch(/waited 0\.05 s/);

    // With room in the queue both are imported, one after the other.
    limits({ running: 1, queue: 1 });
    const [e, f] = await Promise.all([
      post('interactions', big, '?dry_run=true'),
      post('interactions', big, '?dry_run=true'),
    ]);
    expect([e.status, f.status]).toEqual([200, 200]);
    expect(spooledFiles()).toEqual([]);
  });
});
