// A source's webhook: a platform posts small JSON payloads in its own shape to
// POST /sources/{id}/ingest. They go through the mapping as a file would, but concurrent payloads
// for one source are committed together (the events' group commit, api/events), so throughput
// grows with concurrency. Each request is still all or nothing and answered its own counts: the
// records its rows made, per kind; a group refused as a whole is retried request by request.
import type { AppDeps } from '../context';
import { groupCommit, groupLimits } from '../events';
import { GroupCommitter, type CommitterStats } from '../events/committer';
import type { Kind } from '../ingest/kinds';
import { EVENTS } from '../limits';
import { KIND_ORDER, type Mapping } from './mapping';
import { tableOfRecords } from './read-json';
import { runSource, SourceRejected, type KindCounts, type SourceRunResult } from './run';
import type { SourceDetail } from './store';
import { SourceError } from '../ingest/sources';

export interface SourceEventsResult {
  rows: number;
  results: Partial<Record<Kind, KindCounts>>;
  warnings: string[];
}

/** One committer per source version and app (tests run several apps in one process). */
const committers = new WeakMap<AppDeps, Map<string, GroupCommitter<unknown[], SourceEventsResult>>>();

/** A request's own counts: per kind, the first row of each id it made counts as that id's change. */
function ownCounts(
  result: SourceRunResult,
  from: number,
  to: number,
  kinds: Kind[],
): Partial<Record<Kind, KindCounts>> {
  const results: Partial<Record<Kind, KindCounts>> = {};
  for (const kind of kinds) {
    const c = result.changes?.[kind];
    if (!c) continue;
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const seen = new Set<string>();
    for (let row = from; row <= to; row++) {
      const id = c.ids.get(row);
      if (id === undefined) continue;
      const change = seen.has(id) ? undefined : c.changed.get(id);
      seen.add(id);
      if (change === 'inserted') counts.inserted++;
      else if (change === 'updated') counts.updated++;
      else counts.unchanged++;
    }
    results[kind] = counts;
  }
  return results;
}

function commitFor(deps: AppDeps, mapping: Mapping) {
  const { database, env } = deps;
  const kinds = KIND_ORDER.filter((k) => mapping.outputs.some((o) => o.kind === k));
  const once = async (requests: unknown[][]): Promise<SourceEventsResult[]> => {
    const records = requests.length === 1 ? requests[0]! : requests.flat();
    const result = await runSource(database, mapping, async () => tableOfRecords(mapping.format, records), {
      timeZone: env.ORG_TIMEZONE,
      maxRows: EVENTS.groupRows,
      reportChanges: true,
      deferDurability: true,
    });
    let first = 1;
    return requests.map((r) => {
      const from = first;
      first += r.length;
      return {
        rows: r.length,
        results: ownCounts(result, from, from + r.length - 1, kinds),
        warnings: result.warnings,
      };
    });
  };
  return groupCommit(database, once, (err) =>
    err instanceof SourceRejected || err instanceof SourceError ? err : null,
  );
}

/**
 * Queues one request's records for the source (as saved, this version); resolves with its own
 * counts once its group is durably committed. Throws SourceRejected or SourceError (422) when the
 * request's own records are refused, 503 when the source's queue is full.
 */
export function acceptSourceEvents(
  deps: AppDeps,
  source: SourceDetail,
  records: unknown[],
): Promise<SourceEventsResult> {
  let byVersion = committers.get(deps);
  if (!byVersion) committers.set(deps, (byVersion = new Map()));
  const key = `${source.id}:${source.version}`;
  let c = byVersion.get(key);
  if (!c)
    byVersion.set(
      key,
      (c = new GroupCommitter(
        commitFor(deps, source.mapping),
        groupLimits(deps),
        `records for the source '${source.name}'`,
      )),
    );
  // Keys are not known before mapping: a group whose requests conflict is refused and retried one by one.
  return c.submit(records, records.length, []);
}

/** Each source's counters since the process started (by source id; its versions' added up). */
export function sourceEventsStatus(deps: AppDeps): Record<string, CommitterStats> {
  const out: Record<string, CommitterStats> = {};
  for (const [key, c] of committers.get(deps) ?? []) {
    const id = key.split(':')[0]!;
    const s = c.stats();
    const had = out[id];
    out[id] = had
      ? {
          requests: had.requests + s.requests,
          events: had.events + s.events,
          rejected: had.rejected + s.rejected,
          groups: had.groups + s.groups,
          last_event_at:
            [had.last_event_at, s.last_event_at]
              .filter((x): x is string => x !== null)
              .sort()
              .pop() ?? null,
          queued_requests: had.queued_requests + s.queued_requests,
          queued_events: had.queued_events + s.queued_events,
          committing: had.committing || s.committing,
        }
      : s;
  }
  return out;
}

/** Shutdown: commits what the sources' queues hold. */
export async function closeSourceEvents(deps: AppDeps): Promise<void> {
  const byVersion = committers.get(deps);
  if (byVersion) await Promise.all([...byVersion.values()].map((c) => c.close()));
}
