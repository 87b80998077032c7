// Live events: one group committer per kind per app. Each group goes in through the contract's
// own ingest (ingestKind) in one transaction and reports which external ids changed, so every
// request is answered its own counts. A group refused by the ingest (an unknown reference) is
// retried request by request, so only the offending request is refused.
import type { Database, Db } from '../../db/client';
import type { AppDeps } from '../context';
import { ingestKind, IngestRejected, type IngestResult } from '../ingest/ingest';
import { KINDS, type Kind } from '../ingest/kinds';
import { jsonSource } from '../ingest/sources';
import { EVENTS } from '../limits';
import { fillQuoteTexts } from '../quotes/search-text';
import { GroupCommitter, type CommitGroup, type CommitterStats, type GroupLimits, type Outcome } from './committer';
import { refusedBy } from './validate';

/** One request's events, checked (api/events/validate.ts). */
export interface EventBatch {
  records: unknown[];
  /** Each record's external_id as stored. */
  ids: string[];
}

export interface EventCounts {
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

type Committers = Map<Kind, GroupCommitter<EventBatch, EventCounts>>;

const apps = new WeakMap<AppDeps, { committers: Committers; limits: GroupLimits; closed: boolean }>();

/** A request's counts: the first of its records with an id the group changed counts as that change; the rest unchanged. */
function countsOf(batch: EventBatch, changed: Map<string, 'inserted' | 'updated'>): EventCounts {
  const counts = { accepted: batch.ids.length, inserted: 0, updated: 0, unchanged: 0 };
  const seen = new Set<string>();
  for (const id of batch.ids) {
    const change = seen.has(id) ? undefined : changed.get(id);
    seen.add(id);
    if (change === 'inserted') counts.inserted++;
    else if (change === 'updated') counts.updated++;
    else counts.unchanged++;
  }
  return counts;
}

/**
 * A group commit from `once`, which commits items in one transaction without waiting for the disk
 * (`deferDurability`) and answers each item's value. A group refused as a whole (`refusal` turns
 * the error into the request's answer; null: not a refusal) is retried item by item, in order, so
 * only the offending request is refused. The next group may start as soon as this one committed;
 * the answers wait until it is durable, then `after` runs with the committed values (e.g. for work the commit made due).
 */
export function groupCommit<T, R>(
  database: Database,
  once: (items: T[]) => Promise<R[]>,
  refusal: (err: unknown) => unknown,
  after?: (committed: R[]) => Promise<void>,
): CommitGroup<T, R> {
  const attempt = async (items: T[]): Promise<Array<Outcome<R>>> => {
    try {
      return (await once(items)).map((value) => ({ ok: true, value }));
    } catch (err) {
      const refused = refusal(err);
      if (refused === null) throw err;
      if (items.length === 1) return [{ ok: false, error: refused }];
    }
    // Which request was it? Each alone, in order: the others still commit.
    const outcomes: Array<Outcome<R>> = [];
    for (const item of items) {
      try {
        outcomes.push({ ok: true, value: (await once([item]))[0]! });
      } catch (err) {
        outcomes.push({ ok: false, error: refusal(err) ?? err });
      }
    }
    return outcomes;
  };
  return async (items, committed) => {
    const outcomes = await attempt(items);
    committed();
    if (outcomes.some((o) => o.ok)) {
      await database.durable();
      await after?.(outcomes.flatMap((o) => (o.ok ? [o.value] : [])));
    }
    return outcomes;
  };
}

function commitGroup(deps: AppDeps, kind: Kind): CommitGroup<EventBatch, EventCounts> {
  const { database, env } = deps;
  const once = async (batches: EventBatch[]): Promise<EventCounts[]> => {
    const records = batches.length === 1 ? batches[0]!.records : batches.flatMap((b) => b.records);
    const result: IngestResult = await database.db.transaction(async (tx) =>
      ingestKind(database, tx as unknown as Db, kind, jsonSource(records), {
        timeZone: env.ORG_TIMEZONE,
        actor: 'events',
        source: 'api',
        reportChanges: true,
        deferDurability: true,
      }),
    );
    const changed = result.changed ?? new Map<string, 'inserted' | 'updated'>();
    return batches.map((b) => countsOf(b, changed));
  };
  // As after an import: new consented comments get their searchable text now.
  const fillQuotes = async (committed: EventCounts[]) => {
    if (kind === 'surveys' && committed.some((c) => c.inserted + c.updated > 0))
      await fillQuoteTexts(database).catch(() => {});
  };
  return groupCommit(database, once, (err) => (err instanceof IngestRejected ? refusedBy(err) : null), fillQuotes);
}

/** A committer's limits on this app's database (EVENTS.windowMs says why PGlite waits). */
export const groupLimits = (deps: AppDeps): GroupLimits => ({
  ...EVENTS,
  windowMs: deps.database.kind === 'pglite' ? EVENTS.windowMs : 0,
});

function committersOf(deps: AppDeps) {
  let app = apps.get(deps);
  if (!app) apps.set(deps, (app = { committers: new Map(), limits: groupLimits(deps), closed: false }));
  return app;
}

/** Lowers (tests) or raises the app's group limits; committers made afterwards use them. */
export function setEventLimits(deps: AppDeps, limits: Partial<GroupLimits>) {
  Object.assign(committersOf(deps).limits, limits);
}

function committer(deps: AppDeps, kind: Kind) {
  const app = committersOf(deps);
  let c = app.committers.get(kind);
  if (!c) {
    app.committers.set(kind, (c = new GroupCommitter(commitGroup(deps, kind), app.limits, `${kind} events`)));
    if (app.closed) void c.close();
  }
  return c;
}

/** Queues a request's checked events; resolves with its own counts once its group committed. */
export function acceptEvents(deps: AppDeps, kind: Kind, batch: EventBatch): Promise<EventCounts> {
  return committer(deps, kind).submit(batch, batch.ids.length, batch.ids);
}

export type EventsStatus = Record<Kind, CommitterStats>;

/** Each kind's counters since the process started (this process only). */
export function eventsStatus(deps: AppDeps): EventsStatus {
  const app = apps.get(deps);
  const idle = new GroupCommitter<EventBatch, EventCounts>(async () => [], EVENTS, '').stats();
  return Object.fromEntries(KINDS.map((k) => [k, app?.committers.get(k)?.stats() ?? idle])) as EventsStatus;
}

/** Shutdown: takes no more events and commits what is queued (or fails it, if the database is gone). */
export async function closeEvents(deps: AppDeps): Promise<void> {
  const app = apps.get(deps);
  if (!app) return;
  app.closed = true;
  await Promise.all([...app.committers.values()].map((c) => c.close()));
}
