// One ingest, in one transaction: rows are parsed and checked here a chunk at a time; each chunk
// is copied into a temporary table, its references are checked and it is upserted by external_id
// while the next chunk is read; then, if an id came twice, the whole batch is checked for
// conflicting duplicates, and the touched rollups are recomputed (api/ingest/upsert.ts). Any
// problem: nothing is written and every problem is reported.
import { sql } from 'drizzle-orm';
import { copyText, type Database, type Db } from '../../db/client';
import { KEPT_NAMES, KeptStatements, literal } from '../../db/kept';
import { keepTables, truncateKept, type KeptTable } from '../../db/temp';
import { finishImport, startImport } from '../admin-log/store';
import { INGEST } from '../limits';
import {
  addMissing,
  checkDuplicates,
  checkReferences,
  Problems,
  referencesQuery,
  type MissingReference,
} from './checks';
import { parseRow, SPECS, type Kind } from './kinds';
import { importOutcome, IngestRejected, IngestTooLarge } from './outcome';
import { SourceError, type Source } from './sources';

export { importOutcome, IngestAborted, IngestRejected, IngestTooLarge } from './outcome';
import { SeenIds } from './seen-ids';
import { prepareUpsert, upsertTables, type Change, type Lookup } from './upsert';
import { fillQuoteTexts } from '../quotes/search-text';

export interface IngestResult {
  kind: Kind;
  dry_run: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  warnings: string[];
  /** With `reportChanges`: the external ids inserted or updated (the rest of the batch was unchanged). */
  changed?: Map<string, Change>;
}

/** Rows written (and upserted) at a time, while the next are read. */
const CHUNK_ROWS = 25_000;
/**
 * Interactions or surveys up to this many in a batch (a group of events) are staged, checked,
 * upserted and rolled up by kept statements, a few round trips in all (db/kept.ts).
 */
const KEPT_ROWS = 5_000;

export interface IngestOptions {
  timeZone: string;
  dryRun?: boolean;
  /** Who imports (recorded in the import history). */
  actor: string;
  source: 'api' | 'cli' | 'demo' | 'test';
  maxRows?: number;
  /** Called every few thousand rows with the number of rows read. */
  onProgress?: (rows: number) => void;
  /** Rows written (and upserted) at a time; tests make it small to cross chunk boundaries. */
  chunkRows?: number;
  /** Ids remembered to tell whether the batch repeats one (tests make it small). */
  trackedIds?: number;
  /** When given, receives the seconds spent in each phase (benchmarks). */
  timings?: Record<string, number>;
  /** The import history's record of this import, when the caller started it (`startImport`). */
  runId?: number;
  /** Each statement's time limit in the import's transaction, in ms (0: none). */
  statementTimeoutMs?: number;
  /** Answer which external ids were inserted or updated (events tell each sender its own). */
  reportChanges?: boolean;
  /**
   * Commit without waiting for the disk (PostgreSQL's synchronous_commit off): the caller must
   * wait for `database.durable()` before telling anyone the rows are safe. Events do, so the next
   * group need not wait for this one's flush.
   */
  deferDurability?: boolean;
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

class DryRunDone extends Error {
  constructor(readonly result: IngestResult) {
    super('dry run');
  }
}

/**
 * The staging rows' shape per kind (no rows; kept by the connection, db/temp.ts); each chunk's own
 * table until commit (a later row may repeat one of its ids; the first one kept by the connection,
 * `pw_chunk_<kind>_0`, later ones `pw_chunk_<n>`); every row of the batch, gathered for the duplicate check
 * only when the batch repeats an id; past `TRACKED_IDS` rows, the one table each further chunk
 * goes through on its way to the stage.
 */
const SHAPE = 'pw_rows';
const CHUNK = 'pw_chunk_';
const STAGE = 'pw_stage';
const TAIL = 'pw_chunk_tail';
/**
 * Ids remembered (as hashes: 32 MB at most) to know whether a batch repeats one. A larger batch
 * (the CLI streams files of any size) keeps every further row in the stage and always has its
 * duplicates checked, as memory and the number of temporary tables stay bounded.
 */
const TRACKED_IDS = 2_000_000;

/**
 * Imports one batch. Every import but a dry run is in the import history: recorded as it starts
 * (unless the caller did), its success with its rows, any other outcome after the rollback.
 */
export async function ingest(
  database: Database,
  kind: Kind,
  source: Source,
  options: IngestOptions,
): Promise<IngestResult> {
  const runId = options.dryRun
    ? undefined
    : (options.runId ?? (await startImport(database.db, { kind, source: options.source, actor: options.actor })));
  try {
    const result = await ingestOnce(database, kind, source, { ...options, runId });
    // New consented comments get their searchable shown text now rather than on the next read
    // of quotes (which would otherwise do it); a failure here leaves it to that read.
    if (kind === 'surveys' && !result.dry_run && result.inserted + result.updated > 0)
      await fillQuoteTexts(database).catch(() => {});
    return result;
  } catch (err) {
    // A failed record (the database gone) must not hide the import's own error.
    if (runId !== undefined) await finishImport(database.db, runId, ...importOutcome(err)).catch(() => {});
    throw err;
  }
}

async function ingestOnce(
  database: Database,
  kind: Kind,
  source: Source,
  options: IngestOptions,
): Promise<IngestResult> {
  const spec = SPECS[kind];
  const problems = new Problems();
  const warnings: string[] = [];

  // Columns: known, required, unknown (ignored with a warning), duplicated.
  const columns = source.columns.map((c) => c.trim().toLowerCase());
  const index = new Map<string, number>();
  columns.forEach((c, i) => {
    // Blank column names (e.g. the trailing empty columns of spreadsheet exports) are ignored.
    if (c === '') return;
    if (index.has(c))
      problems.add({ row: 1, field: c, value: null, reason: `the column '${c}' appears twice in the header` });
    else index.set(c, i);
  });
  const known = new Set(spec.fields.map((f) => f.name));
  const unknown = columns.filter((c) => c !== '' && !known.has(c));
  if (unknown.length > 0)
    warnings.push(`Unknown column${unknown.length > 1 ? 's' : ''} ignored: ${unknown.join(', ')}.`);
  if (source.format === 'csv') {
    for (const f of spec.fields) {
      if (f.required && !index.has(f.name))
        problems.add({
          row: 1,
          field: f.name,
          value: null,
          reason: `the required column '${f.name}' is missing from the header`,
        });
    }
    if (problems.total > 0) throw new IngestRejected(kind, problems.sorted(), problems.total, warnings);
  }

  try {
    return await database.db.transaction(async (txAny) => {
      const result = await ingestInTransaction(
        database,
        txAny as unknown as Db,
        kind,
        source,
        options,
        problems,
        warnings,
      );
      // A dry run's answer is known before the rollups: the transaction is undone.
      if (options.dryRun) throw new DryRunDone(result);
      return result;
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.result;
    throw err;
  }
}

/**
 * One kind's batch inside a transaction the caller holds (a source writes several kinds in one).
 * A dry run stops before the rollups; the caller must roll the transaction back. Problems throw
 * IngestRejected; the temporary tables are left for the caller (`dropTemporaryTables`).
 */
export async function ingestKind(
  database: Database,
  tx: Db,
  kind: Kind,
  source: Source,
  options: IngestOptions,
): Promise<IngestResult> {
  return ingestInTransaction(database, tx, kind, source, options, new Problems(), []);
}

/** Small batches so far (this process), for `TRUNCATE_EVERY`. */
let smallBatches = 0;
/** A small batch truncates the connection's kept tables once in this many (db/temp.ts). */
const TRUNCATE_EVERY = 256;

/** Drops this session's temporary tables: the next kind of one transaction makes its own. */
export async function dropTemporaryTables(database: Database, tx: Db) {
  const tables = await database.rows<{ name: string }>(
    sql`select relname as name from pg_class where relnamespace = pg_my_temp_schema() and relkind = 'r'`,
    tx,
  );
  if (tables.length > 0)
    await tx.execute(sql.raw(`drop table ${tables.map((t) => `"${t.name.replace(/"/g, '""')}"`).join(', ')}`));
}

async function ingestInTransaction(
  database: Database,
  tx: Db,
  kind: Kind,
  source: Source,
  options: IngestOptions,
  problems: Problems,
  warnings: string[],
): Promise<IngestResult> {
  const spec = SPECS[kind];
  const columns = source.columns.map((c) => c.trim().toLowerCase());
  const index = new Map<string, number>();
  columns.forEach((c, i) => {
    if (c !== '' && !index.has(c)) index.set(c, i);
  });
  const fields = spec.fields.map((f) => ({
    spec: f,
    at: index.get(f.name),
    parse: source.parsers?.[f.name] ?? f.parse,
  }));
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
    {
      // In one statement (a group of a few events pays for each round trip): a whole batch's
      // statements (its rollups, its duplicate check) may take longer than the connections allow
      // a read; sorts and hashes over a large batch stay in memory; and one ingest at a time:
      // rollup upkeep subtracts what a record contributed as the statement read it, which a
      // concurrent writer of the same record would make wrong.
      const timeout = Math.max(0, Math.floor(options.statementTimeoutMs ?? INGEST.statementTimeoutMs));
      const stageColumns = spec.fields.map((f) => `${f.name} ${f.stage}`).join(', ');
      const shape = `${SHAPE}_${kind}`;
      // The temporary tables the connection keeps (made once), then the settings and the lock,
      // and which kept statements the connection has: one round trip.
      const keptTables: KeptTable[] = [
        { name: shape, definition: `(row_no int not null, ${stageColumns})` },
        { name: `${CHUNK}${kind}_0`, definition: `(like ${shape})` },
        ...upsertTables(kind),
      ];
      const [setup] = await database.script<{ kept: string[] }>(
        tx,
        [
          // "already exists, skipping": a notice per kept table otherwise, every group of events.
          `set local client_min_messages = warning`,
          ...keepTables(keptTables),
          `select set_config('statement_timeout', ${literal(String(timeout))}, true), set_config('work_mem', ${literal(database.kind === 'postgres' ? '64MB' : '32MB')}, true),
                  ${options.deferDurability ? `set_config('synchronous_commit', 'off', true),` : ''} pg_advisory_xact_lock(7263002), ${KEPT_NAMES}`,
        ].join(';\n'),
      );
      const keptStatements = new KeptStatements(setup?.kept ?? []);
      const lookups: Lookup[] = (spec.lookups ?? []).map((l) => ({
        ...l,
        at: spec.fields.findIndex((f) => f.name === l.field),
        firsts: new Map<string, number>(),
      }));
      const upserter = await prepareUpsert(database, tx, kind, options.timeZone, lookups, {
        reportChanges: options.reportChanges,
      });
      const totals = { inserted: 0, updated: 0 };

      // Rows are read a chunk at a time. Each chunk goes in with COPY, has its references
      // checked and, while the batch is free of problems, is upserted — all while the next chunk
      // is read and checked here (on PostgreSQL the server works on its own core meanwhile).
      // A problem found later refuses the batch and the transaction undoes every chunk.
      let rows = 0;
      let inFlight: Promise<void> = Promise.resolve();
      let writing = false;
      let failed: unknown = null;
      /** Spellings of lookup fields first seen in the chunk being read, per lookup. */
      let spellings = lookups.map(() => [] as Array<[string, number]>);
      /** External ids the batch has brought: a chunk repeating one needs the upsert to pick one. */
      let seen: SeenIds | null = new SeenIds();
      let tracked = 0;
      const trackedIds = options.trackedIds ?? TRACKED_IDS;
      let repeats = false;
      let batchRepeats = false;
      const chunkTables: string[] = [];
      /** Kept tables this batch dropped (its first chunk's, once the chunks move into the stage). */
      const dropped = new Set<string>();
      /** Whether every chunk's rows are being gathered in the stage (past `trackedIds` rows). */
      let staging = false;
      const idAt = spec.fields.findIndex((f) => f.name === 'external_id');
      /** The chunk's rows as COPY text, or (`json`) a small batch's only chunk as a JSON array of row objects. */
      const writeChunk = async (
        text: string,
        count: number,
        chunkSpellings: Array<Array<[string, number]>>,
        chunkRepeats: boolean,
        chunkStaged: boolean,
        json?: string,
      ) => {
        // The first chunk's table is kept by the connection (a batch of a few events has only it).
        const table = chunkStaged
          ? TAIL
          : chunkTables.length === 0
            ? `${CHUNK}${kind}_0`
            : `${CHUNK}${chunkTables.length}`;
        if (json !== undefined) {
          // A small batch: staged and its references checked in one round trip, then upserted and
          // rolled up by kept statements (the whole group of events in a few round trips).
          chunkTables.push(table);
          const check = referencesQuery(kind, table);
          const missing = await database.script<MissingReference>(
            tx,
            `insert into ${table} select * from json_populate_recordset(null::${table}, ${literal(json)});\n${check ? keptStatements.run(check) : 'select 1 where false'}`,
          );
          addMissing(kind, missing, problems);
          if (problems.total === 0) {
            const c = await upserter.chunk(table, chunkSpellings, chunkRepeats, count, keptStatements);
            totals.inserted += c.inserted;
            totals.updated += c.updated;
          }
          return;
        }
        if (chunkStaged) {
          if (!staging) {
            // The chunks so far move into the stage, and their tables go.
            await tx.execute(sql.raw(`create temp table ${STAGE} (like ${shape}) on commit drop`));
            await tx.execute(sql.raw(`create temp table ${TAIL} (like ${shape}) on commit drop`));
            for (const t of chunkTables.splice(0)) {
              await tx.execute(sql.raw(`insert into ${STAGE} select * from ${t}`));
              await tx.execute(sql.raw(`drop table ${t}`));
              dropped.add(t);
            }
            staging = true;
          }
          await tx.execute(sql.raw(`truncate ${TAIL}`));
        } else {
          // The first chunk's table was made with the transaction's first statement.
          if (chunkTables.length > 0)
            await tx.execute(sql.raw(`create temp table ${table} (like ${shape}) on commit drop`));
          chunkTables.push(table);
        }
        const copy = await database.copyIn(tx, table, ['row_no', ...spec.fields.map((f) => f.name)]);
        await copy.write(text);
        await copy.end();
        if (chunkStaged) await tx.execute(sql.raw(`insert into ${STAGE} select * from ${TAIL}`));
        await checkReferences(database, tx, kind, table, problems);
        if (problems.total === 0) {
          const c = await upserter.chunk(table, chunkSpellings, chunkRepeats, count);
          totals.inserted += c.inserted;
          totals.updated += c.updated;
        }
      };
      const dispatch = async (text: string, count: number, json?: string) => {
        const waitStart = performance.now();
        await inFlight;
        // For benchmarks: how long reading waited for the database (the rest ran alongside it).
        if (options.timings)
          options.timings['(reading waited for the database)'] =
            (options.timings['(reading waited for the database)'] ?? 0) + (performance.now() - waitStart) / 1000;
        if (failed) throw failed;
        const chunkSpellings = spellings;
        // Past the ids remembered, any chunk may repeat an id.
        const chunkRepeats = repeats || seen === null;
        spellings = lookups.map(() => []);
        repeats = false;
        writing = true;
        inFlight = writeChunk(text, count, chunkSpellings, chunkRepeats, seen === null, json)
          .catch((err: unknown) => void (failed = err))
          .finally(() => (writing = false));
      };
      const lines: string[] = [];
      const out: string[] = new Array<string>(fields.length + 1);
      /** A small batch of interactions or surveys (one chunk, at most KEPT_ROWS), kept as row objects until it proves larger. */
      let small: Array<Record<string, unknown>> | null = kind === 'interactions' || kind === 'surveys' ? [] : null;
      try {
        for await (const batch of source.rows) {
          for (const r of batch) {
            rows++;
            if (rows > maxRows) throw new IngestTooLarge(maxRows);
            if (r.problem || r.problems) {
              if (r.problem) problems.add({ row: r.row, ...r.problem });
              for (const p of r.problems ?? []) problems.add({ row: r.row, ...p });
              continue;
            }
            if (source.format === 'csv' && r.cells.length !== width) {
              problems.add({
                row: r.row,
                field: null,
                value: null,
                reason: `has ${r.cells.length} field${r.cells.length === 1 ? '' : 's'}; the header has ${width}`,
              });
              continue;
            }
            const values = parseRow(spec, fields, r.row, r.cells, options.timeZone, problems);
            if (!values) continue;
            // One flat string per row, joined from a reused array (fewer objects to collect).
            out[0] = String(r.row);
            for (let i = 0; i < values.length; i++) out[i + 1] = copyText(values[i]);
            lines.push(out.join('\t'));
            if (small && small.length < KEPT_ROWS) {
              const o: Record<string, unknown> = { row_no: r.row };
              for (let i = 0; i < values.length; i++) o[spec.fields[i]!.name] = values[i] ?? null;
              small.push(o);
            } else small = null;
            const id = values[idAt] as string;
            if (seen && !seen.add(id)) repeats = batchRepeats = true;
            if (seen && ++tracked >= trackedIds) {
              seen = null;
              batchRepeats = true;
            }
            for (const [i, l] of lookups.entries()) {
              const v = values[l.at];
              if (typeof v === 'string' && !l.firsts.has(v)) {
                l.firsts.set(v, r.row);
                spellings[i]!.push([v, r.row]);
              }
            }
            if (options.onProgress && rows % 10_000 === 0) options.onProgress(rows);
          }
          if (lines.length >= (options.chunkRows ?? CHUNK_ROWS)) {
            const text = lines.join('\n') + '\n';
            const count = lines.length;
            lines.length = 0;
            small = null;
            await dispatch(text, count);
          }
          // Let the database's answers in between batches while a chunk is being written: input
          // already buffered arrives as resolved promises, and without a turn of the event loop
          // each statement of the chunk waited for much of the next chunk to be read first.
          if (writing) await yieldToIo();
        }
        if (lines.length > 0)
          await dispatch(
            lines.join('\n') + '\n',
            lines.length,
            small && chunkTables.length === 0 ? JSON.stringify(small) : undefined,
          );
      } finally {
        // Never leave a chunk running when the batch stops early (too large, client gone): the
        // transaction must end after it.
        await inFlight;
      }
      await inFlight;
      if (failed) throw failed;
      mark('read, stage, check references and upsert');
      options.onProgress?.(rows);
      if (rows === 0) warnings.push('The batch has no rows.');

      // Only a batch that repeats an id (or a hash of one) needs its rows compared.
      let collapsed = 0;
      if (batchRepeats) {
        if (!staging)
          await tx.execute(
            sql.raw(
              `create temp table ${STAGE} on commit drop as ${chunkTables.map((t) => `select * from ${t}`).join(' union all ')}`,
            ),
          );
        collapsed = await checkDuplicates(database, tx, kind, STAGE, problems);
      }
      mark('duplicates');
      if (problems.total > 0) throw new IngestRejected(kind, problems.sorted(), problems.total, warnings);

      // Exact duplicates were collapsed (on success every row read was staged otherwise).
      if (collapsed > 0)
        warnings.push(
          `${collapsed} row${collapsed === 1 ? '' : 's'} repeated an earlier row exactly (same external_id and values) and ${collapsed === 1 ? 'was' : 'were'} counted once.`,
        );
      const counts = { ...totals, staged: rows - collapsed };
      const result: IngestResult = {
        kind,
        dry_run: options.dryRun === true,
        rows,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.staged - counts.inserted - counts.updated,
        warnings,
      };
      if (options.reportChanges) result.changed = await upserter.changes();
      // A dry run's answer is known here: recomputing rollups only to roll them back was most of
      // its time (10 rows beside 20,000 on PGlite: median 118–151 ms with them, 45 ms without).
      if (options.dryRun) return result;
      // The rollups, the data version and the notice to live views (sent at commit).
      const wasSmall = small !== null && chunkTables.length === 1;
      await upserter.finish(counts.inserted, counts.updated, wasSmall ? keptStatements : undefined);
      // The kept tables, emptied for good after a large batch and after every 256th small one (db/temp.ts).
      if (!wasSmall || ++smallBatches % TRUNCATE_EVERY === 0)
        await tx.execute(sql.raw(truncateKept(keptTables.filter((t) => !dropped.has(t.name)))));
      mark('rollups');
      // Committed with the rows, or not at all.
      if (options.runId !== undefined)
        await finishImport(tx, options.runId, 'imported', {
          rows,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
        });
      return result;
    }
  } catch (err) {
    if (err instanceof SourceError) {
      problems.add({ row: err.row, field: null, value: null, reason: err.reason });
      throw new IngestRejected(kind, problems.sorted(), problems.total, warnings);
    }
    throw err;
  }
}
