// The wallboard's live feed client: an EventSource on GET /api/v1/live that keeps itself alive.
//
// - The browser's EventSource reconnects by itself after a dropped connection (the server sends
//   `retry: 3000`). When it gives up (readyState CLOSED: an HTTP error such as 401, 400 or a
//   proxy's 502) this client probes the server with one plain request (GET /api/v1/views/tv,
//   which also brings a fresh snapshot) and opens a new EventSource after an exponential backoff
//   with jitter, capped at 30 s.
// - A 401 from the probe means the session is gone: status `unauthorized` ("this TV needs its
//   link again"); it still probes every few minutes in case the session comes back.
// - A watchdog recreates the stream when no snapshot arrived for a while although the stream
//   claims to be open (a half-open connection after a network loss: the server sends a `ping`
//   event every 15 s and a fresh snapshot at least once a minute).
// - `freshness()` says when the numbers are stale (no fresh snapshot or no connection for
//   5 minutes) so the page shows "data as of 14:02 — reconnecting" instead of silent numbers.
//
// No DOM here: the EventSource, the probe, the clock and the timers are injected, so the logic is
// unit-tested in Node (test/unit/live-client.test.ts).

export type LiveStatus =
  /** Opening the first connection. */
  | 'connecting'
  /** The stream delivered a snapshot and is open. */
  | 'live'
  /** The connection was lost; retrying. */
  | 'reconnecting'
  /** The session is gone (401): the TV needs its link again. */
  | 'unauthorized'
  /** The server refused the request as such (400: e.g. an unknown team); retrying slowly. */
  | 'invalid';

/** The part of EventSource this client uses. */
export interface EventSourceLike {
  readonly readyState: number;
  onerror: ((ev: never) => unknown) | null;
  addEventListener(type: string, listener: (ev: { data: string; lastEventId?: string }) => void): void;
  close(): void;
}

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 2;

export type ProbeResult<T> =
  | { kind: 'ok'; snapshot: T }
  | { kind: 'unauthorized' }
  | { kind: 'invalid'; detail: string }
  | { kind: 'unreachable' };

export interface LiveState<T> {
  status: LiveStatus;
  /** The newest snapshot (kept while reconnecting, so the page can show it as stale). */
  snapshot: T | null;
  /** Client clock (ms) when the newest snapshot arrived; null before the first. */
  receivedAt: number | null;
  /** Client clock (ms) since when there is no open stream; null while connected. */
  disconnectedSince: number | null;
  /** Client clock (ms) when the client started. */
  startedAt: number;
  /** Failed attempts in a row (drives the backoff); 0 after a snapshot from the stream. */
  attempt: number;
  /** The event id (server version) of the newest streamed snapshot. */
  version: string | null;
  /** A sentence for `invalid`. */
  detail: string | null;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface LiveOptions<T> {
  /** The stream's URL, e.g. `/api/v1/live?team=t1`. */
  url: string;
  createSource(url: string): EventSourceLike;
  /** One plain request for a snapshot: tells a lost session (401) from a server that is down. */
  probe(): Promise<ProbeResult<T>>;
  /** Called with a new state object after every change (never mutated afterwards). */
  onChange(state: LiveState<T>): void;
  parse?: (data: string) => T;
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  /** First retry delay (ms); doubles per failed attempt. */
  baseDelayMs?: number;
  /** Retry delay cap (ms). */
  maxDelayMs?: number;
  /** No snapshot or ping for this long while the stream looks open: recreate it. */
  watchdogMs?: number;
  /** While unauthorized or invalid, probe again this often. */
  slowProbeMs?: number;
}

export const DEFAULTS = {
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  // The server sends a ping every 15 s: three missed is a dead stream.
  watchdogMs: 45_000,
  slowProbeMs: 300_000,
  staleMs: 300_000,
} as const;

/** The delay before retry number `attempt` (0-based): exponential, capped, with jitter in [½, 1]. */
export function backoffDelay(
  attempt: number,
  baseMs: number = DEFAULTS.baseDelayMs,
  maxMs: number = DEFAULTS.maxDelayMs,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.round(exp * (0.5 + 0.5 * random()));
}

export interface Freshness {
  /** Milliseconds since the newest snapshot arrived (null before the first). */
  ageMs: number | null;
  /** No fresh snapshot, or no connection, for `staleMs`: show the "data as of" banner. */
  stale: boolean;
}

/** How fresh the shown numbers are at `now`. */
export function freshness(
  state: Pick<LiveState<unknown>, 'receivedAt' | 'disconnectedSince' | 'startedAt'>,
  now: number,
  staleMs: number = DEFAULTS.staleMs,
): Freshness {
  const ageMs = state.receivedAt === null ? null : Math.max(0, now - state.receivedAt);
  const sinceData = ageMs ?? now - state.startedAt;
  const offline = state.disconnectedSince === null ? 0 : now - state.disconnectedSince;
  return { ageMs, stale: sinceData >= staleMs || offline >= staleMs };
}

const defaultTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class LiveFeed<T> {
  private readonly o: Required<Omit<LiveOptions<T>, 'parse'>> & { parse: (data: string) => T };
  private state: LiveState<T>;
  private source: EventSourceLike | null = null;
  /** Bumped whenever a source is dropped, so late callbacks of an old source or probe do nothing. */
  private generation = 0;
  private retryTimer: unknown = null;
  private watchdogTimer: unknown = null;
  private running = false;

  constructor(options: LiveOptions<T>) {
    this.o = {
      parse: (d) => JSON.parse(d) as T,
      now: () => Date.now(),
      timers: defaultTimers,
      random: Math.random,
      baseDelayMs: DEFAULTS.baseDelayMs,
      maxDelayMs: DEFAULTS.maxDelayMs,
      watchdogMs: DEFAULTS.watchdogMs,
      slowProbeMs: DEFAULTS.slowProbeMs,
      ...options,
    };
    this.state = {
      status: 'connecting',
      snapshot: null,
      receivedAt: null,
      disconnectedSince: null,
      startedAt: this.o.now(),
      attempt: 0,
      version: null,
      detail: null,
    };
  }

  get current(): LiveState<T> {
    return this.state;
  }

  /** True while a stream object exists (for tests: at most one at a time). */
  get hasSource(): boolean {
    return this.source !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.update({ startedAt: this.o.now(), status: 'connecting' });
    this.open();
  }

  /** Closes the stream and clears every timer; the client can be started again. */
  stop(): void {
    this.running = false;
    this.drop();
    this.clearRetry();
  }

  private update(patch: Partial<LiveState<T>>): void {
    this.state = { ...this.state, ...patch };
    this.o.onChange(this.state);
  }

  private open(): void {
    this.drop();
    const gen = ++this.generation;
    let source: EventSourceLike;
    try {
      source = this.o.createSource(this.o.url);
    } catch {
      this.fail();
      return;
    }
    this.source = source;
    source.addEventListener('snapshot', (ev) => {
      if (gen !== this.generation) return;
      let snapshot: T;
      try {
        snapshot = this.o.parse(ev.data);
      } catch {
        return; // a malformed event: keep the last good snapshot
      }
      this.armWatchdog();
      this.update({
        status: 'live',
        snapshot,
        receivedAt: this.o.now(),
        disconnectedSince: null,
        attempt: 0,
        version: ev.lastEventId || null,
        detail: null,
      });
    });
    // The heartbeat: the stream is alive even when nothing changed.
    source.addEventListener('ping', () => {
      if (gen === this.generation) this.armWatchdog();
    });
    source.onerror = () => {
      if (gen !== this.generation) return;
      if (source.readyState === CLOSED) {
        // The browser gave up on this stream (an HTTP error): find out why, then retry.
        this.fail();
      } else if (this.state.status === 'live' || this.state.disconnectedSince === null) {
        // The browser is reconnecting by itself (a dropped connection).
        this.update({
          status: this.state.status === 'connecting' ? 'connecting' : 'reconnecting',
          disconnectedSince: this.state.disconnectedSince ?? this.o.now(),
        });
      }
    };
    this.armWatchdog();
  }

  /** Closes the current stream, if any, and its watchdog. */
  private drop(): void {
    this.generation++;
    if (this.watchdogTimer !== null) this.o.timers.clear(this.watchdogTimer);
    this.watchdogTimer = null;
    if (this.source) {
      this.source.onerror = null;
      this.source.close();
      this.source = null;
    }
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.o.timers.clear(this.retryTimer);
    this.retryTimer = null;
  }

  private armWatchdog(): void {
    if (this.watchdogTimer !== null) this.o.timers.clear(this.watchdogTimer);
    const gen = this.generation;
    this.watchdogTimer = this.o.timers.set(() => {
      this.watchdogTimer = null;
      if (gen === this.generation && this.running) this.fail();
    }, this.o.watchdogMs);
  }

  /** The stream is gone: drop it and schedule a probe after the backoff. */
  private fail(): void {
    this.drop();
    if (!this.running) return;
    const lost = this.state.disconnectedSince ?? this.o.now();
    const status =
      this.state.status === 'unauthorized' || this.state.status === 'invalid'
        ? this.state.status
        : this.state.status === 'connecting' && this.state.snapshot === null
          ? 'connecting'
          : 'reconnecting';
    this.update({ status, disconnectedSince: lost });
    this.schedule(backoffDelay(this.state.attempt, this.o.baseDelayMs, this.o.maxDelayMs, this.o.random));
  }

  private schedule(ms: number): void {
    this.clearRetry();
    this.retryTimer = this.o.timers.set(() => {
      this.retryTimer = null;
      void this.retry();
    }, ms);
  }

  private async retry(): Promise<void> {
    if (!this.running) return;
    const gen = this.generation;
    let result: ProbeResult<T>;
    try {
      result = await this.o.probe();
    } catch {
      result = { kind: 'unreachable' };
    }
    if (!this.running || gen !== this.generation) return;
    switch (result.kind) {
      case 'ok':
        // Fresh numbers from the plain request; the backoff keeps growing until the stream delivers.
        this.update({
          snapshot: result.snapshot,
          receivedAt: this.o.now(),
          attempt: this.state.attempt + 1,
          status: this.state.snapshot === null && this.state.status === 'connecting' ? 'connecting' : 'reconnecting',
          detail: null,
        });
        this.open();
        return;
      case 'unauthorized':
        // No numbers for a TV whose access is gone: they could only grow stale.
        this.update({ status: 'unauthorized', snapshot: null, attempt: this.state.attempt + 1 });
        this.schedule(this.o.slowProbeMs);
        return;
      case 'invalid':
        this.update({ status: 'invalid', detail: result.detail, attempt: this.state.attempt + 1 });
        this.schedule(this.o.slowProbeMs);
        return;
      case 'unreachable':
        this.update({ attempt: this.state.attempt + 1 });
        this.schedule(backoffDelay(this.state.attempt, this.o.baseDelayMs, this.o.maxDelayMs, this.o.random));
        return;
    }
  }
}

/** A probe with `fetch`: GET the snapshot URL; 401 → unauthorized, 400/404 → invalid, network or 5xx → unreachable. */
export function fetchProbe<T>(url: string, fetchFn: typeof fetch = fetch): () => Promise<ProbeResult<T>> {
  return async () => {
    let res: Response;
    try {
      res = await fetchFn(url, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'application/json' },
      });
    } catch {
      return { kind: 'unreachable' };
    }
    if (res.status === 401) return { kind: 'unauthorized' };
    if (res.status === 400 || res.status === 403 || res.status === 404) {
      let detail = `The server answered ${res.status}.`;
      try {
        const body = (await res.json()) as { detail?: unknown };
        if (typeof body.detail === 'string') detail = body.detail;
      } catch {
        // keep the status sentence
      }
      return { kind: 'invalid', detail };
    }
    if (!res.ok) return { kind: 'unreachable' };
    try {
      return { kind: 'ok', snapshot: (await res.json()) as T };
    } catch {
      return { kind: 'unreachable' };
    }
  };
}

/** An instant's wall-clock time in a time zone, read as if it were UTC (for offsets). */
function wallClock(at: number, timeZone: string): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(at)
      .map((x) => [x.type, Number(x.value)]),
  );
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/**
 * When to reload the page for the nightly refresh: the next `hour:minute` that is at least
 * `minGapMs` after `now` (so a reload at 03:10 does not reload again at 03:40), on the
 * organisation's clock when `timeZone` is given (a kiosk set to UTC serving Chicago would
 * otherwise reload at 21:00 on the floor), else the browser's.
 */
export function nextReloadAt(now: Date, hour = 3, minute = 0, minGapMs = 3_600_000, timeZone?: string): number {
  if (!timeZone) {
    const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hour, minute, 0, 0);
    while (at.getTime() < now.getTime() + minGapMs) at.setDate(at.getDate() + 1);
    return at.getTime();
  }
  const today = wallClock(now.getTime(), timeZone);
  const midnight = today - (today % 86_400_000);
  for (let day = 0; ; day++) {
    const wanted = midnight + day * 86_400_000 + (hour * 60 + minute) * 60_000;
    // The instant whose wall clock reads `wanted`: guess with today's offset, then correct once
    // with the offset in force at the guess (a summer-time change in between).
    let at = wanted - (wallClock(wanted, timeZone) - wanted);
    at = wanted - (wallClock(at, timeZone) - at);
    if (at >= now.getTime() + minGapMs) return at;
  }
}
