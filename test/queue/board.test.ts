// How the wallboard writes the floor: wait times, how long a queue has been silent, and when the
// part turns stale on the board's own clock between snapshots.
import { describe, expect, it } from 'vitest';
import { queueView, silenceText, waitText } from '../../web/src/lib/components/tv/queue';
import type { TvQueue } from '../../web/src/lib/components/tv/types';

const base: TvQueue = {
  waiting: 7,
  longest_wait_seconds: 192,
  agents_available: 5,
  agents_busy: 17,
  at: '2026-12-06T10:00:00.000Z',
  latest_at: '2026-12-06T10:00:05.000Z',
  queues: 3,
  stale_queues: 0,
  stale: false,
  stale_after_seconds: 60,
  last_hour: [],
};
const T = Date.parse(base.at);

describe('the wallboard’s queue words', () => {
  it('writes waits and silences', () => {
    expect([waitText(45), waitText(192), waitText(4000)]).toEqual(['45s', '3m 12s', '1h 06m']);
    expect([
      silenceText(61_000),
      silenceText(4 * 60_000 + 5_000),
      silenceText(125 * 60_000),
      silenceText(3 * 86_400_000),
    ]).toEqual(['no update for 1 min', 'no update for 4 min', 'no update for 2 h 5 min', 'no update for 3 days']);
  });

  it('turns stale on its own clock past the threshold, corrected by the server’s clock', () => {
    expect(queueView(base, T + 60_000, 0).stale).toBe(false);
    expect(queueView(base, T + 60_001, 0)).toEqual({ stale: true, silentMs: 60_001, which: '1 of 3 queues: ' });
    // This clock runs 30 s ahead of the server's: not stale yet.
    expect(queueView(base, T + 80_000, 30_000).stale).toBe(false);
    expect(queueView({ ...base, stale: true, stale_queues: 3 }, T, 0).which).toBe('');
    expect(queueView({ ...base, queues: 1, stale: true, stale_queues: 1 }, T + 240_000, 0).which).toBe('');
  });
});
