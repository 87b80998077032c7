// The wallboard's queue part: the queues in scope added up, stale (never zero) once a queue stops
// reporting, absent when none ever reported, nothing identifying in it, and fresh on every call
// while the rest of the snapshot comes from the cache.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../api/metrics/periods';
import { acceptQueueStatus } from '../../api/queue/accept';
import { queueNow } from '../../api/queue/now';
import { QUEUE } from '../../api/limits';
import { tvSnapshot, type TvSnapshot } from '../../api/views/tv';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const tz = { timeZone: 'UTC' };
const today = todayIn('UTC');
const T = Date.now() - 10_000;
const iso = (ms: number) => new Date(ms).toISOString();
let teamPk: Record<string, number>;

beforeAll(async () => {
  t = await createTestApp();
  const rows = await t.database.rows<{ id: number; external_id: string }>(sql`select id, external_id from teams`);
  teamPk = Object.fromEntries(rows.map((r) => [r.external_id, Number(r.id)]));
});
afterAll(() => t.close());

describe('no snapshot yet', () => {
  it('the part is null: the wallboard shows nothing, not zeros', async () => {
    expect(await queueNow(t.database, { teamPks: null })).toBeNull();
    const snap = await tvSnapshot(t.database, { today, timeZone: 'UTC' });
    expect(snap.queue).toBeNull();
  });
});

describe('the floor right now', () => {
  beforeAll(async () => {
    await acceptQueueStatus(
      t.database,
      [
        // t1 reports phone and chat separately, and once all channels together (which counts for the team).
        {
          at: iso(T - 5_000),
          team: 't1',
          channel: 'phone',
          waiting: 4,
          longest_wait_seconds: 192,
          agents_available: 1,
          agents_busy: 6,
        },
        {
          at: iso(T),
          team: 't1',
          channel: 'chat',
          waiting: 3,
          longest_wait_seconds: 40,
          agents_available: null,
          agents_busy: 2,
        },
        { at: iso(T - 2_000), team: 't1', waiting: 7, longest_wait_seconds: 192, agents_available: 1, agents_busy: 8 },
        // t2 reports only its phone queue, without agents.
        { at: iso(T - 1_000), team: 't2', channel: 'phone', waiting: 2, longest_wait_seconds: 15 },
      ],
      tz,
    );
  });

  it('adds up the queues in scope (a team by its all-channel snapshot when it has one)', async () => {
    const org = (await queueNow(t.database, { teamPks: null }, T + 1_000))!;
    expect(org).toMatchObject({
      waiting: 9,
      longest_wait_seconds: 192,
      agents_available: 1,
      agents_busy: 8,
      queues: 2,
      stale: false,
      stale_queues: 0,
      at: iso(T - 2_000),
      latest_at: iso(T - 1_000),
    });
    const phone = (await queueNow(t.database, { teamPks: null, channel: 'phone' }, T + 1_000))!;
    expect(phone).toMatchObject({
      waiting: 6,
      longest_wait_seconds: 192,
      agents_available: 1,
      agents_busy: 6,
      queues: 2,
      at: iso(T - 5_000),
    });
    const t2 = (await queueNow(t.database, { teamPks: [teamPk.t2!] }, T + 1_000))!;
    expect(t2).toMatchObject({ waiting: 2, agents_available: null, agents_busy: null, queues: 1 });
    expect(await queueNow(t.database, { teamPks: [teamPk.t2!], channel: 'chat' }, T)).toBeNull();
  });

  it('turns stale once the oldest snapshot passes the threshold, keeping its numbers', async () => {
    const limit = QUEUE.staleSeconds * 1000;
    const oldest = T - 2_000;
    const justIn = (await queueNow(t.database, { teamPks: null }, oldest + limit))!;
    expect(justIn.stale).toBe(false);
    const late = (await queueNow(t.database, { teamPks: null }, oldest + limit + 1))!;
    expect(late).toMatchObject({ stale: true, stale_queues: 1, waiting: 9, stale_after_seconds: QUEUE.staleSeconds });
    const later = (await queueNow(t.database, { teamPks: null }, T + 4 * 60_000))!;
    expect(later).toMatchObject({ stale: true, stale_queues: 2, waiting: 9 });
  });

  it('the compact line holds the last hour by minute, this minute last', async () => {
    const part = (await queueNow(t.database, { teamPks: [teamPk.t2!] }, T + 1_000))!;
    expect(part.last_hour).toHaveLength(QUEUE.tvHistoryMinutes);
    const minuteOfT = Math.floor((T - 1_000) / 60_000) === Math.floor((T + 1_000) / 60_000);
    expect(part.last_hour.at(minuteOfT ? -1 : -2)).toBe(2);
    expect(part.last_hour.filter((v) => v !== null)).toEqual([2]);
  });

  it('the TV snapshot carries the part for its scope, nothing identifying, and fresh numbers past the cache', async () => {
    const snap = await tvSnapshot(t.database, { team: 't1', today, timeZone: 'UTC', now: T + 1_000 });
    expect(snap.queue).toMatchObject({ waiting: 7, queues: 1, stale: false });
    expect(Object.keys(snap.queue!).sort()).toEqual([
      'agents_available',
      'agents_busy',
      'at',
      'last_hour',
      'latest_at',
      'longest_wait_seconds',
      'queues',
      'stale',
      'stale_after_seconds',
      'stale_queues',
      'waiting',
    ]);
    await acceptQueueStatus(t.database, [{ at: iso(T + 500), team: 't1', waiting: 11, longest_wait_seconds: 200 }], tz);
    const again = await tvSnapshot(t.database, { team: 't1', today, timeZone: 'UTC', now: T + 1_000 });
    expect(again.queue).toMatchObject({ waiting: 11, longest_wait_seconds: 200 });
    expect(again.week).toEqual(snap.week);
  });

  it('GET /views/tv gives a display the part; a manager’s board counts only its teams', async () => {
    const res = await t.request('/api/v1/views/tv', { token: t.tokens.display });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TvSnapshot;
    expect(body.queue).toMatchObject({ waiting: 13, queues: 2 });
    const text = JSON.stringify(body.queue);
    expect(text).not.toMatch(/t1|t2|Frontline|team/);
    const mine = (await (await t.request('/api/v1/views/tv', { token: t.tokens.manager })).json()) as TvSnapshot;
    expect(mine.queue).toMatchObject({ waiting: 11, queues: 1 });
  });
});
