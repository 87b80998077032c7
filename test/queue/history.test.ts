// GET /queue/history: per-minute and per-hour points from the minute rollup, worked out by hand;
// readers only, a manager limited to its own teams; bad ranges refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptQueueStatus } from '../../api/queue/accept';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';

let t: TestApp;
const url = (q: string) => `/api/v1/queue/history?${q}`;
const RANGE = 'from=2026-12-01T10:00:00Z&to=2026-12-01T10:05:00Z';

interface Point {
  at: string;
  samples: number;
  queues: number;
  waiting_avg: number | null;
  waiting_max: number | null;
  longest_wait_max: number | null;
  agents_available_avg: number | null;
  agents_busy_avg: number | null;
}

beforeAll(async () => {
  t = await createTestApp();
  await acceptQueueStatus(
    t.database,
    [
      {
        at: '2026-12-01T10:00:05Z',
        team: 't1',
        channel: 'phone',
        waiting: 4,
        longest_wait_seconds: 30,
        agents_available: 2,
      },
      {
        at: '2026-12-01T10:00:25Z',
        team: 't1',
        channel: 'phone',
        waiting: null,
        longest_wait_seconds: 90,
        agents_available: 3,
      },
      { at: '2026-12-01T10:00:45Z', team: 't1', channel: 'phone', waiting: 8, longest_wait_seconds: 60 },
      { at: '2026-12-01T10:00:30Z', team: 't2', waiting: 10 },
      { at: '2026-12-01T10:02:00Z', team: 't2', waiting: 1 },
      { at: '2026-12-01T11:30:00Z', team: 't2', waiting: 5 },
    ],
    { timeZone: 'UTC' },
  );
});
afterAll(() => t.close());

async function points(q: string, token = t.tokens.leader): Promise<Point[]> {
  const res = await t.request(url(q), { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { points: Point[] }).points;
}

describe('happy path', () => {
  it('per minute: each queue’s mean over the snapshots that reported it, added over queues', async () => {
    const p = await points(RANGE);
    expect(p.map((x) => x.at)).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-01T10:02:00.000Z']);
    // t1 phone: waiting (4 + 8) / 2 = 6 (the null left out), max 8; t2: 10. Together 16, max 10.
    expect(p[0]).toEqual({
      at: '2026-12-01T10:00:00.000Z',
      samples: 4,
      queues: 2,
      waiting_avg: 16,
      waiting_max: 10,
      longest_wait_max: 90,
      agents_available_avg: 2.5,
      agents_busy_avg: null,
    });
    expect(p[1]).toMatchObject({ samples: 1, queues: 1, waiting_avg: 1 });
  });

  it('filters by team and channel', async () => {
    expect((await points(`${RANGE}&team=t1`)).map((x) => x.waiting_avg)).toEqual([6]);
    expect((await points(`${RANGE}&channel=phone`)).map((x) => x.waiting_avg)).toEqual([6]);
    expect(await points(`${RANGE}&channel=chat`)).toEqual([]);
  });

  it('per hour for a long range (dates: a to date includes its day)', async () => {
    const res = await t.request(url('from=2026-12-01&to=2026-12-01&team=t2'), { token: t.tokens.admin });
    const body = (await res.json()) as { grain: string; from: string; to: string; points: Point[] };
    expect(body.grain).toBe('minute');
    expect([body.from, body.to]).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z']);
    const hours = await points('from=2026-11-30&to=2026-12-02&team=t2');
    // 10:00 hour: t2's minute means 10 and 1, sample-weighted (10 + 1) / 2; 11:00: 5.
    expect(hours.map((x) => [x.at, x.samples, x.waiting_avg, x.waiting_max])).toEqual([
      ['2026-12-01T10:00:00.000Z', 2, 5.5, 10],
      ['2026-12-01T11:00:00.000Z', 1, 5, 5],
    ]);
  });
});

describe('errors', () => {
  it('refuses bad or too long ranges and unknown teams with a 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['from=soon', 'from'],
      ['from=2026-12-01T11:00:00Z&to=2026-12-01T10:00:00Z', 'from'],
      ['from=2026-01-01&to=2026-12-01', 'to'],
      ['from=2026-11-01&to=2026-11-03&grain=minute', 'grain'],
      [`${RANGE}&grain=second`, 'grain'],
      [`${RANGE}&channel=pigeon`, 'channel'],
      [`${RANGE}&team=nobody`, 'team'],
    ];
    for (const [q, field] of cases) {
      const res = await t.request(url(q), { token: t.tokens.leader });
      expect(res.status, q).toBe(400);
      expect((await readProblem(res)).errors?.[0]?.field, q).toBe(field);
    }
  });
});

describe('security', () => {
  it('needs a reader: no token 401, a display 403', async () => {
    expect((await t.request(url(RANGE))).status).toBe(401);
    expect((await t.request(url(RANGE), { token: t.tokens.display })).status).toBe(403);
  });

  it('a manager sees only its own teams: another team is 403, no team means its own', async () => {
    const res = await t.request(url(`${RANGE}&team=t2`), { token: t.tokens.manager });
    expect(res.status).toBe(403);
    expect((await points(RANGE, t.tokens.manager)).map((x) => [x.queues, x.waiting_avg])).toEqual([[1, 6]]);
  });
});
