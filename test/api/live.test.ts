// The wallboard feed: GET /views/tv numbers from the metrics engine, nothing personal in it, and
// GET /live pushing a fresh snapshot after an ingest and after a curator approves a quote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveHub } from '../../api/live';
import { HEARTBEAT_MS, liveTiming } from '../../api/routes/live';
import { addDays, todayIn } from '../../api/metrics/periods';
import type { TvSnapshot } from '../../api/views/tv';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;
const today = todayIn('UTC');
const yesterday = addDays(today, -1);
const at = (day: string, hh: string) => `${day}T${hh}:00:00Z`;

beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(t.database, 'agents', csv('external_id,name,team', 'a1,Ana Silva,t1', 'a2,Ben Okafor,t2'));
  await ingestCsv(t.database, 'customers', csv('external_id,segment', 'cust-secret-1,SMB'));
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,agent,customer,answered,wait_seconds,handle_seconds,resolved',
      `i1,${at(today, '00')},t1,phone,a1,cust-secret-1,true,30,300,true`,
      `i2,${at(today, '00')},t1,phone,a1,,true,90,200,false`,
      `i3,${at(today, '00')},t2,phone,a2,,false,,,`,
      `i4,${at(yesterday, '10')},t1,phone,a1,,true,10,100,true`,
    ),
  );
  await ingestCsv(
    t.database,
    'surveys',
    csv(
      'external_id,responded_at,interaction,csat,comment,may_quote,customer_name',
      `s1,${at(today, '00')},i1,5,"Ana was brilliant, mail me at jo.bloggs@example.com - Jo Bloggs",yes,Jo Bloggs`,
      `s2,${at(today, '00')},i2,2,"Secret unconsented complaint",no,`,
      `s4,${at(yesterday, '11')},i4,4,,,`,
    ),
  );
});
afterAll(() => t.close());

const snapshot = async (query = '', token = t.tokens.display) => {
  const res = await t.request(`/api/v1/views/tv${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as TvSnapshot;
};

/** Reads Server-Sent Events from a streaming response. */
function events(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(name: string, timeoutMs = 5000): Promise<{ id?: string; data: string }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
          );
          if (fields.event === name) return { id: fields.id, data: fields.data ?? '' };
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no '${name}' event within ${timeoutMs} ms`);
        const chunk = await Promise.race([
          reader.read(),
          new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), left)),
        ]);
        if (chunk === 'timeout') continue;
        if (chunk.done) throw new Error('the stream ended');
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    close: () => reader.cancel(),
  };
}

describe('GET /views/tv', () => {
  it("answers today's pairs against yesterday, worked out by hand", async () => {
    const s = await snapshot();
    expect(s.today).toBe(today);
    const v = s.today_pairs.values;
    // Today: waits 30 and 90 → 60 s; one of two answered resolved; one of three abandoned; CSAT 5 and 2 → 1 of 2.
    expect(v.wait_avg).toMatchObject({ value: 60, n: 2, yesterday: { value: 10, n: 1 } });
    expect(v.resolution_rate).toMatchObject({ value: 0.5, n: 2 });
    expect(v.abandon_rate.value).toBeCloseTo(1 / 3, 12);
    expect(v.csat).toMatchObject({ value: 0.5, n: 2, yesterday: { value: 1, n: 1 } });
    expect(v.contacts).toMatchObject({ value: 3, yesterday: { value: 1, n: 1 } });
    expect(s.week.pairs.map((p) => p.key)).toEqual(['waiting', 'time_on_call', 'resolution', 'loyalty', 'people']);
    expect(s.week.pairs[0]!.experiential[0]!.spark).toHaveLength(13);
  });

  it('carries no customer ids, names, e-mails or unconsented comments', async () => {
    const s = await snapshot();
    const text = JSON.stringify(s);
    for (const secret of ['cust-secret-1', 'Jo Bloggs', 'jo.bloggs', 'Secret unconsented', 's1', 'Okafor', 'Silva'])
      expect(text).not.toContain(secret);
    expect(s.quotes.featured.quote).toMatchObject({ text: 'Ana was brilliant, mail me at [email] - [name]', csat: 5 });
    expect(s.quotes.featured.quote).not.toHaveProperty('id');
  });

  it('keeps a team wallboard to its team, and a manager to its teams', async () => {
    const s = await snapshot('?team=t2');
    expect(s.team).toEqual({ id: 't2', name: 'Frontline Two' });
    expect(s.today_pairs.values.contacts.value).toBe(1);
    expect(s.quotes.featured.quote).toBeNull();
    const denied = await t.request('/api/v1/views/tv?team=t2', { token: t.tokens.manager });
    expect(denied.status).toBe(403);
    const unknown = await t.request('/api/v1/views/tv?team=nope', { token: t.tokens.display });
    expect(unknown.status).toBe(400);
    expect((await readProblem(unknown)).errors?.[0]).toMatchObject({ field: 'team' });
  });
});

describe('GET /views/tv?channel=', () => {
  it("shows one channel's numbers (a phone floor), and refuses an unknown channel", async () => {
    const phone = await snapshot('?channel=phone');
    expect(phone.channel).toBe('phone');
    expect(phone.today_pairs.values.wait_avg).toMatchObject({ value: 60, n: 2 });
    const chat = await snapshot('?channel=chat');
    expect(chat.today_pairs.values.contacts.value).toBeNull();
    expect(chat.today_pairs.values.csat.n).toBe(0);
    // Churn and referrals have no channel: organisation-wide, and said so.
    const loyalty = chat.week.pairs.find((p) => p.key === 'loyalty')!;
    expect(loyalty.operational[0]!.scope).toBe('organisation');
    const bad = await t.request('/api/v1/views/tv?channel=fax', { token: t.tokens.display });
    expect(bad.status).toBe(400);
  });
});

describe('GET /live', () => {
  it('sends a snapshot on connect, then a fresh one after an ingest and after a curated quote', async () => {
    const res = await t.request('/api/v1/live', { token: t.tokens.display });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = events(res);
    try {
      const hello = await stream.next('hello');
      expect(JSON.parse(hello.data)).toEqual({ heartbeat_ms: 15000 });
      const first = JSON.parse((await stream.next('snapshot')).data) as TvSnapshot;
      expect(first.today_pairs.values.contacts.value).toBe(3);

      // An interaction posted through the ingest API reaches the open stream (how fast is
      // measured by npm run bench:live and bench:events, not asserted on a shared machine).
      const post = await t.request('/api/v1/ingest/interactions', {
        method: 'POST',
        token: t.tokens.admin,
        json: [{ external_id: 'i9', occurred_at: at(today, '00'), team: 't1', wait_seconds: 0 }],
      });
      expect(post.status).toBe(200);
      const second = JSON.parse((await stream.next('snapshot')).data) as TvSnapshot;
      expect(second.today_pairs.values.contacts.value).toBe(4);
      expect(second.today_pairs.values.wait_avg).toMatchObject({ value: 40, n: 3 });

      // A curator approving a quote is a change too (the audit entry notifies).
      const approve = await t.request('/api/v1/quotes/s1', {
        method: 'PATCH',
        token: t.tokens.leader,
        json: { status: 'approved' },
      });
      expect(approve.status).toBe(200);
      const third = JSON.parse((await stream.next('snapshot')).data) as TvSnapshot;
      expect(third.quotes.featured.source).toBe('approved');
      expect(third.quotes.recent).toHaveLength(1);
    } finally {
      await stream.close();
    }
  });

  it('lets a client go: the hub forgets it when the stream is cancelled', async () => {
    const res = await t.request('/api/v1/live?team=t1', { token: t.tokens.manager });
    expect(res.status).toBe(200);
    const stream = events(res);
    const hub = liveHub(t.deps);
    await stream.next('snapshot');
    const before = hub.clients;
    expect(before).toBeGreaterThan(0);
    await stream.close();
    // The stream's abort unsubscribes it (or, at the latest, its next delivery fails).
    for (let i = 0; i < 50 && hub.clients >= before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hub.clients).toBe(before - 1);
  });

  it('sends a ping at each heartbeat, and ends the stream of a token revoked meanwhile', async () => {
    liveTiming.heartbeatMs = 100;
    try {
      const created = await t.request('/api/v1/tokens', {
        method: 'POST',
        token: t.tokens.admin,
        json: { role: 'display', label: 'TV to revoke' },
      });
      const { token, record } = (await created.json()) as { token: string; record: { id: number } };
      const res = await t.request('/api/v1/live', { token });
      const stream = events(res);
      expect(JSON.parse((await stream.next('hello')).data)).toEqual({ heartbeat_ms: 100 });
      await stream.next('snapshot');
      await stream.next('ping');
      expect((await t.request(`/api/v1/tokens/${record.id}`, { method: 'DELETE', token: t.tokens.admin })).status).toBe(
        200,
      );
      await expect(stream.next('ping', 3000)).rejects.toThrow(/the stream ended/);
    } finally {
      liveTiming.heartbeatMs = HEARTBEAT_MS;
    }
  });

  it('refuses another team to a manager, before any stream opens', async () => {
    const res = await t.request('/api/v1/live?team=t2', { token: t.tokens.manager });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('Frontline Two');
  });
});
