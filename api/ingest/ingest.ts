// One ingest: rows are parsed and checked, staged in a temporary table, checked again as a set
// (duplicates, references), then upserted by external_id with the touched rollups recomputed,
// all in one transaction. Any problem: nothing is written and every problem is reported.
import { sql } from 'drizzle-orm';
import { copyText, type Database, type Db } from '../../db/client';
import { createTouchedTables, refreshTouched, TOUCHED, type Touched } from '../rollups/refresh';
import { bumpDataVersion } from '../metrics/reference';
import { CHANGES_CHANNEL, type ChangeNotice } from './notices';
import { Invalid, show } from './fields';
import { SPECS, type Kind, type Value } from './kinds';
import { SourceError, type Source } from './sources';

export interface Problem {
  row: number;
  field: string | null;
  value: string | null;
  reason: string;
}

export interface IngestResult {
  kind: Kind;
  dry_run: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  warnings: string[];
}

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

export const MAX_LISTED = 1000;
/** Rows of COPY text sent at a time. */
const CHUNK_LINES = 2000;

export interface IngestOptions {
  timeZone: string;
  dryRun?: boolean;
  /** Who imports (recorded in the import history). */
  actor: string;
  source: 'api' | 'cli' | 'demo' | 'test';
  maxRows?: number;
  /** Called every few thousand rows with the number of rows read. */
  onProgress?: (rows: number) => void;
  /** When given, receives the seconds spent in each phase (benchmarks). */
  timings?: Record<string, number>;
}

class DryRunDone extends Error {
  constructor(readonly result: IngestResult) {
    super('dry run');
  }
}

class Problems {
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

const STAGE = 'pw_stage';
const CHANGED_OLD = 'pw_changed_old';
const CHANGED_TEAMS = 'pw_changed_teams';

/** Imports one batch; a refused batch is recorded in the import history (nothing else is written). */
export async function ingest(database: Database, kind: Kind, source: Source, options: IngestOptions): Promise<IngestResult> {
  try {
    return await ingestOnce(database, kind, source, options);
  } catch (err) {
    if (!options.dryRun && (err instanceof IngestRejected || err instanceof IngestTooLarge)) {
      const counts = err instanceof IngestRejected ? { problems: err.total } : { too_large: err.limit };
      await database.db
        .execute(sql`insert into import_runs (kind, source, actor, dry_run, status, counts, finished_at)
          values (${kind}, ${options.source}, ${options.actor}, false, 'rejected', ${JSON.stringify(counts)}::jsonb, now())`)
        .catch(() => {});
    }
    throw err;
  }
}

async function ingestOnce(database: Database, kind: Kind, source: Source, options: IngestOptions): Promise<IngestResult> {
  const spec = SPECS[kind];
  const problems = new Problems();
  const warnings: string[] = [];

  // Columns: known, required, unknown (ignored with a warning), duplicated.
  const columns = source.columns.map((c) => c.trim().toLowerCase());
  const index = new Map<string, number>();
  columns.forEach((c, i) => {
    // Blank column names (e.g. the trailing empty columns of spreadsheet exports) are ignored.
    if (c === '') return;
    if (index.has(c)) problems.add({ row: 1, field: c, value: null, reason: `the column '${c}' appears twice in the header` });
    else index.set(c, i);
  });
  const known = new Set(spec.fields.map((f) => f.name));
  const unknown = columns.filter((c) => c !== '' && !known.has(c));
  if (unknown.length > 0) warnings.push(`Unknown column${unknown.length > 1 ? 's' : ''} ignored: ${unknown.join(', ')}.`);
  if (source.format === 'csv') {
    for (const f of spec.fields) {
      if (f.required && !index.has(f.name)) problems.add({ row: 1, field: f.name, value: null, reason: `the required column '${f.name}' is missing from the header` });
    }
    if (problems.total > 0) throw new IngestRejected(kind, problems.sorted(), problems.total, warnings);
  }

  const fields = spec.fields.map((f) => ({ spec: f, at: index.get(f.name) }));
  let lastMark = performance.now();
  const mark = (phase: string) => {
    if (!options.timings) return;
    const now = performance.now();
    options.timings[phase] = (options.timings[phase] ?? 0) + (now - lastMark) / 1000;
    lastMark = now;
  };
  const width = columns.length;
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;

  try {
    return await database.db.transaction(async (txAny) => {
      const tx = txAny as unknown as Db;
      // One ingest at a time: rollup upkeep recomputes whole days.
      await tx.execute(sql`select pg_advisory_xact_lock(7263002)`);
      // Sorts and hashes over a large batch (duplicates, rollups) stay in memory.
      await tx.execute(sql.raw(`set local work_mem = '${database.kind === 'postgres' ? '64MB' : '32MB'}'`));
      const stageColumns = spec.fields.map((f) => `${f.name} ${f.stage}`).join(', ');
      await tx.execute(sql.raw(`create temp table ${STAGE} (row_no int not null, ${stageColumns}) on commit drop`));

      let rows = 0;
      // Rows go in with COPY as they are read: on PostgreSQL the server stores them on its own
      // core meanwhile. Free-text lookups (journey stages, contact reasons) are gathered here:
      // each distinct spelling with the row it first appears in.
      const copy = await database.copyIn(tx, STAGE, ['row_no', ...spec.fields.map((f) => f.name)]);
      const lookups = (spec.lookups ?? []).map((l) => ({ ...l, at: spec.fields.findIndex((f) => f.name === l.field), firsts: new Map<string, number>() }));
      let chunk = '';
      const flush = async () => {
        if (chunk === '') return;
        const text = chunk;
        chunk = '';
        await copy.write(text);
      };
      const lines: string[] = [];
      for await (const batch of source.rows) {
        for (const r of batch) {
          rows++;
          if (rows > maxRows) throw new IngestTooLarge(maxRows);
          if (r.problem) {
            problems.add({ row: r.row, ...r.problem });
            continue;
          }
          if (source.format === 'csv' && r.cells.length !== width) {
            problems.add({ row: r.row, field: null, value: null, reason: `has ${r.cells.length} field${r.cells.length === 1 ? '' : 's'}; the header has ${width}` });
            continue;
          }
          const values: Value[] = [];
          let bad = false;
          for (const { spec: f, at } of fields) {
            const raw = at === undefined ? '' : (r.cells[at] ?? '');
            const parsed = f.parse(raw, options.timeZone);
            if (parsed instanceof Invalid) {
              problems.add({ row: r.row, field: f.name, value: show(raw), reason: `${f.name} ${parsed.reason}` });
              bad = true;
            } else if (parsed === null && f.required) {
              problems.add({ row: r.row, field: f.name, value: null, reason: `${f.name} is required` });
              bad = true;
            }
            values.push(parsed as Value);
          }
          if (!bad && spec.check) {
            const record = Object.fromEntries(fields.map(({ spec: f }, i) => [f.name, values[i]!]));
            for (const [field, reason] of spec.check(record)) {
              problems.add({ row: r.row, field, value: show(String(record[field] ?? '')), reason: `${field} ${reason}` });
              bad = true;
            }
          }
          if (bad) continue;
          let line = String(r.row);
          for (const v of values) line += '\t' + copyText(v);
          lines.push(line);
          for (const l of lookups) {
            const v = values[l.at];
            if (typeof v === 'string' && !l.firsts.has(v)) l.firsts.set(v, r.row);
          }
          if (options.onProgress && rows % 10_000 === 0) options.onProgress(rows);
        }
        if (lines.length >= CHUNK_LINES) {
          chunk = lines.join('\n') + '\n';
          lines.length = 0;
          await flush();
        }
      }
      if (lines.length > 0) chunk = lines.join('\n') + '\n';
      await flush();
      await copy.end();
      mark('read, check and stage rows');
      options.onProgress?.(rows);
      if (rows === 0) warnings.push('The batch has no rows.');

      await checkSet(database, tx, kind, problems);
      mark('duplicates and references');
      if (problems.total > 0) throw new IngestRejected(kind, problems.sorted(), problems.total, warnings);

      const counts = await upsert(database, tx, kind, options.timeZone, lookups, mark);
      // Exact duplicates were collapsed (on success every row read was staged otherwise).
      const collapsed = rows - counts.staged;
      if (collapsed > 0) warnings.push(`${collapsed} row${collapsed === 1 ? '' : 's'} repeated an earlier row exactly (same external_id and values) and ${collapsed === 1 ? 'was' : 'were'} counted once.`);
      const result: IngestResult = {
        kind,
        dry_run: options.dryRun === true,
        rows,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.staged - counts.inserted - counts.updated,
        warnings,
      };
      if (options.dryRun) throw new DryRunDone(result);
      if (counts.inserted + counts.updated > 0) {
        await tx.execute(bumpDataVersion);
        await notify(tx, counts.notice);
      }
      await tx.execute(sql`insert into import_runs (kind, source, actor, dry_run, status, counts, finished_at)
        values (${kind}, ${options.source}, ${options.actor}, false, 'imported',
                ${JSON.stringify({ rows, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged })}::jsonb, now())`);
      return result;
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.result;
    if (err instanceof SourceError) {
      problems.add({ row: err.row, field: null, value: null, reason: err.reason });
      throw new IngestRejected(kind, problems.sorted(), problems.total, warnings);
    }
    throw err;
  }
}

/** Checks across rows: one external_id with different values, and references to unknown records. */
async function checkSet(database: Database, tx: Db, kind: Kind, problems: Problems) {
  const spec = SPECS[kind];
  const payload = spec.fields.filter((f) => f.name !== 'external_id').map((f) => `s.${f.name}`).join(', ');
  const dups = await database.rows<{ external_id: string; rows: number[]; variants: number }>(
    sql.raw(`with repeated as (select external_id from ${STAGE} group by external_id having count(*) > 1)
             select external_id, (array_agg(row_no order by row_no))[1:20] as rows, count(distinct md5(row(${payload})::text))::int as variants
             from ${STAGE} s join repeated using (external_id)
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
  // Exact duplicates are one record: keep the first.
  if (dups.length > 0) await tx.execute(sql.raw(`delete from ${STAGE} a using ${STAGE} b where a.external_id = b.external_id and a.row_no > b.row_no`));

  for (const f of spec.fields) {
    if (!f.ref) continue;
    const target = SPECS[f.ref].table;
    const singular = f.ref.replace(/s$/, '');
    const missing = await database.rows<{ row_no: number; value: string; total: number }>(
      sql.raw(`select s.row_no, s.${f.name} as value, count(*) over ()::int as total
               from ${STAGE} s left join ${target} r on r.external_id = s.${f.name}
               where s.${f.name} is not null and r.id is null order by s.row_no limit ${MAX_LISTED}`),
      tx,
    );
    for (const m of missing) {
      problems.add({ row: m.row_no, field: f.name, value: show(m.value), reason: `${f.name} ${show(m.value)} is not a known ${singular}: import ${f.ref} first or check the external_id` });
    }
    const total = missing[0]?.total ?? 0;
    for (let extra = missing.length; extra < total; extra++) problems.total++;
  }
}

/** A free-text lookup field and each distinct spelling in the batch with the row it first appears in. */
interface Lookup {
  field: string;
  table: string;
  firsts: Map<string, number>;
}

/** The timestamp that places a record in a day, for the kinds that have one. */
const DAY_COLUMN: Partial<Record<Kind, string>> = { interactions: 'occurred_at', surveys: 'responded_at', referrals: 'referred_at' };

async function upsert(database: Database, tx: Db, kind: Kind, tz: string, lookups: Lookup[], mark: (phase: string) => void) {
  const spec = SPECS[kind];
  const table = spec.table;
  // Free-text lookups: matched case-folded (by PostgreSQL's lower, as the join below), the first spelling kept.
  for (const l of lookups) {
    if (l.firsts.size === 0) continue;
    const spellings = JSON.stringify([...l.firsts].map(([v, row]) => ({ v, row })));
    await tx.execute(
      sql`insert into ${sql.raw(l.table)} (key, label)
          select distinct on (lower(v)) lower(v), v from json_to_recordset(${spellings}::json) as x(v text, row int)
          order by lower(v), row
          on conflict (key) do nothing`,
    );
  }
  const joins = [
    ...spec.fields.filter((f) => f.ref).map((f) => `left join ${SPECS[f.ref!].table} r_${f.name} on r_${f.name}.external_id = s.${f.name}`),
    ...(spec.lookups ?? []).map((l) => `left join ${l.table} l_${l.field} on l_${l.field}.key = lower(s.${l.field})`),
  ].join('\n        ');
  const cols = spec.columns.map(([c]) => c);
  const at = DAY_COLUMN[kind];
  // The team a changed record belongs to, for the change notice.
  const team = (row: string) =>
    kind === 'interactions' || kind === 'agents'
      ? `${row}team_id`
      : kind === 'surveys'
        ? `coalesce(${row}team_id, (select i.team_id from interactions i where i.id = ${row}interaction_id))`
        : 'null::bigint';
  // Rows of the kind's own day rollups that the change touches (old and new placement).
  const ownDays = kind === 'interactions' ? TOUCHED.interactions : kind === 'surveys' ? TOUCHED.surveys : null;
  await createTouchedTables(tx);
  await tx.execute(sql.raw(`create temp table ${CHANGED_OLD} (id bigint not null) on commit drop`));
  await tx.execute(sql.raw(`create temp table ${CHANGED_TEAMS} (team_id bigint not null) on commit drop`));
  // One statement: upsert only what differs; keep the ids of updated records, the days touched
  // (new and previous placement) and the teams — every part of a WITH sees the table as it was
  // before the statement, so \`old\` holds the previous values.
  const [counts] = await database.rows<{ inserted: number; updated: number; staged: number }>(
    sql`
      with up as (
        insert into ${sql.raw(table)} (external_id, ${sql.raw(cols.join(', '))})
        select s.external_id, ${sql.raw(spec.columns.map(([, e]) => e).join(', '))}
        from ${sql.raw(STAGE)} s
        ${sql.raw(joins)}
        on conflict (external_id) do update set ${sql.raw(cols.map((c) => `${c} = excluded.${c}`).join(', '))}, updated_at = now()
        where (${sql.raw(cols.map((c) => `${table}.${c}`).join(', '))}) is distinct from (${sql.raw(cols.map((c) => `excluded.${c}`).join(', '))})
        returning id, (xmax = 0) as inserted, ${sql.raw(at ?? 'null::timestamptz')} as at, ${sql.raw(team(''))} as team_id
      ),
      old as (
        select t.id, ${sql.raw(at ? `t.${at}` : 'null::timestamptz')} as at, ${sql.raw(team('t.'))} as team_id
        from ${sql.raw(table)} t where t.id in (select id from up where not inserted)
      ),
      kept_old as (insert into ${sql.raw(CHANGED_OLD)} (id) select id from old),
      kept_teams as (insert into ${sql.raw(CHANGED_TEAMS)} (team_id) select distinct team_id from (select team_id from up union select team_id from old) x where team_id is not null),
      kept_days as (
        insert into ${sql.raw(ownDays ?? TOUCHED.interactions)} (day)
        select distinct timezone(${tz}, at)::date from (select at from up union all select at from old) x
        where at is not null and ${ownDays ? sql`true` : sql`false`}
        on conflict do nothing
      )
      select (select count(*) from up where inserted)::int as inserted,
             (select count(*) from up where not inserted)::int as updated,
             (select count(*) from ${sql.raw(STAGE)})::int as staged`,
    tx,
  );
  const { inserted, updated, staged } = counts!;
  mark('upsert');
  const notice: ChangeNotice = { kinds: [kind], inserted, updated, from: null, to: null, teams: [] };
  if (inserted + updated === 0) return { inserted, updated, staged, notice };

  const touch = (name: string, query: string) =>
    tx.execute(sql`insert into ${sql.raw(name)} (day) select distinct timezone(${tz}, at)::date from (${sql.raw(query)}) q where at is not null on conflict do nothing`);
  const touched: Touched = {};
  if (kind === 'interactions') {
    // Surveys inherit from their interaction and are bucketed by its wait.
    await touch(TOUCHED.surveys, `select responded_at as at from surveys where interaction_id in (select id from ${CHANGED_OLD})`);
    Object.assign(touched, { interactions: true, surveys: true });
  } else if (kind === 'surveys') {
    touched.surveys = true;
  } else if (kind === 'agents') {
    // A survey with neither interaction nor team takes its agent's team.
    await touch(TOUCHED.surveys, `select responded_at as at from surveys where agent_id in (select id from ${CHANGED_OLD}) and interaction_id is null and team_id is null`);
    Object.assign(touched, { agents: true, surveys: true });
  } else if (kind === 'customers') {
    touched.customers = true;
  } else if (kind === 'referrals') {
    touched.referrals = true;
  }
  await refreshTouched(tx, tz, touched);
  mark('rollups');

  // What changed, for live views: the span of days and (for events) the teams.
  const [span] = await database.rows<{ from: string | null; to: string | null }>(
    sql.raw(`select min(day)::text as from, max(day)::text as to from (select day from ${TOUCHED.interactions} union all select day from ${TOUCHED.surveys}) d`),
    tx,
  );
  notice.from = span?.from ?? null;
  notice.to = span?.to ?? null;
  const teams = await database.rows<{ external_id: string }>(
    sql.raw(`select distinct tm.external_id from ${CHANGED_TEAMS} c join teams tm on tm.id = c.team_id order by 1 limit 50`),
    tx,
  );
  notice.teams = teams.map((t) => t.external_id);
  return { inserted, updated, staged, notice };
}

async function notify(tx: Db, notice: ChangeNotice) {
  await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(notice)})`);
}
