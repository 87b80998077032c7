// How an import ends other than with its rows written: the errors a batch is refused or stopped
// with, and how each is recorded in the import history.
import type { ImportStatus } from '../admin-log/store';
import type { Problem } from './checks';
import type { Kind } from './kinds';
import { SourceError } from './sources';

/** The batch was refused: every problem found (the first `MAX_LISTED`), and their total. */
export class IngestRejected extends Error {
  constructor(
    readonly kind: Kind,
    readonly problems: Problem[],
    readonly total: number,
    readonly warnings: string[] = [],
  ) {
    super(`${total} problem${total === 1 ? '' : 's'} in the ${kind} batch; nothing was imported`);
    this.name = 'IngestRejected';
  }
}

/** The batch is larger than one request may carry. */
export class IngestTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`A batch may hold at most ${limit.toLocaleString('en')} rows.`);
    this.name = 'IngestTooLarge';
  }
}

/** The import was stopped before its end (the command line's Ctrl-C): nothing was written. */
export class IngestAborted extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'IngestAborted';
  }
}

/** How an import that threw is recorded in the history. */
export function importOutcome(err: unknown): [Exclude<ImportStatus, 'running' | 'imported'>, Record<string, unknown>] {
  if (err instanceof IngestRejected) return ['rejected', { problems: err.total }];
  if (err instanceof IngestTooLarge) return ['rejected', { too_large: err.limit }];
  if (err instanceof SourceError) return ['rejected', { problems: 1 }];
  if (err instanceof IngestAborted) return ['aborted', { reason: err.message }];
  return ['failed', { error: errorCode(err) }];
}

/** The first code along an error and its causes (a SQLSTATE, a postgres.js or Node code), else its name. */
function errorCode(err: unknown): string {
  let e = err as { code?: unknown; cause?: unknown; name?: unknown } | undefined;
  for (let i = 0; e && typeof e === 'object' && i < 5; i++, e = e.cause as typeof e) {
    if (typeof e.code === 'string') return e.code;
  }
  return err instanceof Error ? err.name : 'unknown';
}
