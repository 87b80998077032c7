// The wallboard's live client (web/src/lib/live.ts): reconnect with capped backoff, the probe
// that tells a lost session from a server that is down, the watchdog, staleness, nightly reload.
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  CLOSED,
  CONNECTING,
  freshness,
  LiveFeed,
  nextReloadAt,
  OPEN,
  type EventSourceLike,
  type LiveState,
  type ProbeResult,
} from '../../web/src/lib/live';
import { feedUrls, parseTvConfig } from '../../web/src/lib/components/tv/config';

class FakeSource implements EventSourceLike {
  readyState = CONNECTING;
  onerror: ((ev: never) => unknown) | null = null;
  closed = false;
  private listeners = new Map<string, Array<(ev: { data: string; lastEventId?: string }) => void>>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (ev: { data: string; lastEventId?: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = CLOSED;
  }
  emit(type: string, data: string, id = '') {
    this.readyState = OPEN;
    for (const l of this.listeners.get(type) ?? []) l({ data, lastEventId: id });
  }
  error(state: number) {
    this.readyState = state;
    (this.onerror as ((ev: unknown) => void) | null)?.({});
  }
}

/** A manual clock and timer queue. */
class Clock {
  t = 1_000_000;
  private seq = 0;
  private queue = new Map<number, { at: number; fn: () => void }>();
  timers = {
    set: (fn: () => void, ms: number) => {
      const id = ++this.seq;
      this.queue.set(id, { at: this.t + ms, fn });
      return id;
    },
    clear: (h: unknown) => {
      this.queue.delete(h as number);
    },
  };
  get pending() {
    return this.queue.size;
  }
  /** Advances time, firing due timers in order; awaits microtasks so async probes settle. */
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.queue.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.queue.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(probeResults: Array<ProbeResult<{ v: number }>> = []) {
  const clock = new Clock();
  const sources: FakeSource[] = [];
  const states: LiveState<{ v: number }>[] = [];
  let probes = 0;
  const feed = new LiveFeed<{ v: number }>({
    url: '/api/v1/live',
    createSource: (url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    },
    probe: async () => {
      probes++;
      return probeResults.shift() ?? { kind: 'unreachable' };
    },
    onChange: (s) => states.push(s),
    now: () => clock.t,
    timers: clock.timers,
    random: () => 1, // no jitter: the delay is the full exponential step
  });
  return { clock, sources, states, feed, probes: () => probes, last: () => feed.current };
}

describe('backoffDelay', () => {
  it('doubles from 1 s and is capped at 30 s, with jitter between half and the full step', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10, 50].map((a) => backoffDelay(a, 1000, 30_000, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000,
    ]);
    expect(backoffDelay(3, 1000, 30_000, () => 0)).toBe(4000);
    for (let a = 0; a < 40; a++) expect(backoffDelay(a)).toBeLessThanOrEqual(30_000);
  });
});

describe('LiveFeed', () => {
  it('goes live on the first snapshot and keeps one stream', () => {
    const { feed, sources, last } = setup();
    feed.start();
    expect(sources).toHaveLength(1);
    expect(last().status).toBe('connecting');
    sources[0]!.emit('snapshot', '{"v":1}', '7');
    expect(last()).toMatchObject({
      status: 'live',
      snapshot: { v: 1 },
      version: '7',
      attempt: 0,
      disconnectedSince: null,
    });
    feed.stop();
    expect(sources[0]!.closed).toBe(true);
  });

  it('leaves a dropped connection to the browser, then is live again without a new stream', () => {
    const { feed, sources, last, clock } = setup();
    feed.start();
    sources[0]!.emit('snapshot', '{"v":1}');
    sources[0]!.error(CONNECTING); // the server went away; EventSource retries by itself
    expect(last().status).toBe('reconnecting');
    expect(last().disconnectedSince).toBe(clock.t);
    expect(sources).toHaveLength(1);
    sources[0]!.emit('snapshot', '{"v":2}');
    expect(last()).toMatchObject({ status: 'live', snapshot: { v: 2 }, disconnectedSince: null });
    feed.stop();
  });

  it('after a fatal error probes with exponential backoff capped at 30 s, then opens a new stream', async () => {
    const { feed, sources, last, clock, probes } = setup([
      { kind: 'unreachable' },
      { kind: 'unreachable' },
      { kind: 'unreachable' },
      { kind: 'unreachable' },
      { kind: 'unreachable' },
      { kind: 'unreachable' },
      { kind: 'unreachable' },
      { kind: 'ok', snapshot: { v: 9 } },
    ]);
    feed.start();
    sources[0]!.emit('snapshot', '{"v":1}');
    sources[0]!.error(CLOSED); // e.g. a proxy's 502: the browser gives up
    expect(sources[0]!.closed).toBe(true);
    expect(last().status).toBe('reconnecting');
    const times: number[] = [];
    let seen = 0;
    const start = clock.t;
    while (probes() < 8) {
      await clock.advance(500);
      if (probes() > seen) {
        seen = probes();
        times.push(clock.t - start);
      }
    }
    // Retry n waits backoff(n): 1, 2, 4, 8, 16, 30, 30, 30 s after the previous one.
    const gaps = times.map((t, i) => t - (times[i - 1] ?? 0));
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    // The probe's snapshot is shown at once, and a new stream is opened.
    expect(last().snapshot).toEqual({ v: 9 });
    expect(sources).toHaveLength(2);
    expect(sources.filter((s) => !s.closed)).toHaveLength(1);
    sources[1]!.emit('snapshot', '{"v":10}');
    expect(last()).toMatchObject({ status: 'live', attempt: 0 });
    feed.stop();
  });

  it('shows "needs its link again" on 401 and drops the numbers', async () => {
    const { feed, sources, last, clock } = setup([{ kind: 'unauthorized' }]);
    feed.start();
    sources[0]!.emit('snapshot', '{"v":1}');
    sources[0]!.error(CLOSED);
    await clock.advance(1000);
    expect(last().status).toBe('unauthorized');
    expect(last().snapshot).toBeNull();
    expect(sources.filter((s) => !s.closed)).toHaveLength(0);
    feed.stop();
    expect(clock.pending).toBe(0);
  });

  it('reports an invalid team from the probe', async () => {
    const { feed, sources, last, clock } = setup([{ kind: 'invalid', detail: "There is no team 'x'." }]);
    feed.start();
    sources[0]!.error(CLOSED);
    await clock.advance(1000);
    expect(last()).toMatchObject({ status: 'invalid', detail: "There is no team 'x'." });
    feed.stop();
  });

  it('recreates a stream that looks open but delivers nothing (watchdog)', async () => {
    const { feed, sources, clock } = setup([{ kind: 'ok', snapshot: { v: 2 } }]);
    feed.start();
    sources[0]!.emit('snapshot', '{"v":1}');
    // Pings keep a quiet stream alive …
    for (let i = 0; i < 6; i++) {
      await clock.advance(15_000);
      sources[0]!.emit('ping', '0');
    }
    expect(sources).toHaveLength(1);
    // … and 45 s without a snapshot or a ping is a dead stream.
    await clock.advance(44_000);
    expect(sources).toHaveLength(1);
    await clock.advance(2_000 + 1_000);
    expect(sources[0]!.closed).toBe(true);
    expect(sources).toHaveLength(2);
    feed.stop();
  });

  it('ignores events of a closed stream and malformed data', async () => {
    const { feed, sources, last, clock } = setup([{ kind: 'ok', snapshot: { v: 5 } }]);
    feed.start();
    sources[0]!.emit('snapshot', '{"v":1}');
    sources[0]!.emit('snapshot', 'not json');
    expect(last().snapshot).toEqual({ v: 1 });
    sources[0]!.error(CLOSED);
    await clock.advance(1000);
    sources[0]!.emit('snapshot', '{"v":666}');
    expect(last().snapshot).toEqual({ v: 5 });
    feed.stop();
  });

  it('keeps no timers and no stream after stop, and does not grow per event', () => {
    const { feed, sources, clock, states } = setup();
    feed.start();
    for (let i = 0; i < 1000; i++) sources[0]!.emit('snapshot', `{"v":${i}}`);
    expect(clock.pending).toBe(1); // just the watchdog
    expect(states.length).toBe(1001);
    feed.stop();
    expect(clock.pending).toBe(0);
    expect(feed.hasSource).toBe(false);
  });
});

describe('freshness', () => {
  const base = { startedAt: 0, receivedAt: 0, disconnectedSince: null };
  it('is fresh with a recent snapshot and stale after 5 minutes without one', () => {
    expect(freshness(base, 12_000)).toEqual({ ageMs: 12_000, stale: false });
    expect(freshness(base, 299_999).stale).toBe(false);
    expect(freshness(base, 300_000).stale).toBe(true);
  });
  it('is stale after 5 minutes without a connection, and before any data after 5 minutes', () => {
    expect(freshness({ startedAt: 0, receivedAt: 400_000, disconnectedSince: 100_000 }, 401_000).stale).toBe(true);
    expect(freshness({ startedAt: 0, receivedAt: null, disconnectedSince: null }, 301_000)).toEqual({
      ageMs: null,
      stale: true,
    });
    expect(freshness({ startedAt: 0, receivedAt: 0, disconnectedSince: 0 }, 10_000, 5_000).stale).toBe(true);
  });
});

describe('nextReloadAt', () => {
  it('is the next 03:mm local time at least an hour away', () => {
    const evening = new Date(2026, 10, 23, 21, 0);
    expect(new Date(nextReloadAt(evening, 3, 17))).toEqual(new Date(2026, 10, 24, 3, 17));
    const early = new Date(2026, 10, 23, 1, 0);
    expect(new Date(nextReloadAt(early, 3, 17))).toEqual(new Date(2026, 10, 23, 3, 17));
    // Just reloaded at 03:10: not again at 03:40 the same night.
    const justReloaded = new Date(2026, 10, 23, 3, 10);
    expect(new Date(nextReloadAt(justReloaded, 3, 40))).toEqual(new Date(2026, 10, 24, 3, 40));
  });

  it("is 03:mm on the organisation's clock when its zone is known, whatever the browser's", () => {
    // 21:00 in Chicago on 23 Nov (UTC−6) is 03:00 UTC on the 24th: the next 03:17 Chicago is
    // 24 Nov 09:17 UTC, not 03:17 UTC (which is 21:17 on the floor).
    const evening = new Date(Date.UTC(2026, 10, 24, 3, 0));
    expect(new Date(nextReloadAt(evening, 3, 17, 3_600_000, 'America/Chicago')).toISOString()).toBe(
      '2026-11-24T09:17:00.000Z',
    );
    // 01:30 Chicago on 8 Mar 2026 (CST, UTC−6 = 07:30 UTC): clocks go forward at 02:00, so 03:17
    // that morning is CDT (UTC−5) = 08:17 UTC.
    const beforeChange = new Date(Date.UTC(2026, 2, 8, 7, 30));
    expect(new Date(nextReloadAt(beforeChange, 3, 17, 0, 'America/Chicago')).toISOString()).toBe(
      '2026-03-08T08:17:00.000Z',
    );
    // Tokyo (UTC+9, no summer time): at 02:30 on the 23rd, 03:00 is within the hour's gap, so the
    // 24th at 03:00 local = 23 Nov 18:00 UTC.
    const tokyoNight = new Date(Date.UTC(2026, 10, 22, 17, 30));
    expect(new Date(nextReloadAt(tokyoNight, 3, 0, 3_600_000, 'Asia/Tokyo')).toISOString()).toBe(
      '2026-11-23T18:00:00.000Z',
    );
  });
});

describe('the TV URL', () => {
  it('reads screens, interval, team and channel, with defaults', () => {
    expect(parseTvConfig(new URLSearchParams(''))).toEqual({
      screens: ['today', 'voice', 'shoutouts', 'week'],
      every: 20,
      team: null,
      channel: null,
      staleAfter: 300,
    });
    expect(parseTvConfig(new URLSearchParams('channel=Phone'))).toMatchObject({ channel: 'phone', team: null });
    expect(feedUrls('t1', 'phone')).toEqual({
      live: '/api/v1/live?team=t1&channel=phone',
      snapshot: '/api/v1/views/tv?team=t1&channel=phone',
    });
    expect(feedUrls(null, 'chat')).toEqual({
      live: '/api/v1/live?channel=chat',
      snapshot: '/api/v1/views/tv?channel=chat',
    });
    expect(feedUrls(null)).toEqual({ live: '/api/v1/live', snapshot: '/api/v1/views/tv' });
    expect(parseTvConfig(new URLSearchParams('screens=week,today,bogus,week&every=45&team=t1'))).toMatchObject({
      screens: ['week', 'today'],
      every: 45,
      team: 't1',
    });
    expect(parseTvConfig(new URLSearchParams('screens=shout-outs&every=0'))).toMatchObject({
      screens: ['shoutouts'],
      every: 1,
    });
    expect(parseTvConfig(new URLSearchParams('screens=nope&every=abc'))).toMatchObject({
      screens: ['today', 'voice', 'shoutouts', 'week'],
      every: 20,
    });
    expect(feedUrls('a b')).toEqual({ live: '/api/v1/live?team=a%20b', snapshot: '/api/v1/views/tv?team=a%20b' });
  });
});
