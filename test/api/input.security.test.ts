// Hostile input every route shares: control characters in paths and queries, NUL and deep nesting
// in JSON bodies, bodies far beyond any route's need, forged log lines, SQL parameters in logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { errorForLog } from '../../api/log';
import { BODY, JSON_DEPTH } from '../../api/limits';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { captureLog } from '../helpers/log';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NUL = '%00';

describe('control characters in paths and queries', () => {
  // Each of these answered 500 (and logged the SQL with its parameters) before.
  const reads: Array<[string, keyof TestApp['tokens']]> = [
    [`/api/v1/quotes?q=a${NUL}b`, 'admin'],
    [`/api/v1/quotes/x${NUL}y`, 'leader'],
    [`/api/v1/views/coach/team/t${NUL}1`, 'admin'],
    [`/api/v1/views/coach/agent/a${NUL}`, 'admin'],
    [`/api/v1/coach/agents/a${NUL}/notes`, 'admin'],
    [`/api/v1/views/tv?team=t${NUL}`, 'display'],
    [`/api/v1/live?team=t${NUL}`, 'display'],
    [`/api/v1/annotations?team=t${NUL}`, 'leader'],
    [`/api/v1/goals?team=t${NUL}`, 'leader'],
    [`/api/v1/quotes/praise?team=t${NUL}&from=2024-01-01&to=2024-01-07`, 'leader'],
    [`/api/v1/metrics?metrics=csat&from=2024-01-01&to=2024-01-31&team=t${NUL}`, 'leader'],
    [`/api/v1/quotes?q=line%0Abreak`, 'admin'],
  ];
  it.each(reads)('GET %s answers 400 naming where', async (path, role) => {
    const res = await t.request(path, { token: t.tokens[role] });
    expect(res.status).toBe(400);
    const body = await readProblem(res);
    expect(body.detail).toMatch(/control characters/);
    expect(body.errors?.[0]?.in).toMatch(/query|param/);
  });

  it('a parameter name with a control character is refused too', async () => {
    const res = await t.request(`/api/v1/metrics?me${NUL}trics=csat&from=2024-01-01&to=2024-01-31`, {
      token: t.tokens.admin,
    });
    expect(res.status).toBe(400);
  });
});

describe('JSON bodies', () => {
  const writes: Array<[string, string, unknown]> = [
    ['POST', '/api/v1/annotations', { on: '2024-01-01', title: 'a\u0000b' }],
    ['POST', '/api/v1/tokens', { role: 'leader', label: 'x\u0000' }],
    ['PATCH', '/api/v1/settings', { statement: 'we\u0000care' }],
    ['POST', '/api/v1/coach/agents/a1/notes', { held_on: '2024-01-01', pair: 'waiting', note: 'n\u0000' }],
    [
      'POST',
      '/api/v1/goals',
      { metric: 'csat', target: 0.8, valid_from: '2001-01-01', valid_to: '2001-01-31', team: 't\u0000' },
    ],
  ];
  it.each(writes)(
    '%s %s with NUL in a field answers 400 naming the field and changes nothing',
    async (method, path, json) => {
      const before = await t.request('/api/v1/audit', { token: t.tokens.admin }).then((r) => r.text());
      const res = await t.request(path, { method, token: t.tokens.admin, json });
      expect(res.status).toBe(400);
      const body = await readProblem(res);
      expect(body.errors?.[0]).toMatchObject({ in: 'json' });
      expect(body.detail).toMatch(/NUL/);
      const after = await t.request('/api/v1/audit', { token: t.tokens.admin }).then((r) => r.text());
      expect(after).toBe(before);
    },
  );

  it('line breaks and tabs in text stay ordinary', async () => {
    const res = await t.request('/api/v1/annotations', {
      method: 'POST',
      token: t.tokens.admin,
      json: { on: '2024-01-01', title: 'two\tparts', note: 'line one\nline two' },
    });
    expect(res.status).toBe(201);
  });

  it('a lone surrogate is refused, not stored as mojibake', async () => {
    const res = await t.request('/api/v1/annotations', {
      method: 'POST',
      token: t.tokens.admin,
      headers: { 'content-type': 'application/json' },
      body: '{"on":"2024-01-01","title":"\\ud800x"}',
    });
    expect(res.status).toBe(400);
    expect((await readProblem(res)).detail).toMatch(/surrogate/);
  });

  it('a value nested 100,000 deep answers 400 naming the depth limit, and the process stays up', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await t.request('/api/v1/annotations', {
      method: 'POST',
      token: t.tokens.admin,
      headers: { 'content-type': 'application/json' },
      body: `{"on":"2024-01-01","title":"x","note":${deep}}`,
    });
    expect(res.status).toBe(400);
    const body = (await readProblem(res)) as { limit?: string; detail: string };
    expect(body.limit).toBe('json-depth');
    expect(body.detail).toContain(`more than ${JSON_DEPTH} levels`);
    expect((await t.request('/api/v1/health')).status).toBe(200);
  });
});

describe('body size', () => {
  it('a 200 MB sign-in body is refused from its Content-Length, before it is read or the token judged', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 65_536;
        if (pulled > 200 * 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(65_536));
      },
    });
    const res = await t.app.request('/api/v1/auth/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    const problem = (await readProblem(res)) as { limit?: string; detail: string };
    expect(problem.limit).toBe('body-size');
    expect(problem.detail).toContain(`${BODY.signInBytes / 1024} KB`);
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it('a chunked body is cut off as soon as it passes the limit', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 65_536;
        if (pulled > 50 * 1024 * 1024) controller.close();
        else controller.enqueue(new TextEncoder().encode('x'.repeat(65_536)));
      },
    });
    const res = await t.app.request('/api/v1/annotations', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${t.tokens.admin}`,
        'transfer-encoding': 'chunked',
      },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(BODY.jsonBytes + 4 * 65_536); // the stream reads a chunk or two ahead
  });

  it('an ordinary body passes', async () => {
    const res = await t.request('/api/v1/auth/session', { method: 'POST', json: { token: t.tokens.leader } });
    expect(res.status).toBe(200);
  });
});

describe('logs', () => {
  it('CR/LF in the path cannot forge an access-log line', async () => {
    const log = captureLog();
    const app = createApp({ ...t.deps, logger: log.logger });
    const forged = '/x%0D%0A2026-01-01T00:00:00Z%20abc%20GET%20/api/v1/tokens%20200%201ms%20admin:1';
    await app.request(forged);
    const lines = log.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { path: string; msg: string; req: string };
    expect(line.path).toContain('\\x0d\\x0a2026');
    expect(line.msg).not.toMatch(/[\r\n]/);
    expect(line.req).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('every line of a request carries its request id', async () => {
    const log = captureLog();
    const app = createApp({ ...t.deps, logger: log.logger });
    const res = await app.request('/api/v1/health', { headers: { 'x-request-id': 'probe-123' } });
    expect(res.headers.get('x-request-id')).toBe('probe-123');
    expect(log.json().every((l) => l.req === 'probe-123')).toBe(true);
  });

  it('a failed query is logged without its SQL parameters above debug level', () => {
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const err = Object.assign(
      new Error('Failed query: select * from quotes where comment ilike $1\nparams: %jane.doe@example.com%'),
      { query: 'select …', params: ['%jane.doe@example.com%'], cause },
    );
    const info = JSON.stringify(errorForLog('info')(err));
    expect(info).not.toContain('jane.doe');
    expect(info).toContain('22021');
    const debug = JSON.stringify(errorForLog('debug')(err));
    expect(debug).toContain('jane.doe');
  });
});
