// acceptQueueStatus: every record checked before anything is written, each queue's newest snapshot
// kept whatever order they arrive in, the minute rollup worked out by hand, repeats counted once,
// and a change notice that tells the wallboard without touching the views' version.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import { CHANGES_CHANNEL } from '../../api/ingest/notices';
import { acceptQueueStatus } from '../../api/queue/accept';
import { viewsVersion } from '../../api/views/cache';
import { teams } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let database: TestDatabase;
const tz = { timeZone: 'UTC' };

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.insert(teams).values([
    { externalId: 't1', name: 'Frontline One' },
    { externalId: 't2', name: 'Frontline Two' },
  ]);
});
afterAll(() => database.destroy());
beforeEach(async () => {
  await database.rows(sql`delete from queue_status`);
  await database.rows(sql`delete from rollup_queue_minute`);
});

const latest = () =>
  database.rows<{
    team: string;
    channel: string;
    at: string;
    waiting: number | null;
    longest_wait_seconds: number | null;
  }>(sql`
    select t.external_id as team, q.channel, to_char(q.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as at, q.waiting, q.longest_wait_seconds
    from queue_status q join teams t on t.id = q.team_id order by t.external_id, q.channel`);
const minutes = () =>
  database.rows<Record<string, unknown>>(sql`
    select to_char(minute at time zone 'UTC', 'HH24:MI') as minute, channel, samples, waiting_n, waiting_sum, waiting_max,
           longest_wait_n, longest_wait_sum, longest_wait_max, agents_available_n, agents_available_sum, agents_available_max,
           agents_busy_n, agents_busy_sum, agents_busy_max
    from rollup_queue_minute order by minute, channel`);

async function refusal(records: unknown[]): Promise<
  ApiError & {
    extensions: { problems: Array<{ row: number; field: string | null; value: string | null; reason: string }> };
  }
> {
  try {
    await acceptQueueStatus(database, records, tz);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as never;
  }
  throw new Error('expected a refusal');
}

describe('validation', () => {
  it('lists every problem with row, field, value and reason, and writes nothing', async () => {
    const good = { at: '2026-12-01T10:00:00Z', team: 't1', waiting: 3 };
    const err = await refusal([
      good,
      { team: 't1' },
      { at: 'yesterday', team: 't1' },
      { at: '2026-12-01T10:00:00Z' },
      { at: '2026-12-01T10:00:00Z', team: 't1', channel: 'pigeon' },
      {
        at: '2026-12-01T10:00:00Z',
        team: 't1',
        waiting: -1,
        longest_wait_seconds: 1.5,
        agents_available: 'many',
        agents_busy: true,
      },
      { at: '2026-12-01T10:00:00Z', team: 'nobody' },
      'not an object',
      { at: '2199-01-01T00:00:00Z', team: 't1' },
    ]);
    expect(err.status).toBe(422);
    const problems = err.extensions.problems.map((p) => [p.row, p.field, p.value]);
    expect(problems).toEqual([
      [2, 'at', null],
      [3, 'at', 'yesterday'],
      [4, 'team', null],
      [5, 'channel', 'pigeon'],
      [6, 'agents_available', 'many'],
      [6, 'agents_busy', 'true'],
      [6, 'longest_wait_seconds', '1.5'],
      [6, 'waiting', '-1'],
      [7, 'team', 'nobody'],
      [8, null, 'not an object'],
      [9, 'at', '2199-01-01T00:00:00Z'],
    ]);
    expect(err.extensions.problems.find((p) => p.row === 7)!.reason).toBe("there is no team 'nobody'");
    expect(err.message).toMatch(/nothing was written/);
    expect(await latest()).toEqual([]);
    expect(await minutes()).toEqual([]);
  });

  it('accepts nulls, digit strings, a channel in any case, and a time without offset in the org zone', async () => {
    await acceptQueueStatus(
      database,
      [{ at: '2026-12-01 10:00:30', team: 't1', channel: 'Phone', waiting: '4', longest_wait_seconds: null }],
      { timeZone: 'Europe/Paris' },
    );
    expect(await latest()).toEqual([
      { team: 't1', channel: 'phone', at: '2026-12-01T09:00:30', waiting: 4, longest_wait_seconds: null },
    ]);
  });

  it('an empty batch writes nothing', async () => {
    expect(await acceptQueueStatus(database, [], tz)).toEqual({ accepted: 0 });
    expect(await latest()).toEqual([]);
  });
});

describe('latest snapshot', () => {
  it('keeps the newest per team and channel, whatever order snapshots arrive in', async () => {
    await acceptQueueStatus(database, [{ at: '2026-12-01T10:00:10Z', team: 't1', waiting: 5 }], tz);
    await acceptQueueStatus(database, [{ at: '2026-12-01T10:00:05Z', team: 't1', waiting: 9 }], tz);
    expect((await latest()).map((r) => [r.at, r.waiting])).toEqual([['2026-12-01T10:00:10', 5]]);
    // Within one batch too, and a channel is a queue of its own.
    await acceptQueueStatus(
      database,
      [
        { at: '2026-12-01T10:01:00Z', team: 't1', waiting: 1 },
        { at: '2026-12-01T10:00:50Z', team: 't1', waiting: 7 },
        { at: '2026-12-01T10:00:50Z', team: 't1', channel: 'chat', waiting: 2 },
      ],
      tz,
    );
    expect((await latest()).map((r) => [r.channel, r.at, r.waiting])).toEqual([
      ['', '2026-12-01T10:01:00', 1],
      ['chat', '2026-12-01T10:00:50', 2],
    ]);
  });
});

describe('minute rollup', () => {
  it('adds samples per field, leaving out the nulls (worked out by hand)', async () => {
    await acceptQueueStatus(
      database,
      [
        {
          at: '2026-12-01T10:00:05Z',
          team: 't1',
          channel: 'phone',
          waiting: 4,
          longest_wait_seconds: 30,
          agents_available: 2,
          agents_busy: 5,
        },
        {
          at: '2026-12-01T10:00:25Z',
          team: 't1',
          channel: 'phone',
          waiting: null,
          longest_wait_seconds: 90,
          agents_available: 3,
        },
        {
          at: '2026-12-01T10:00:45Z',
          team: 't1',
          channel: 'phone',
          waiting: 8,
          longest_wait_seconds: 60,
          agents_busy: 6,
        },
        { at: '2026-12-01T10:01:05Z', team: 't1', channel: 'phone', waiting: 1 },
      ],
      tz,
    );
    const expected10 = {
      minute: '10:00',
      channel: 'phone',
      samples: 3,
      waiting_n: 2,
      waiting_sum: 12,
      waiting_max: 8,
      longest_wait_n: 3,
      longest_wait_sum: 180,
      longest_wait_max: 90,
      agents_available_n: 2,
      agents_available_sum: 5,
      agents_available_max: 3,
      agents_busy_n: 2,
      agents_busy_sum: 11,
      agents_busy_max: 6,
    };
    const expected11 = {
      minute: '10:01',
      channel: 'phone',
      samples: 1,
      waiting_n: 1,
      waiting_sum: 1,
      waiting_max: 1,
      longest_wait_n: 0,
      longest_wait_sum: 0,
      longest_wait_max: null,
      agents_available_n: 0,
      agents_available_sum: 0,
      agents_available_max: null,
      agents_busy_n: 0,
      agents_busy_sum: 0,
      agents_busy_max: null,
    };
    const numeric = (rows: Array<Record<string, unknown>>) =>
      rows.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
        ),
      );
    expect(numeric(await minutes())).toEqual([expected10, expected11]);

    // A late snapshot of 10:00 goes into its own minute; it does not become the newest.
    await acceptQueueStatus(database, [{ at: '2026-12-01T10:00:55Z', team: 't1', channel: 'phone', waiting: 20 }], tz);
    const [m10] = numeric(await minutes());
    expect([m10!.samples, m10!.waiting_n, m10!.waiting_sum, m10!.waiting_max]).toEqual([4, 3, 32, 20]);
    expect((await latest())[0]!.at).toBe('2026-12-01T10:01:05');
  });

  it('counts a snapshot sent again (a retry) once', async () => {
    const batch = [
      { at: '2026-12-01T11:00:05Z', team: 't2', waiting: 3 },
      { at: '2026-12-01T11:00:35Z', team: 't2', waiting: 5 },
    ];
    expect(await acceptQueueStatus(database, [...batch, batch[0]], tz)).toEqual({ accepted: 3 });
    expect(await acceptQueueStatus(database, [batch[1]], tz)).toEqual({ accepted: 1 });
    const [row] = await minutes();
    expect([Number(row!.samples), Number(row!.waiting_sum)]).toEqual([2, 8]);
  });
});

describe('change notice', () => {
  it('tells live views with kind queue_status and leaves the views’ version alone', async () => {
    const notices: string[] = [];
    const stop = await database.listen(CHANGES_CHANNEL, (payload) => notices.push(payload));
    const before = await viewsVersion(database);
    await acceptQueueStatus(database, [{ at: new Date().toISOString(), team: 't1', waiting: 2 }], tz);
    for (let i = 0; i < 50 && notices.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(notices.map((n) => JSON.parse(n) as { kinds: string[]; teams: string[] })).toEqual([
      expect.objectContaining({ kinds: ['queue_status'], teams: ['t1'] }),
    ]);
    expect(await viewsVersion(database)).toBe(before);
  });
});
