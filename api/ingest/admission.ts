// Admission for POST /ingest: how many uploads may be received at once (each holds a socket and a
// temporary file, together at most so many bytes), and how many received batches may be imported
// at once or wait their turn, for how long. Past any of these, the answer is 503 with Retry-After
// naming the limit, at once: nothing waits without bound and nothing holds the database meanwhile.
import { limitReached } from '../errors';
import { INGEST } from '../limits';

export type IngestLimits = { -readonly [K in keyof typeof INGEST]: number };

export interface Upload {
  /** Asks for room for `bytes` more of this upload; false when the uploads together have no more. */
  reserve(bytes: number): boolean;
  /** Gives back the upload's slot and its room (once; later calls do nothing). */
  close(): void;
}

interface Waiter {
  admit(): void;
  timer: NodeJS.Timeout;
}

export class IngestGate {
  private uploads = 0;
  private spooled = 0;
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limits: IngestLimits) {}

  /** What is in use now (tests, diagnostics). */
  state() {
    return { uploads: this.uploads, spooledBytes: this.spooled, running: this.running, waiting: this.waiting.length };
  }

  /** A slot for one more upload, or 503 `ingest-uploads`; also refused at once when the queue is full. */
  upload(): Upload {
    const l = this.limits;
    if (this.uploads >= l.uploads) {
      throw limitReached(
        503,
        'ingest-uploads',
        `${l.uploads} uploads are being received or waiting to be imported already; try again shortly. Nothing was read or written.`,
        l.retryAfterSeconds,
      );
    }
    this.refuseIfQueueFull();
    this.uploads++;
    let reserved = 0;
    let open = true;
    return {
      reserve: (bytes) => {
        if (this.spooled + bytes > l.spoolBytes) return false;
        this.spooled += bytes;
        reserved += bytes;
        return true;
      },
      close: () => {
        if (!open) return;
        open = false;
        this.uploads--;
        this.spooled -= reserved;
      },
    };
  }

  private refuseIfQueueFull() {
    const l = this.limits;
    if (this.running >= l.running && this.waiting.length >= l.queue) {
      throw limitReached(
        503,
        'ingest-queue',
        `${l.running} import${l.running === 1 ? ' is' : 's are'} running and ${l.queue} waiting already; try again shortly. Nothing was written.`,
        l.retryAfterSeconds,
      );
    }
  }

  /**
   * Waits for this batch's turn to be imported (queued in order of arrival): answers the release
   * function, or throws 503 `ingest-queue` when the queue is full or the wait passes its limit.
   */
  async turn(): Promise<() => void> {
    const l = this.limits;
    const release = () => {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const next = this.waiting.shift();
        if (next) {
          clearTimeout(next.timer);
          next.admit(); // the slot passes on
        } else this.running--;
      };
    };
    if (this.running < l.running) {
      this.running++;
      return release();
    }
    this.refuseIfQueueFull();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => resolve(release()),
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(
            limitReached(
              503,
              'ingest-queue',
              `The batch waited ${l.queueSeconds} s for the imports before it to finish; try again later. Nothing was written.`,
              l.retryAfterSeconds,
            ),
          );
        }, l.queueSeconds * 1000),
      };
      this.waiting.push(waiter);
    });
  }
}

const gates = new WeakMap<object, IngestGate>();

/** The gate of one app (keyed by its dependencies, as tests run several apps in one process). */
export function ingestGate(key: object): IngestGate {
  let gate = gates.get(key);
  if (!gate) gates.set(key, (gate = new IngestGate({ ...INGEST })));
  return gate;
}

/** Tests: an app whose ingest limits differ from INGEST (e.g. a one-second idle limit). */
export function configureIngest(key: object, limits: Partial<IngestLimits>): IngestGate {
  const gate = new IngestGate({ ...INGEST, ...limits });
  gates.set(key, gate);
  return gate;
}
