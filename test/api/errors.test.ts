// The error contract: problem+json for every failure, no stack traces, the process stays up.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { createTestApp, readProblem, testEnv, type TestApp } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { captureLog } from '../helpers/log';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('errors', () => {
  it('an unknown API route is a 404 problem naming the route', async () => {
    const res = await t.request('/api/v1/nothing-here', { token: t.tokens.admin });
    expect(res.status).toBe(404);
    const body = await readProblem(res);
    expect(body).toMatchObject({ status: 404, title: 'Not found', type: 'urn:pairwise:problem:not-found' });
    expect(body.detail).toContain('GET /api/v1/nothing-here');
  });

  it('every answer carries a request id, echoed in problems', async () => {
    const res = await t.request('/api/v1/auth/me');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { request_id: string }).request_id).toBe(id);
  });

  it('a server fault is a 500 problem with a generic message and no stack trace, logged with its request id', async () => {
    const lines = captureLog();
    const broken = {
      ...t.database,
      db: new Proxy(t.database.db, {
        get: () => {
          throw new TypeError('boom in the data layer');
        },
      }),
    };
    const app = createApp({ database: broken, env: testEnv(), logger: lines.logger });
    const res = await app.request('/api/v1/tokens', { headers: { authorization: 'Bearer pw_anything' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(text).detail).toMatch(/Something went wrong on the server\. Quote request id/);
    expect(text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
    const logged = lines.json().find((l) => l.level === 50);
    expect(logged?.req).toBe(res.headers.get('x-request-id')); // logged for the operator, with the request id
    expect(JSON.stringify(logged)).toContain('boom in the data layer');
  });

  it('a database that went away is a 503 with Retry-After, and health says so', async () => {
    const database = await createTestDatabase();
    const app = createApp({ database, env: testEnv(), logger: silentLogger() });
    await database.destroy(); // the database goes away under the app
    const res = await app.request('/api/v1/tokens', { headers: { authorization: 'Bearer pw_anything' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await readProblem(res)).type).toBe('urn:pairwise:problem:database-unavailable');

    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const health = await app.request('/api/v1/health');
    expect(health.status).toBe(503);
    expect((await readProblem(health)).detail).toBe('The database does not answer.');
    spy.mockRestore();
  });

  it('serves the web app: files, immutable assets, and the SPA fallback for every other path', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pairwise-web-'));
    mkdirSync(join(root, '_app', 'immutable'), { recursive: true });
    writeFileSync(join(root, '200.html'), '<!doctype html><html><body>app shell</body></html>');
    writeFileSync(join(root, '_app', 'immutable', 'entry.js'), 'console.log(1)');
    writeFileSync(join(root, '_app', 'immutable', 'entry.js.gz'), gzipSync('console.log(1)'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><html><body>weekly review</body></html>');
    const app = createApp({ database: t.database, env: testEnv(), logger: silentLogger(), webRoot: root });

    // `/` has a page of its own (it names the weekly review's code), revalidated like the shell.
    const home = await app.request('/?week=2026-W46');
    expect(await home.text()).toContain('weekly review');
    expect(home.headers.get('cache-control')).toBe('no-cache');

    const page = await app.request('/coach/team/t1');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('app shell');

    const asset = await app.request('/_app/immutable/entry.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(asset.headers.get('content-encoding')).toBeNull();
    // Compressed at build time: served as such to a browser that accepts it.
    const zipped = await app.request('/_app/immutable/entry.js', { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe('console.log(1)');
    expect(zipped.headers.get('cache-control')).toMatch(/immutable/);

    // API paths never fall through to the web app.
    expect((await app.request('/api/v1/unknown')).status).toBe(404);
    rmSync(root, { recursive: true, force: true });
  });

  it('says how to build the web app when it is missing', async () => {
    const app = createApp({
      database: t.database,
      env: testEnv(),
      logger: silentLogger(),
      webRoot: join(tmpdir(), 'pairwise-no-such-build'),
    });
    const res = await app.request('/');
    expect(res.status).toBe(503);
    expect((await readProblem(res)).detail).toMatch(/npm run build/);
  });
});
