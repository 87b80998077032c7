// A deterministic fingerprint of every table in the public schema: row count and an md5 of all
// rows (every column, updated_at included: an unchanged re-import must not touch it) in primary
// key order. Two equal snapshots mean "every table is unchanged". Tables that legitimately
// change on every request (import history, audit, tokens, sessions) are left out.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

export const SNAPSHOT_EXCLUDED = ['import_runs', 'audit_log', 'access_tokens', 'sessions'] as const;

export interface TableSnapshot {
  rows: number;
  md5: string;
}

export type Snapshot = Record<string, TableSnapshot>;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every public table (but the excluded ones), as `{ table: { rows, md5 } }`, sorted by table name. */
export async function snapshotTables(
  database: Database,
  options: { exclude?: readonly string[] } = {},
): Promise<Snapshot> {
  const exclude = new Set<string>([...SNAPSHOT_EXCLUDED, ...(options.exclude ?? [])]);
  const tables = await database.rows<{ table: string; pk: string[] | null }>(sql`
    select c.relname as table,
           (select array_agg(a.attname::text order by k.ord)
              from pg_index i
              cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
              join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
             where i.indrelid = c.oid and i.indisprimary) as pk
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p')
     order by c.relname`);
  const out: Snapshot = {};
  for (const { table, pk } of tables) {
    if (exclude.has(table)) continue;
    // Without a primary key the rows are ordered by their whole text.
    const order = pk && pk.length > 0 ? pk.map((c) => `t.${ident(c)}`).join(', ') : 't::text';
    const [row] = await database.rows<{ rows: number; md5: string }>(
      sql.raw(
        `select count(*)::int as rows, coalesce(md5(string_agg(t::text, E'\\n' order by ${order})), '') as md5 from ${ident(table)} t`,
      ),
    );
    out[table] = { rows: row!.rows, md5: row!.md5 };
  }
  return out;
}

/** The tables of the public schema, for "nothing was dropped" checks. */
export async function publicTables(database: Database): Promise<string[]> {
  const rows = await database.rows<{ table: string }>(sql`
    select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`);
  return rows.map((r) => r.table);
}
