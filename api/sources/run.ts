// Importing a file through a source's mapping: every row becomes records of one or several kinds
// (a call row with a rating: an interaction and a survey), names become references (the agent
// named Diane, created when the source says so), and all of it goes in through the contract's own
// ingest (api/ingest/ingest.ts), kind after kind, in one transaction: all or nothing, and
// importing the same file again changes nothing. Problems name the file's own row and column.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { type Problem } from '../ingest/checks';
import { parseTimestamp, show, type Parsed } from '../ingest/fields';
import { dropTemporaryTables, IngestRejected, ingestKind, type IngestOptions } from '../ingest/ingest';
import type { Change } from '../ingest/upsert';
import { SPECS, type Kind, type Value } from '../ingest/kinds';
import { SourceError, type Source, type SourceRow } from '../ingest/sources';
import {
  closeTable,
  compileMapping,
  dataRows,
  mapRow,
  NameUnknown,
  nameId,
  nameKey,
  type CompiledOutput,
  type Names,
  type RefKind,
  type Strict,
} from './map-rows';
import { KIND_ORDER, type Mapping } from './mapping';
import type { Table } from './read';

export { compileMapping, mapRow, nameKey, previewRows, type Names, type RefKind } from './map-rows';

/** A problem of a mapped file: the file's row, the kind being made, the contract field and the file's column. */
export interface SourceProblem extends Problem {
  kind: Kind | null;
  column: string | null;
}

export class SourceRejected extends Error {
  constructor(
    readonly problems: SourceProblem[],
    readonly total: number,
    readonly warnings: string[],
  ) {
    super(`${total.toLocaleString('en')} problem${total === 1 ? '' : 's'} in the file; nothing was imported`);
    this.name = 'SourceRejected';
  }
}

export interface KindCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface SourceRunResult {
  dry_run: boolean;
  /** Rows of the file. */
  rows: number;
  results: Partial<Record<Kind, KindCounts>>;
  warnings: string[];
  names: Names;
  /**
   * With `reportChanges`: per kind the mapping makes, each row's external_id (rows that made a
   * record) and the ids inserted or updated (the rest unchanged). Events tell each sender its own.
   */
  changes?: Partial<Record<Kind, { ids: Map<number, string>; changed: Map<string, Change> }>>;
}

export type OpenTable = () => Promise<Table>;

export interface RunOptions extends Pick<
  IngestOptions,
  'timeZone' | 'dryRun' | 'maxRows' | 'statementTimeoutMs' | 'chunkRows' | 'reportChanges' | 'deferDurability'
> {
  /** Called with the pass under way and the rows read so far in it. */
  onProgress?: (pass: string, rows: number) => void;
}

const LIST = 1000;

const OWN_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** A timestamp as a datetime transform writes it (toISOString), as epoch milliseconds; anything else as the contract reads it. */
function readOwnTimestamp(raw: string, timeZone: string): Parsed<Value> {
  if (raw === '') return null;
  if (OWN_ISO.test(raw)) {
    const ms = Date.parse(raw);
    const y = Number(raw.slice(0, 4));
    if (Number.isFinite(ms) && y >= 1900 && y <= 2200) return ms;
  }
  return parseTimestamp(raw, timeZone);
}

class DryRunDone extends Error {
  constructor(readonly result: SourceRunResult) {
    super('dry run');
  }
}

interface NameUse {
  name: string;
  row: number;
  column: string | null;
  /** For an agent to create: its team as the row gave it, and whether that is a name. */
  team?: { value: string; byName: boolean } | null;
}

/**
 * Imports a file through a mapping, all or nothing. `open` opens the file afresh (it is read once
 * to gather names, if any are looked up, and once per kind).
 */
export async function runSource(
  database: Database,
  mapping: Mapping,
  open: OpenTable,
  options: RunOptions,
): Promise<SourceRunResult> {
  const warnings: string[] = [];
  const problems: SourceProblem[] = [];
  let total = 0;
  const add = (p: SourceProblem) => {
    total++;
    if (problems.length < LIST) problems.push(p);
  };
  const reject = () => {
    problems.sort((a, b) => a.row - b.row || (a.column ?? '').localeCompare(b.column ?? ''));
    return new SourceRejected(problems, total, warnings);
  };

  // The mapping against the file's header: a column it names must be there (JSON records may
  // leave a key out, so there it is only a warning).
  const first = await open();
  const json = first.format.type === 'json' || first.format.type === 'ndjson';
  const outputs = compileMapping(mapping, first.columns, options.timeZone, (column, kind, field, optional) => {
    if (json || optional)
      warnings.push(
        `${json ? 'No record has' : 'The file has no column'} '${column}' (mapped to ${kind}.${field}): it is read as empty.`,
      );
    else
      add({
        row: 1,
        kind,
        field,
        column,
        value: null,
        reason: `the column '${column}' (mapped to ${kind}.${field}) is not in the file's header`,
      });
  });
  await closeTable(first);
  if (total > 0) throw reject();

  const names: Names = { teams: new Map(), agents: new Map() };
  const results: Partial<Record<Kind, KindCounts>> = {};
  const count = (kind: Kind, c: KindCounts) => {
    const r = (results[kind] ??= { inserted: 0, updated: 0, unchanged: 0 });
    r.inserted += c.inserted;
    r.updated += c.updated;
    r.unchanged += c.unchanged;
  };
  const looksUp = (kind: RefKind) => outputs.some((o) => o.fields.some((f) => f.lookup?.kind === kind));
  let changes: SourceRunResult['changes'] = options.reportChanges ? {} : undefined;
  let rows = 0;

  const ingestOptions = (pass: string): IngestOptions => ({
    timeZone: options.timeZone,
    dryRun: options.dryRun,
    actor: 'source',
    source: 'api',
    maxRows: options.maxRows,
    statementTimeoutMs: options.statementTimeoutMs,
    chunkRows: options.chunkRows,
    reportChanges: options.reportChanges,
    deferDurability: options.deferDurability,
    onProgress: options.onProgress ? (n) => options.onProgress!(pass, n) : undefined,
  });

  /** One kind's records through the contract's ingest; problems are told in the file's terms. */
  const write = async (
    tx: Db,
    kind: Kind,
    source: Source,
    columnOf: (field: string | null) => string | null,
    pass: string,
  ) => {
    try {
      const r = await ingestKind(database, tx, kind, source, ingestOptions(pass));
      warnings.push(...r.warnings.map((w) => `${kind}: ${w}`));
      count(kind, r);
      if (changes && r.changed) {
        const c = (changes[kind] ??= { ids: new Map(), changed: new Map() });
        for (const [id, change] of r.changed) if (!c.changed.has(id)) c.changed.set(id, change);
      }
      return r;
    } catch (err) {
      if (err instanceof IngestRejected) {
        for (const p of err.problems)
          add({ ...p, kind, column: (p as Partial<SourceProblem>).column ?? columnOf(p.field) });
        total += err.total - err.problems.length;
        throw reject();
      }
      if (err instanceof SourceError) {
        add({ row: err.row, kind, field: null, column: null, value: null, reason: err.reason });
        throw reject();
      }
      throw err;
    } finally {
      await dropTemporaryTables(database, tx);
    }
  };

  /** Gathers the names the file looks up (one read of the file). */
  const gatherNames = async (): Promise<Record<RefKind, Map<string, NameUse>>> => {
    const found: Record<RefKind, Map<string, NameUse>> = { teams: new Map(), agents: new Map() };
    // Per output: its lookups, the team an agent is created with, and the fields that decide whether a row makes a record.
    const needed = outputs.map((out) => {
      if (!out.fields.some((f) => f.lookup)) return [];
      const at = new Set<number>(out.only ?? []);
      out.fields.forEach((f, i) => (f.lookup || f.name === 'team') && at.add(i));
      return [...at];
    });
    const table = await open();
    try {
      for await (const batch of dataRows(table, mapping)) {
        for (const r of batch) {
          for (const [o, out] of outputs.entries()) {
            const need = needed[o]!;
            if (need.length === 0) continue;
            const m = mapRow(out, r.cells, undefined, need);
            if (m.skip) continue;
            const teamAt = out.fields.findIndex((f) => f.name === 'team');
            out.fields.forEach((f, i) => {
              const v = m.values[i];
              if (!f.lookup || v === null || v === undefined) return;
              const key = nameKey(v);
              const known = found[f.lookup.kind];
              if (known.has(key)) return;
              const use: NameUse = { name: v.trim().replace(/\s+/g, ' '), row: r.row, column: f.label };
              if (f.lookup.kind === 'agents') {
                const t = teamAt >= 0 ? m.values[teamAt] : null;
                use.team = t ? { value: t, byName: !!out.fields[teamAt]!.lookup } : null;
                if (t && out.fields[teamAt]!.lookup && !found.teams.has(nameKey(t)))
                  found.teams.set(nameKey(t), { name: t.trim(), row: r.row, column: out.fields[teamAt]!.label });
              }
              known.set(key, use);
            });
          }
        }
      }
    } finally {
      await closeTable(table);
    }
    return found;
  };

  /** Resolves the names of one kind: found by name (or by the id a source made), else created, else a problem. */
  const resolve = async (tx: Db, kind: RefKind, uses: Map<string, NameUse>) => {
    if (uses.size === 0) return;
    const keys = [...uses.keys()];
    const existing = await database.rows<{ key: string; external_id: string; n: number }>(
      sql`select k.key, min(r.external_id) as external_id, count(*)::int as n
          from json_array_elements_text(${JSON.stringify(keys)}::json) as k(key)
          join ${sql.raw(kind)} r on lower(regexp_replace(btrim(r.name), '\\s+', ' ', 'g')) = k.key or r.external_id = 'name:' || k.key
          group by k.key`,
      tx,
    );
    const create = outputs.some((o) => o.fields.some((f) => f.lookup?.kind === kind && f.lookup.create));
    let unchanged = 0;
    for (const e of existing) {
      const use = uses.get(e.key)!;
      if (e.n > 1) {
        add({
          row: use.row,
          kind,
          field: null,
          column: use.column,
          value: show(use.name),
          reason: `${e.n} ${kind} are named ${show(use.name)}: name one by its external id instead`,
        });
        continue;
      }
      names[kind].set(e.key, e.external_id);
      unchanged++;
    }
    const missing = keys.filter((k) => !names[kind].has(k) && !existing.some((e) => e.key === k));
    const records: Array<Record<string, string>> = [];
    for (const key of missing) {
      const use = uses.get(key)!;
      if (!create) {
        add({
          row: use.row,
          kind,
          field: null,
          column: use.column,
          value: show(use.name),
          reason: `no ${kind.replace(/s$/, '')} is named ${show(use.name)}: import ${kind} first, or let the source create them`,
        });
        continue;
      }
      const id = nameId(key);
      names[kind].set(key, id);
      if (kind === 'teams') records.push({ external_id: id, name: use.name });
      else {
        const team = use.team
          ? use.team.byName
            ? (names.teams.get(nameKey(use.team.value)) ?? use.team.value)
            : use.team.value
          : null;
        if (!team) {
          add({
            row: use.row,
            kind,
            field: 'team',
            column: use.column,
            value: show(use.name),
            reason: `the agent ${show(use.name)} is new and needs a team: map the team field`,
          });
          continue;
        }
        records.push({ external_id: id, name: use.name, team });
      }
    }
    if (total > 0) throw reject();
    count(kind, { inserted: 0, updated: 0, unchanged });
    if (records.length > 0) {
      const fields = SPECS[kind].fields.map((f) => f.name);
      const rowsOf = [...records.entries()].map(([i, rec]): SourceRow => ({
        row: uses.get(nameKey(rec.name!))?.row ?? i + 1,
        cells: fields.map((f) => rec[f] ?? ''),
      }));
      await write(
        tx,
        kind,
        {
          format: 'json',
          columns: fields,
          rows: (async function* () {
            yield rowsOf;
          })(),
        },
        () => null,
        `${kind} by name`,
      );
    }
  };

  /** One output's pass over the file. */
  const pass = async (tx: Db, out: CompiledOutput, strict?: Strict) => {
    const table = await open();
    let n = 0;
    const fields = out.fields.map((f) => f.name);
    // Which row made which record (the id as the contract reads it), for each sender's own counts.
    const idAt = fields.indexOf('external_id');
    const idSpec = SPECS[out.kind].fields.find((f) => f.name === 'external_id')!;
    const ids = changes ? (changes[out.kind] ??= { ids: new Map(), changed: new Map() }).ids : null;
    const mapped = async function* (): AsyncGenerator<SourceRow[]> {
      for await (const batch of dataRows(table, mapping)) {
        const next: SourceRow[] = [];
        for (const r of batch) {
          n++;
          if (r.problem) {
            next.push(r);
            continue;
          }
          const m = mapRow(out, r.cells, names, undefined, strict);
          if (m.skip) continue;
          const cells = m.values.map((v) => v ?? '');
          if (ids && idAt >= 0) {
            const id = idSpec.parse(cells[idAt]!, options.timeZone);
            if (typeof id === 'string') ids.set(r.row, id);
          }
          next.push(m.problems.length > 0 ? { row: r.row, cells, problems: m.problems } : { row: r.row, cells });
        }
        yield next;
      }
    };
    const labels = new Map(out.fields.map((f) => [f.name, f.label]));
    // A datetime transform writes UTC ISO 8601 itself (range checked): read back without the contract's full parser.
    const parsers: Source['parsers'] = {};
    for (const f of SPECS[out.kind].fields)
      if (f.stage === 'bigint' && out.output.fields[f.name]?.transform?.type === 'datetime')
        parsers[f.name] = readOwnTimestamp;
    try {
      await write(
        tx,
        out.kind,
        { format: 'json', columns: fields, rows: mapped(), parsers },
        (field) => (field ? (labels.get(field) ?? null) : null),
        out.kind,
      );
    } finally {
      await closeTable(table);
    }
    rows = Math.max(rows, n);
  };

  /**
   * Every team and agent by name key (unambiguous ones only), and by the id a source made from a
   * name: what resolve() would find for each.
   */
  const knownNames = async (tx: Db): Promise<Names> => {
    const known: Names = { teams: new Map(), agents: new Map() };
    for (const kind of ['teams', 'agents'] as const) {
      if (!looksUp(kind)) continue;
      const rows = await database.rows<{ external_id: string; name: string }>(
        sql`select external_id, name from ${sql.raw(kind)}`,
        tx,
      );
      const twice = new Set<string>();
      const put = (key: string, id: string) => {
        const had = known[kind].get(key);
        if (had !== undefined && had !== id) twice.add(key);
        else known[kind].set(key, id);
      };
      for (const r of rows) put(nameKey(r.name), r.external_id);
      for (const r of rows) if (r.external_id.startsWith('name:')) put(r.external_id.slice(5), r.external_id);
      for (const key of twice) known[kind].delete(key);
    }
    return known;
  };

  try {
    return await database.db.transaction(async (txAny) => {
      const tx = txAny as unknown as Db;
      // One import at a time (as the contract's ingest): two files naming a new agent create one.
      await tx.execute(sql`select pg_advisory_xact_lock(7263002)`);
      const byKind = new Map(outputs.map((o) => [o.kind, o]));
      const lookups = looksUp('teams') || looksUp('agents');
      let done = false;
      // Most imports name only teams and agents that exist (every import after the first): then
      // one read of the file does, with the names known beforehand. A name not known stops that
      // read, its writes are undone, and the file is read for its names first.
      if (lookups && !byKind.has('teams') && !byKind.has('agents')) {
        await tx.execute(sql`savepoint pw_source_names`);
        const known = await knownNames(tx);
        names.teams = known.teams;
        names.agents = known.agents;
        const strict: Strict = { used: { teams: new Set(), agents: new Set() } };
        const warned = warnings.length;
        try {
          for (const kind of KIND_ORDER) {
            const out = byKind.get(kind);
            if (out) await pass(tx, out, strict);
          }
          for (const kind of ['teams', 'agents'] as const)
            if (looksUp(kind)) count(kind, { inserted: 0, updated: 0, unchanged: strict.used[kind].size });
          done = true;
        } catch (err) {
          if (!(err instanceof NameUnknown)) throw err;
          await tx.execute(sql`rollback to savepoint pw_source_names`);
          for (const k of Object.keys(results) as Kind[]) delete results[k];
          if (changes) changes = {};
          warnings.length = warned;
          rows = 0;
          names.teams = new Map();
          names.agents = new Map();
          for (const o of outputs) for (const f of o.fields) f.memo = undefined;
        }
      }
      if (!done) {
        const uses = lookups ? await gatherNames() : null;
        for (const kind of KIND_ORDER) {
          const out = byKind.get(kind);
          if (out) await pass(tx, out);
          if (uses && (kind === 'teams' || kind === 'agents')) await resolve(tx, kind, uses[kind]);
        }
      }
      const ordered: Partial<Record<Kind, KindCounts>> = {};
      for (const kind of KIND_ORDER) if (results[kind]) ordered[kind] = results[kind];
      const result: SourceRunResult = {
        dry_run: options.dryRun === true,
        rows,
        results: ordered,
        warnings,
        names,
        ...(changes ? { changes } : {}),
      };
      if (options.dryRun) throw new DryRunDone(result);
      return result;
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.result;
    throw err;
  }
}
