// queue_status through the live events route, POST /events/queue_status: accepted (202), refused
// whole with every problem (422), writers only; and what it wrote reaches the wallboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TvSnapshot } from '../../api/views/tv';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const post = (json: unknown, token: string | null = t.tokens.admin) =>
  t.request('/api/v1/events/queue_status', { method: 'POST', token, json });
const tvQueue = async () =>
  ((await (await t.request('/api/v1/views/tv', { token: t.tokens.display })).json()) as TvSnapshot).queue;

describe('POST /events/queue_status', () => {
  it('accepts one record or an array, and the wallboard shows the sum at once', async () => {
    const at = new Date(Date.now() - 2_000).toISOString();
    const one = await post({ at, team: 't1', channel: 'phone', waiting: 4, longest_wait_seconds: 100 });
    expect(one.status).toBe(202);
    expect(await one.json()).toEqual({ kind: 'queue_status', accepted: 1 });
    const many = await post([
      { at, team: 't2', waiting: 3, longest_wait_seconds: 50 },
      { at: new Date(Date.now() - 60_000).toISOString(), team: 't2', waiting: 9 },
    ]);
    expect(await many.json()).toEqual({ kind: 'queue_status', accepted: 2 });
    expect(await tvQueue()).toMatchObject({ waiting: 7, longest_wait_seconds: 100, queues: 2, stale: false });
  });

  it('refuses a batch with a bad record whole: 422 with every problem, nothing written', async () => {
    const res = await post([
      { at: new Date().toISOString(), team: 't1', channel: 'phone', waiting: 50 },
      { at: new Date().toISOString(), team: 'ghost', waiting: -2 },
    ]);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { problems: Array<{ row: number; field: string; reason: string }> };
    expect(body.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'team'],
      [2, 'waiting'],
    ]);
    expect(await tvQueue()).toMatchObject({ waiting: 7 });
  });

  it('writers only: a display or a reader may not post snapshots', async () => {
    const rec = { at: new Date().toISOString(), team: 't1', waiting: 1 };
    expect((await post(rec, null)).status).toBe(401);
    expect((await post(rec, t.tokens.display)).status).toBe(403);
    expect((await post(rec, t.tokens.leader)).status).toBe(403);
    expect(await tvQueue()).toMatchObject({ waiting: 7 });
  });
});
