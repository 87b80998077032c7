// Live streams end with the access they were opened with: signing out ends the streams of that
// session, revoking a token ends its bearer streams and the streams of its sessions, within a
// few seconds and before anything more is sent (the heartbeat stays at its 15 s, so it is not
// what ends them). On PostgreSQL the same holds across server processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';
import { closeLiveHub } from '../../api/live';
import { HEARTBEAT_MS, liveTiming } from '../../api/routes/live';
import { openDatabase } from '../../db/client';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  expect(liveTiming.heartbeatMs).toBe(HEARTBEAT_MS);
});
afterAll(() => t.close());

/** Every event of a Server-Sent Events response, as it arrives. */
function events(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: Array<{ event: string; at: number }> = [];
  let buffer = '';
  let ended: number | null = null;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) {
        ended = Date.now();
        return;
      }
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: ?(.*)$/m.exec(block)?.[1];
        if (name) seen.push({ event: name, at: Date.now() });
      }
    }
  })();
  return {
    seen,
    /** Waits for an event of that name (arrived at or after `since`). */
    async until(name: string, since = 0, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!seen.some((e) => e.event === name && e.at >= since)) {
        if (Date.now() > deadline) throw new Error(`no '${name}' event within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    /** Waits for the stream to end; answers when (ms since epoch), or null if it did not within the bound. */
    async ended(timeoutMs: number): Promise<number | null> {
      await Promise.race([pump, new Promise((r) => setTimeout(r, timeoutMs))]);
      return ended;
    },
    close: () => reader.cancel().catch(() => {}),
  };
}

const signIn = async (app: TestApp['app'], token: string) => {
  const res = await app.request('/api/v1/auth/session', {
    method: 'POST',
    body: JSON.stringify({ token }),
    headers: { 'content-type': 'application/json' },
  });
  expect(res.status).toBe(200);
  return /pairwise_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
};

const newToken = async (label: string) => {
  const res = await t.request('/api/v1/tokens', {
    method: 'POST',
    token: t.tokens.admin,
    json: { role: 'display', label },
  });
  return (await res.json()) as { token: string; record: { id: number } };
};

const openStream = async (app: TestApp['app'], auth: { token: string } | { session: string }) => {
  const headers: Record<string, string> =
    'token' in auth ? { authorization: `Bearer ${auth.token}` } : { cookie: `pairwise_session=${auth.session}` };
  const res = await app.request('/api/v1/live', { headers });
  expect(res.status).toBe(200);
  const stream = events(res);
  await stream.until('snapshot');
  return stream;
};

/** A change every wallboard sees (an import), as an admin right after the access ended. */
const change = async () => {
  const res = await t.request('/api/v1/ingest/teams', {
    method: 'POST',
    token: t.tokens.admin,
    json: [{ external_id: `t-${Date.now()}`, name: 'Changed' }],
  });
  expect(res.status).toBe(200);
};

/** Asserts the stream ended within 3 s of `from` with no event after it. */
async function endsAtOnce(stream: ReturnType<typeof events>, from: number) {
  const end = await stream.ended(3000);
  expect(end, 'the stream should have ended within 3 s').not.toBeNull();
  expect(end! - from).toBeLessThan(3000);
  expect(stream.seen.filter((e) => e.at >= from).map((e) => e.event)).toEqual([]);
}

describe('GET /live ends with its access', () => {
  it('signing out ends the streams opened with that session, and only those', async () => {
    const { token } = await newToken('TV signing out');
    const session = await signIn(t.app, token);
    const other = await signIn(t.app, token);
    const signedOut = await openStream(t.app, { session });
    const sameTokenOtherSession = await openStream(t.app, { session: other });
    const bearer = await openStream(t.app, { token });
    try {
      const at = Date.now();
      const out = await t.request('/api/v1/auth/session', {
        method: 'DELETE',
        headers: { cookie: `pairwise_session=${session}`, origin: 'http://localhost' },
      });
      expect(out.status).toBe(204);
      await change();
      await endsAtOnce(signedOut, at);
      // The others still get the change.
      await sameTokenOtherSession.until('snapshot', at);
      await bearer.until('snapshot', at);
    } finally {
      await Promise.all([signedOut.close(), sameTokenOtherSession.close(), bearer.close()]);
    }
  });

  it("revoking a token ends its bearer streams and its sessions' streams, before the next snapshot", async () => {
    const { token, record } = await newToken('TV to revoke');
    const session = await signIn(t.app, token);
    const byToken = await openStream(t.app, { token });
    const bySession = await openStream(t.app, { session });
    const bystander = await openStream(t.app, { token: t.tokens.display });
    try {
      const at = Date.now();
      expect((await t.request(`/api/v1/tokens/${record.id}`, { method: 'DELETE', token: t.tokens.admin })).status).toBe(
        200,
      );
      await change();
      await endsAtOnce(byToken, at);
      await endsAtOnce(bySession, at);
      await bystander.until('snapshot', at);
      expect(await bystander.ended(200)).toBeNull();
    } finally {
      await Promise.all([byToken.close(), bySession.close(), bystander.close()]);
    }
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'ends a stream served by another server process on the same database (LISTEN/NOTIFY)',
    async () => {
      // A second app on its own connection pool stands for a second process.
      const second = openDatabase({ url: t.database.url!, max: 2 });
      const deps: AppDeps = { ...t.deps, database: second };
      const other = createApp(deps);
      try {
        const { token, record } = await newToken('TV on the other process');
        const session = await signIn(t.app, token);
        const bySession = await openStream(other, { session });
        const { token: token2 } = await newToken('Another TV on the other process');
        const session2 = await signIn(t.app, token2);
        const signingOut = await openStream(other, { session: session2 });
        const byToken = await openStream(other, { token });
        try {
          const at = Date.now();
          expect(
            (await t.request(`/api/v1/tokens/${record.id}`, { method: 'DELETE', token: t.tokens.admin })).status,
          ).toBe(200);
          expect(
            (
              await t.request('/api/v1/auth/session', {
                method: 'DELETE',
                headers: { cookie: `pairwise_session=${session2}`, origin: 'http://localhost' },
              })
            ).status,
          ).toBe(204);
          await change();
          await endsAtOnce(bySession, at);
          await endsAtOnce(byToken, at);
          await endsAtOnce(signingOut, at);
        } finally {
          await Promise.all([bySession.close(), byToken.close(), signingOut.close()]);
        }
      } finally {
        await closeLiveHub(deps);
        await second.close();
      }
    },
  );
});
