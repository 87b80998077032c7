// Group commit: requests of one kind wait in a bounded queue; one committer takes everything
// queued (up to a number of rows) and commits it together, while new arrivals queue for the next
// group. A request joins a group only when none of its keys (external ids) is in it or in an
// earlier request left for later, so requests touching one record commit in arrival order.
// Groups overlap where the commit allows it: once a group's transaction has committed (`committed`),
// the next group starts while the first still waits for its commit to reach the disk.
import { limitReached } from '../errors';

export interface GroupLimits {
  /** Rows one group may take (a request larger than this is a group of its own). */
  groupRows: number;
  /** Ms to wait for more arrivals when fewer than `groupRows / 10` rows are queued (0: none). */
  windowMs: number;
  /** Rows queued (not yet committing) before new requests are refused with 503. */
  queueRows: number;
  retryAfterSeconds: number;
}

/** One request's outcome within its group. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Commits a group; answers one outcome per item, in order (a throw fails them all). May call
 * `committed` once its writes are committed and visible but not yet durable: the next group
 * starts then, while this one's answers wait for the disk.
 */
export type CommitGroup<T, R> = (items: T[], committed: () => void) => Promise<Array<Outcome<R>>>;

interface Entry<T, R> {
  item: T;
  rows: number;
  keys: readonly string[];
  resolve(value: R): void;
  reject(error: unknown): void;
}

export interface CommitterStats {
  /** Requests committed, and their rows. */
  requests: number;
  events: number;
  /** Requests refused when their group committed (e.g. an unknown reference). */
  rejected: number;
  /** Groups taken from the queue (each one transaction, plus retries of a refused group's requests one by one). */
  groups: number;
  /** When the last request was committed (ISO), or null. */
  last_event_at: string | null;
  queued_requests: number;
  queued_events: number;
  committing: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Groups committed and waiting for the disk at once (each holds a pooled connection meanwhile). */
const MAX_SETTLING = 4;

export class GroupCommitter<T, R> {
  private queue: Array<Entry<T, R>> = [];
  private queuedRows = 0;
  private running: Promise<void> | null = null;
  /** Groups committed whose answers wait for their commit to be durable. */
  private readonly settling = new Set<Promise<void>>();
  private closing = false;
  private readonly counts = { requests: 0, events: 0, rejected: 0, groups: 0, lastAt: null as Date | null };

  constructor(
    private readonly commit: CommitGroup<T, R>,
    private readonly limits: GroupLimits,
    /** Says what is queued in the problems (e.g. "interactions events"). */
    private readonly what: string,
  ) {}

  /** Queues one request; resolves once its group committed. Refuses at once (503) when the queue is full or closing. */
  submit(item: T, rows: number, keys: readonly string[]): Promise<R> {
    if (this.closing) {
      return Promise.reject(
        limitReached(
          503,
          'events-closing',
          'The server is shutting down and takes no more events; send them again shortly. Nothing was written.',
          this.limits.retryAfterSeconds,
        ),
      );
    }
    if (this.queuedRows > 0 && this.queuedRows + rows > this.limits.queueRows) {
      return Promise.reject(
        limitReached(
          503,
          'events-queue',
          `${this.queuedRows.toLocaleString('en')} ${this.what} are waiting to be committed (at most ${this.limits.queueRows.toLocaleString('en')}); try again shortly. Nothing was written.`,
          this.limits.retryAfterSeconds,
        ),
      );
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, rows, keys, resolve, reject });
      this.queuedRows += rows;
      this.kick();
    });
  }

  stats(): CommitterStats {
    return {
      requests: this.counts.requests,
      events: this.counts.events,
      rejected: this.counts.rejected,
      groups: this.counts.groups,
      last_event_at: this.counts.lastAt?.toISOString() ?? null,
      queued_requests: this.queue.length,
      queued_events: this.queuedRows,
      committing: this.running !== null,
    };
  }

  /** Takes no more requests and commits what is queued; resolves when every request is answered. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.running || this.settling.size > 0) await (this.running ?? Promise.all(this.settling));
  }

  private kick() {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain() {
    while (this.queue.length > 0) {
      if (!this.closing && this.limits.windowMs > 0 && this.queuedRows < this.limits.groupRows / 10)
        await sleep(this.limits.windowMs);
      const group = this.take();
      this.counts.groups++;
      let committed!: () => void;
      const released = new Promise<void>((resolve) => (committed = resolve));
      const answered = this.commit(
        group.map((e) => e.item),
        committed,
      ).then(
        (outcomes) => this.answer(group, outcomes),
        (error: unknown) =>
          this.answer(
            group,
            group.map(() => ({ ok: false as const, error })),
          ),
      );
      this.settling.add(answered);
      void answered.finally(() => this.settling.delete(answered));
      // The next group may start once this one is committed (or has failed).
      await Promise.race([released, answered]);
      while (this.settling.size >= MAX_SETTLING) await Promise.race(this.settling);
    }
  }

  private answer(group: Array<Entry<T, R>>, outcomes: Array<Outcome<R>>) {
    const now = new Date();
    group.forEach((entry, i) => {
      const outcome = outcomes[i] ?? {
        ok: false as const,
        error: new Error('the group answered no outcome for this request'),
      };
      if (outcome.ok) {
        this.counts.requests++;
        this.counts.events += entry.rows;
        this.counts.lastAt = now;
        entry.resolve(outcome.value);
      } else {
        this.counts.rejected++;
        entry.reject(outcome.error);
      }
    });
  }

  /** The next group: queued requests in order, up to `groupRows`, none sharing a key with an earlier one left queued. */
  private take(): Array<Entry<T, R>> {
    const group: Array<Entry<T, R>> = [];
    const rest: Array<Entry<T, R>> = [];
    const inGroup = new Set<string>();
    const waiting = new Set<string>();
    let rows = 0;
    let full = false;
    for (const entry of this.queue) {
      if (full || (group.length > 0 && rows + entry.rows > this.limits.groupRows)) {
        full = true;
        rest.push(entry);
        continue;
      }
      if (entry.keys.some((k) => inGroup.has(k) || waiting.has(k))) {
        for (const k of entry.keys) waiting.add(k);
        rest.push(entry);
        continue;
      }
      group.push(entry);
      rows += entry.rows;
      for (const k of entry.keys) inGroup.add(k);
    }
    this.queue = rest;
    this.queuedRows -= rows;
    return group;
  }
}
