// The problems of a batch and the checks that need the whole batch or the database: references
// to records that do not exist, and one external_id with different values in two rows.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { show } from './fields';
import { SPECS, type Kind } from './kinds';

export interface Problem {
  row: number;
  field: string | null;
  value: string | null;
  reason: string;
}

/** Problems listed in a refusal (the total is counted beyond them). */
export const MAX_LISTED = 1000;

/** Every problem found, the first `MAX_LISTED * 2` kept (sorted and cut to `MAX_LISTED` at the end). */
export class Problems {
  readonly list: Problem[] = [];
  total = 0;
  add(p: Problem) {
    this.total++;
    if (this.list.length < MAX_LISTED * 2) this.list.push(p);
  }
  sorted() {
    return this.list.sort((a, b) => a.row - b.row || (a.field ?? '').localeCompare(b.field ?? '')).slice(0, MAX_LISTED);
  }
}

/**
 * One external_id twice with different values is a problem naming the rows; exact repeats are
 * one record. Answers how many rows repeated an earlier one exactly.
 */
export async function checkDuplicates(
  database: Database,
  tx: Db,
  kind: Kind,
  stage: string,
  problems: Problems,
): Promise<number> {
  const spec = SPECS[kind];
  const payload = spec.fields
    .filter((f) => f.name !== 'external_id')
    .map((f) => `s.${f.name}`)
    .join(', ');
  const repeated = `select external_id, count(*) as copies from ${stage} group by external_id having count(*) > 1`;
  const dups = await database.rows<{ external_id: string; rows: number[]; variants: number }>(
    sql.raw(`with repeated as (${repeated})
             select external_id, (array_agg(row_no order by row_no))[1:20] as rows, count(distinct md5(row(${payload})::text))::int as variants
             from ${stage} s join repeated using (external_id)
             group by external_id order by min(row_no) limit ${MAX_LISTED}`),
    tx,
  );
  for (const d of dups) {
    if (d.variants > 1) {
      const [firstRow, ...others] = d.rows;
      problems.add({
        row: others[0] ?? firstRow ?? 0,
        field: 'external_id',
        value: show(d.external_id),
        reason: `external_id ${show(d.external_id)} appears in rows ${d.rows.join(', ')} with different values; keep one`,
      });
    }
  }
  if (dups.length === 0) return 0;
  const [row] = await database.rows<{ collapsed: number }>(
    sql.raw(`select coalesce(sum(copies - 1), 0)::int as collapsed from (${repeated}) r`),
    tx,
  );
  return row?.collapsed ?? 0;
}

/** The query listing references to records that do not exist in the rows of `table` (null: the kind has none). */
export function referencesQuery(kind: Kind, table: string): string | null {
  const refs = SPECS[kind].fields.filter((f) => f.ref);
  if (refs.length === 0) return null;
  // Every reference field in one statement (one round trip a chunk).
  return `select row_no, field, value, count(*) over ()::int as total from (
               ${refs
                 .map(
                   (f) => `select s.row_no, '${f.name}' as field, s.${f.name} as value
                           from ${table} s left join ${SPECS[f.ref!].table} r on r.external_id = s.${f.name}
                           where s.${f.name} is not null and r.id is null`,
                 )
                 .join('\n               union all\n               ')}
             ) m order by row_no, field limit ${MAX_LISTED}`;
}

export type MissingReference = { row_no: number; field: string; value: string; total: number };

/** Adds the problems `referencesQuery` found. */
export function addMissing(kind: Kind, missing: MissingReference[], problems: Problems) {
  const refs = SPECS[kind].fields.filter((f) => f.ref);
  for (const m of missing) {
    const f = refs.find((r) => r.name === m.field)!;
    problems.add({
      row: m.row_no,
      field: f.name,
      value: show(m.value),
      reason: `${f.name} ${show(m.value)} is not a known ${f.ref!.replace(/s$/, '')}: import ${f.ref} first or check the external_id`,
    });
  }
  const total = missing[0]?.total ?? 0;
  for (let extra = missing.length; extra < total; extra++) problems.total++;
}

/** References to records that do not exist, in the rows of `table`. */
export async function checkReferences(database: Database, tx: Db, kind: Kind, table: string, problems: Problems) {
  const query = referencesQuery(kind, table);
  if (query) addMissing(kind, await database.rows<MissingReference>(sql.raw(query), tx), problems);
}
