// Group commit: many concurrent requests of a kind commit in fewer transactions than requests,
// each answered its own counts; one bad request among good ones is refused alone; repeated
// external_ids across requests keep arrival order; a full queue answers 503; shutdown drains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptEvents, eventsStatus, setEventLimits } from '../../api/events';
import { groupCommit, groupLimits } from '../../api/events';
import { GroupCommitter } from '../../api/events/committer';
import { createToken } from '../../api/auth/tokens';
import { accepted, createEventsApp, postEvents, type EventsApp } from './events.helpers';

let t: EventsApp;
beforeAll(async () => {
  t = await createEventsApp();
  // The token guard takes a failure ahead for each check until a token has worked once from an
  // address (then it is known good): a first burst of 50 concurrent checks would meet its 429.
  await accepted(await postEvents(t, 'teams', { external_id: 'warm', name: 'Warm-up' }));
});
afterAll(() => t.close());

const call = (id: string, extra: Record<string, unknown> = {}) => ({
  external_id: id,
  occurred_at: '2026-12-01T09:00:00Z',
  team: 't1',
  wait_seconds: 30,
  ...extra,
});

async function rowsOf(sqlText: string) {
  const { sql } = await import('drizzle-orm');
  return t.database.rows<Record<string, unknown>>(sql.raw(sqlText));
}

describe('events: group commit', () => {
  it('commits 50 concurrent requests in fewer groups, each with its own counts', async () => {
    const before = eventsStatus(t.deps).interactions.groups;
    const sends = Array.from({ length: 50 }, (_, i) =>
      postEvents(t, 'interactions', i % 5 === 0 ? [call(`g${i}a`), call(`g${i}b`)] : call(`g${i}`)),
    );
    const answers = await Promise.all(sends.map(async (p) => accepted(await p)));
    answers.forEach((a, i) =>
      expect(a).toMatchObject({
        accepted: i % 5 === 0 ? 2 : 1,
        inserted: i % 5 === 0 ? 2 : 1,
        updated: 0,
        unchanged: 0,
      }),
    );
    const status = eventsStatus(t.deps).interactions;
    expect(status.requests).toBe(50);
    expect(status.events).toBe(60);
    expect(status.groups - before).toBeLessThan(50);
    const [count] = await rowsOf(`select count(*)::int as n from interactions where external_id like 'g%'`);
    expect(count!.n).toBe(60);

    // Again, some changed: each request learns its own outcome within a shared group.
    const single = Array.from({ length: 50 }, (_, i) => i)
      .filter((i) => i % 5 !== 0)
      .slice(0, 20);
    const again = await Promise.all(
      single.map((n, i) =>
        postEvents(t, 'interactions', call(`g${n}`, i % 2 ? { wait_seconds: 99 } : {})).then(accepted),
      ),
    );
    again.forEach((a, i) =>
      expect(a).toMatchObject(i % 2 ? { updated: 1, unchanged: 0 } : { updated: 0, unchanged: 1 }),
    );
  });

  it('a fresh token’s first burst of 30 concurrent requests is not taken for guessing (no 429)', async () => {
    const { token } = await createToken(t.database.db, { role: 'ingest', label: 'burst' });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => postEvents(t, 'customers', { external_id: `burst${i}` }, { token })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 30 }, () => 202));
  });

  it('refuses only the request with an unknown team among 20 good ones', async () => {
    const sends = Array.from({ length: 21 }, (_, i) =>
      postEvents(t, 'interactions', call(`iso${i}`, i === 7 ? { team: 'no-such-team' } : {})),
    );
    const answers = await Promise.all(sends);
    for (const [i, res] of answers.entries()) {
      if (i === 7) {
        expect(res.status).toBe(422);
        const p = (await res.json()) as { problems: Array<{ row: number; field: string; reason: string }> };
        expect(p.problems[0]).toMatchObject({ row: 1, field: 'team' });
      } else {
        expect(await accepted(res)).toMatchObject({ inserted: 1 });
      }
    }
    const [count] = await rowsOf(`select count(*)::int as n from interactions where external_id like 'iso%'`);
    expect(count!.n).toBe(20);
  });

  it('keeps arrival order when requests repeat an external_id: the later one wins as an update', async () => {
    // Over HTTP the order in which requests arrive is the server's (token checks finish in any
    // order): one inserts, the others update, none is refused.
    const http = await Promise.all(
      [10, 20, 30].map((w) => postEvents(t, 'interactions', call('same-http', { wait_seconds: w })).then(accepted)),
    );
    expect(http.map((a) => a.inserted).reduce((x, y) => x + y)).toBe(1);
    expect(http.map((a) => a.updated).reduce((x, y) => x + y)).toBe(2);
    // Queued in a known order (as the route does once a request is checked): the last one wins.
    const values = [10, 20, 30, 40, 50];
    const answers = await Promise.all(
      values.map((w) =>
        acceptEvents(t.deps, 'interactions', { records: [call('same', { wait_seconds: w })], ids: ['same'] }),
      ),
    );
    expect(answers[0]).toMatchObject({ inserted: 1 });
    for (const a of answers.slice(1)) expect(a).toMatchObject({ updated: 1 });
    const [row] = await rowsOf(`select wait_seconds from interactions where external_id = 'same'`);
    expect(row!.wait_seconds).toBe(50);
    // A late duplicate: same id, same values.
    expect(await accepted(await postEvents(t, 'interactions', call('same', { wait_seconds: 50 })))).toMatchObject({
      unchanged: 1,
    });
  });

  it('answers 503 with Retry-After naming the limit when a kind’s queue is full', async () => {
    setEventLimits(t.deps, { queueRows: 3, windowMs: 20 });
    try {
      const sends = await Promise.all(
        Array.from({ length: 12 }, (_, i) => postEvents(t, 'customers', { external_id: `q${i}` })),
      );
      const statuses = sends.map((r) => r.status);
      expect(statuses).toContain(202);
      expect(statuses).toContain(503);
      const refused = sends.find((r) => r.status === 503)!;
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { limit: string }).limit).toBe('events-queue');
    } finally {
      setEventLimits(t.deps, groupLimits(t.deps));
    }
  });
});

describe('group committer (no database)', () => {
  it('on close, commits what is queued and refuses new requests with 503', async () => {
    const groups: number[][] = [];
    const c = new GroupCommitter<number, number>(
      async (items) => {
        groups.push(items);
        await new Promise((r) => setTimeout(r, 5));
        return items.map((value) => ({ ok: true as const, value }));
      },
      { groupRows: 100, windowMs: 0, queueRows: 1000, retryAfterSeconds: 1 },
      'test events',
    );
    const pending = [1, 2, 3, 4].map((n) => c.submit(n, 1, [`k${n}`]));
    const closed = c.close();
    await expect(c.submit(5, 1, ['k5'])).rejects.toMatchObject({ status: 503, code: 'limit-events-closing' });
    await closed;
    expect(await Promise.all(pending)).toEqual([1, 2, 3, 4]);
    expect(groups.flat()).toEqual([1, 2, 3, 4]);
  });

  it('a failing group fails each of its requests, not the committer', async () => {
    let fail = true;
    const c = new GroupCommitter<number, number>(
      async (items) => {
        if (fail) throw new Error('database gone');
        return items.map((value) => ({ ok: true as const, value }));
      },
      { groupRows: 100, windowMs: 0, queueRows: 1000, retryAfterSeconds: 1 },
      'test events',
    );
    await expect(c.submit(1, 1, ['a'])).rejects.toThrow('database gone');
    fail = false;
    expect(await c.submit(2, 1, ['a'])).toBe(2);
    expect(c.stats()).toMatchObject({ requests: 1, rejected: 1 });
  });

  it('puts a request repeating a key (or following one that waits) into a later group', async () => {
    const groups: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = new GroupCommitter<string, string>(
      async (items) => {
        groups.push(items);
        await gate;
        return items.map((value) => ({ ok: true as const, value }));
      },
      { groupRows: 100, windowMs: 0, queueRows: 1000, retryAfterSeconds: 1 },
      'test events',
    );
    const first = c.submit('first', 1, ['z']);
    // While the first group is in flight these queue: B repeats x of A; C touches y, which B (waiting) holds; D is free.
    const rest = [
      c.submit('A', 1, ['x']),
      c.submit('B', 2, ['x', 'y']),
      c.submit('C', 1, ['y']),
      c.submit('D', 1, ['w']),
    ];
    release();
    await Promise.all([first, ...rest]);
    expect(groups).toEqual([['first'], ['A', 'D'], ['B'], ['C']]);
  });
});

describe('group committer: overlapping groups (no database)', () => {
  it('starts the next group once one has committed, before its answers; at most 4 wait for the disk', async () => {
    const started: number[][] = [];
    const gates: Array<() => void> = [];
    const c = new GroupCommitter<number, number>(
      async (items, committed) => {
        started.push(items);
        committed();
        // The disk: each group's answers wait until the test lets them go.
        await new Promise<void>((r) => gates.push(r));
        return items.map((value) => ({ ok: true as const, value }));
      },
      { groupRows: 1, windowMs: 0, queueRows: 1000, retryAfterSeconds: 1 },
      'test events',
    );
    const answers = [1, 2, 3, 4, 5, 6].map((n) => c.submit(n, 1, [`k${n}`]));
    await new Promise((r) => setTimeout(r, 20));
    // Four groups committed and waiting for the disk; the fifth waits for one of them.
    expect(started).toEqual([[1], [2], [3], [4]]);
    gates.shift()!();
    expect(await answers[0]).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual([[1], [2], [3], [4], [5]]);
    while (gates.length > 0 || started.length < 6) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('answers nothing as committed when waiting for the disk fails', async () => {
    const database = { durable: async () => Promise.reject(new Error('disk gone')) } as unknown as Parameters<
      typeof groupCommit
    >[0];
    const commit = groupCommit<number, number>(
      database,
      async (items) => items,
      () => null,
    );
    const c = new GroupCommitter<number, number>(
      commit,
      { groupRows: 10, windowMs: 0, queueRows: 1000, retryAfterSeconds: 1 },
      'test events',
    );
    await expect(c.submit(1, 1, ['a'])).rejects.toThrow('disk gone');
    expect(c.stats()).toMatchObject({ requests: 0, rejected: 1 });
  });
});
