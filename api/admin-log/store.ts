// The admin area's history: the audit log of administrative actions and the import runs
// (API, CLI and demo imports, refused batches included; dry runs are not recorded).
import { desc, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { auditLog, importRuns } from '../../db/schema';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: unknown;
}

/** Newest first; `next_before` is the id to pass as `before` for the next page, null at the end. */
export async function listAudit(db: Db, limit: number, before?: number): Promise<{ entries: AuditEntry[]; next_before: number | null }> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(before === undefined ? undefined : lt(auditLog.id, before))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, subject: r.subject, details: r.details ?? null })),
    next_before: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

export interface ImportRun {
  id: number;
  kind: string;
  source: string;
  actor: string;
  dry_run: boolean;
  status: string;
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
    status: r.status,
    counts: r.counts ?? null,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
  }));
}
