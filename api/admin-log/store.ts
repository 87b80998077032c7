// The admin area's history: the audit log of administrative actions (written by every domain
// module that makes one) and the import runs (API, CLI and demo imports: every attempt, whatever
// its outcome; dry runs are not recorded).
import { desc, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { auditLog, importRuns } from '../../db/schema';
import type { Principal } from '../auth/tokens';
import { CHANGES_CHANNEL, type ChangeNotice } from '../ingest/notices';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: unknown;
}

/**
 * Records an administrative action and, with it, tells the live views that something they may
 * show changed (a quote approved, a goal or the statement edited): the notice goes out on commit.
 */
export async function audit(
  db: Db,
  actor: Principal | null | undefined,
  action: string,
  subject: string | null,
  details?: unknown,
) {
  await db.insert(auditLog).values({
    actorTokenId: actor?.tokenId ?? null,
    actor: actor ? actor.label : 'system',
    action,
    subject,
    details: details ?? null,
  });
  const kind = action.split('.')[0]!;
  // Access tokens show on no wallboard (ended access has its own notice: announceEnded, auth/tokens.ts).
  if (kind === 'token') return;
  const notice: ChangeNotice = { kinds: [kind], inserted: 0, updated: 1, from: null, to: null, teams: [] };
  await db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(notice)})`);
}

/** Newest first; `next_before` is the id to pass as `before` for the next page, null at the end. */
export async function listAudit(
  db: Db,
  limit: number,
  before?: number,
): Promise<{ entries: AuditEntry[]; next_before: number | null }> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(before === undefined ? undefined : lt(auditLog.id, before))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      details: r.details ?? null,
    })),
    next_before: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

/**
 * How an import ended: `running` until it ends; `imported`; `rejected` (the batch had problems or
 * was too large); `failed` (the server or the database failed); `aborted` (the upload stopped or
 * was cut off, or the import was interrupted). Only `imported` wrote anything.
 */
export type ImportStatus = 'running' | 'imported' | 'rejected' | 'failed' | 'aborted';

/**
 * Records an import as it starts, committed on its own, so that an import that fails, is cut
 * off or never ends still shows; answers its id for `finishImport`.
 */
export async function startImport(db: Db, run: { kind: string; source: string; actor: string }): Promise<number> {
  const [row] = await db
    .insert(importRuns)
    .values({
      kind: run.kind,
      source: run.source,
      actor: run.actor,
      dryRun: false,
      status: 'running',
      startedAt: sql`clock_timestamp()`,
    })
    .returning({ id: importRuns.id });
  return row!.id;
}

/**
 * Records how an import ended and when (`clock_timestamp()`: inside the import's transaction
 * `now()` is its start). Only a run still `running` is changed, so the first outcome stays: the
 * import's own transaction records success with its rows, a failure is recorded after the rollback.
 */
export async function finishImport(
  db: Db,
  id: number,
  status: Exclude<ImportStatus, 'running'>,
  counts: Record<string, unknown>,
): Promise<void> {
  await db.execute(sql`update import_runs set status = ${status}, counts = ${JSON.stringify(counts)}::jsonb, finished_at = clock_timestamp()
    where id = ${id} and status = 'running'`);
}

export interface ImportRun {
  id: number;
  kind: string;
  source: string;
  actor: string;
  dry_run: boolean;
  status: ImportStatus;
  counts: unknown;
  started_at: string;
  finished_at: string | null;
}

/** The latest import runs, newest first. */
export async function listImports(db: Db, limit: number): Promise<ImportRun[]> {
  const rows = await db.select().from(importRuns).orderBy(desc(importRuns.startedAt), desc(importRuns.id)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    source: r.source,
    actor: r.actor,
    dry_run: r.dryRun,
    status: r.status as ImportStatus,
    counts: r.counts ?? null,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
  }));
}
