// The live hub: one computation per scope per change however many clients listen, every client
// gets each new snapshot once, a gone client is dropped, and a change notice from an ingest (or,
// on PostgreSQL, from another connection) reaches it.
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_CHANNEL } from '../../api/ingest/notices';
import { LiveHub, type LiveClient } from '../../api/live/hub';
import { teams } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  await d.db.insert(teams).values([{ externalId: 't1', name: 'One' }]);
});
afterAll(() => d.destroy());

/** A client that records what it was sent; `alive` false makes it report itself gone. */
function recorder() {
  const got: Array<{ snapshot: unknown; version: number }> = [];
  const waiters: Array<() => void> = [];
  const client: LiveClient & { got: typeof got; alive: boolean; next(count: number): Promise<void> } = {
    got,
    alive: true,
    send(snapshot, version) {
      if (!client.alive) return false;
      got.push({ snapshot, version });
      waiters.splice(0).forEach((w) => w());
      return true;
    },
    async next(count) {
      const deadline = Date.now() + 10_000;
      while (got.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} snapshots, got ${got.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
  };
  return client;
}

const countInteractions = async () =>
  (await d.rows<{ n: number }>(sql`select count(*)::int as n from interactions`))[0]!.n;

describe('LiveHub', () => {
  it('computes once per scope and change, and fans the snapshot out to every client', async () => {
    let computations = 0;
    const hub = new LiveHub<string>(
      d,
      async (scope) => {
        computations++;
        return { scope, interactions: await countInteractions() };
      },
      { debounceMs: 20 },
    );
    try {
      const a = recorder();
      const b = recorder();
      const other = recorder();
      await hub.subscribe('all', a);
      await hub.subscribe('all', b);
      await hub.subscribe('t1', other);
      expect(computations).toBe(2);
      expect(a.got).toEqual([{ snapshot: { scope: 'all', interactions: 0 }, version: 1 }]);
      expect(b.got).toEqual(a.got);
      expect(hub.clients).toBe(3);

      // An ingest commits and notifies: both scopes recompute once, every client gets it once.
      await ingestCsv(
        d,
        'interactions',
        csv('external_id,occurred_at,team', 'i1,2024-02-12T09:00:00Z,t1', 'i2,2024-02-12T10:00:00Z,t1'),
      );
      await Promise.all([a.next(2), b.next(2), other.next(2)]);
      expect(computations).toBe(4);
      expect(a.got[1]!.snapshot).toEqual({ scope: 'all', interactions: 2 });
      expect(b.got[1]).toEqual(a.got[1]);
      expect(other.got[1]!.snapshot).toEqual({ scope: 't1', interactions: 2 });
      expect(hub.notices).toBe(1);

      // A client that is gone is dropped at the next delivery.
      b.alive = false;
      hub.changed();
      await a.next(3);
      expect(hub.clients).toBe(2);
      expect(b.got).toHaveLength(2);
    } finally {
      await hub.close();
    }
  });

  it('coalesces a burst of changes into one recomputation', async () => {
    let computations = 0;
    const hub = new LiveHub<string>(d, async () => ++computations, { debounceMs: 50 });
    try {
      const a = recorder();
      await hub.subscribe('all', a);
      for (let i = 0; i < 10; i++) hub.changed();
      await a.next(2);
      await new Promise((r) => setTimeout(r, 150));
      expect(computations).toBe(2);
      expect(a.got.map((g) => g.snapshot)).toEqual([1, 2]);
    } finally {
      await hub.close();
    }
  });

  it('under a steady stream of changes, recomputes a scope at most once per window, and the last change is shown', async () => {
    const starts: number[] = [];
    // A computation longer than the window: without the gap it would run back to back.
    const hub = new LiveHub<string>(
      d,
      async () => {
        starts.push(performance.now());
        await new Promise((r) => setTimeout(r, 60));
        return starts.length;
      },
      { debounceMs: 100 },
    );
    try {
      const a = recorder();
      await hub.subscribe('all', a);
      const until = performance.now() + 700;
      while (performance.now() < until) {
        hub.changed();
        await new Promise((r) => setTimeout(r, 5));
      }
      const last = starts.length;
      // The change sent last is in a computation that starts after it (however loaded the machine:
      // waited for, up to 5 s, rather than for a fixed time).
      for (const deadline = performance.now() + 5000; starts.length <= last && performance.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(starts.length).toBeGreaterThan(last);
      await a.next(last + 1);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      // Timers may fire a little early or late; back to back would be ~60 ms apart.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
      // 700 ms of changes in 100 ms windows: about 7, not 12 back-to-back ones.
      expect(starts.length).toBeLessThanOrEqual(10);
    } finally {
      await hub.close();
    }
  });

  it('keeps the last snapshot when a recomputation fails', async () => {
    let fail = false;
    const errors: unknown[] = [];
    const hub = new LiveHub<string>(
      d,
      async () => {
        if (fail) throw new Error('database down');
        return 'ok';
      },
      { debounceMs: 10, onError: (e) => errors.push(e) },
    );
    try {
      const a = recorder();
      await hub.subscribe('all', a);
      fail = true;
      hub.changed();
      await new Promise((r) => setTimeout(r, 100));
      expect(errors).toHaveLength(1);
      expect(a.got).toHaveLength(1);
      // A new client still gets the last good snapshot.
      const late = recorder();
      await hub.subscribe('all', late);
      expect(late.got).toEqual([{ snapshot: 'ok', version: 1 }]);
    } finally {
      await hub.close();
    }
  });

  it('ends the clients whose access a notice says ended, at once, and recomputes nothing for it', async () => {
    let computations = 0;
    const hub = new LiveHub<string>(d, async () => ++computations, { debounceMs: 10 });
    try {
      const ended: string[] = [];
      const client = (name: string, credentials: string[]) =>
        Object.assign(recorder(), { credentials, end: () => ended.push(name) });
      const signedOut = client('signed out', ['token:1', 'session:aa']);
      const sameToken = client('same token, other session', ['token:1', 'session:bb']);
      const otherTeam = client('other token', ['token:2']);
      await hub.subscribe('all', signedOut);
      await hub.subscribe('all', sameToken);
      await hub.subscribe('t1', otherTeam);
      const notify = (payload: object) =>
        d.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(payload)})`);

      await notify({
        kinds: ['access'],
        inserted: 0,
        updated: 0,
        from: null,
        to: null,
        teams: [],
        ended: ['session:aa'],
      });
      for (let i = 0; i < 50 && ended.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(ended).toEqual(['signed out']);
      expect(hub.clients).toBe(2);
      await new Promise((r) => setTimeout(r, 50));
      expect(computations).toBe(2);

      // Ended access and a change in one transaction: the ended client gets nothing of the change.
      await d.db.transaction(async (tx) => {
        await tx.execute(
          sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ kinds: ['access'], ended: ['token:1'] })})`,
        );
        await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ kinds: ['goal'] })})`);
      });
      await otherTeam.next(2);
      expect(ended).toEqual(['signed out', 'same token, other session']);
      expect([signedOut.got.length, sameToken.got.length]).toEqual([1, 1]);
      expect(hub.clients).toBe(1);
    } finally {
      await hub.close();
    }
  });

  it.runIf(Boolean(process.env.DATABASE_URL))(
    'hears a NOTIFY sent on another connection (another process)',
    async () => {
      const hub = new LiveHub<string>(d, async () => 'snapshot', { debounceMs: 10 });
      const other = postgres(d.url!, { max: 1, onnotice: () => {} });
      try {
        const a = recorder();
        await hub.subscribe('all', a);
        await other`select pg_notify(${CHANGES_CHANNEL}, '{"kinds":["surveys"]}')`;
        await a.next(2);
        expect(hub.notices).toBe(1);
      } finally {
        await other.end();
        await hub.close();
      }
    },
  );
});
