// Importing a file through a source's mapping: every row becomes records of one or several kinds
// (a call row with a rating: an interaction and a survey), names become references (the agent
// named Diane, created when the source says so), and all of it goes in through the contract's own
// ingest (api/ingest/ingest.ts), kind after kind, in one transaction: all or nothing, and
// importing the same file again changes nothing. Problems name the file's own row and column.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { type Problem } from '../ingest/checks';
import { Invalid, parseTimestamp, show, type Parsed } from '../ingest/fields';
import { dropTemporaryTables, IngestRejected, ingestKind, type IngestOptions } from '../ingest/ingest';
import { SPECS, type Kind, type Value } from '../ingest/kinds';
import { SourceError, type Source, type SourceRow } from '../ingest/sources';
import { columnsOf, KIND_ORDER, type FieldMapping, type Mapping, type Output } from './mapping';
import type { Table } from './read';
import { compileTransform, type Compiled } from './transforms';

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

export type RefKind = 'teams' | 'agents';
/** Names (case-folded, spaces collapsed) → the external id they resolved to. */
export type Names = Record<RefKind, Map<string, string>>;

export interface SourceRunResult {
  dry_run: boolean;
  /** Rows of the file. */
  rows: number;
  results: Partial<Record<Kind, KindCounts>>;
  warnings: string[];
  names: Names;
}

export type OpenTable = () => Promise<Table>;

export interface RunOptions extends Pick<IngestOptions, 'timeZone' | 'dryRun' | 'maxRows' | 'statementTimeoutMs' | 'chunkRows'> {
  /** Called with the pass under way and the rows read so far in it. */
  onProgress?: (pass: string, rows: number) => void;
}

const LIST = 1000;

/** The key a name is matched by: case-folded, outer spaces trimmed, inner runs of spaces as one. */
export const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** The external id of a record a source creates from a name: stable, so importing again finds it. */
export function nameId(key: string): string {
  if (key.length <= 190) return `name:${key}`;
  return `name:${key.slice(0, 170)}~${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

interface CompiledField {
  name: string;
  /** The file's column(s) it reads, for problems ('constant' for a constant). */
  label: string | null;
  raw(cells: string[]): string;
  transform: Compiled;
  lookup?: { kind: RefKind; create: boolean };
  /** Spellings of names already resolved, in the pass under way. */
  memo?: Map<string, string>;
}

export interface CompiledOutput {
  output: Output;
  kind: Kind;
  fields: CompiledField[];
  only: number[] | null;
}

/** Where a column is: its exact header, else the same header in another case or spacing. */
function columnIndex(columns: string[]): (name: string) => number | undefined {
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  columns.forEach((c, i) => {
    if (!exact.has(c)) exact.set(c, i);
    const k = nameKey(c);
    if (!loose.has(k)) loose.set(k, i);
  });
  return (name) => exact.get(name) ?? loose.get(nameKey(name));
}

function compileField(name: string, f: FieldMapping, at: (c: string) => number | undefined, zone: string, kind: Kind): CompiledField {
  const transform = compileTransform(f.transform, zone);
  const ref = SPECS[kind].fields.find((x) => x.name === name)?.ref;
  const lookup = f.lookup && (ref === 'teams' || ref === 'agents') ? { kind: ref, create: f.lookup.create } : undefined;
  const cell = (c: string) => {
    const i = at(c);
    return i === undefined ? () => '' : (cells: string[]) => cells[i] ?? '';
  };
  if (f.constant !== undefined) {
    const v = f.constant === null ? '' : typeof f.constant === 'boolean' ? String(f.constant) : String(f.constant);
    return { name, label: null, raw: () => v, transform, lookup };
  }
  if (f.column) return { name, label: f.column, raw: cell(f.column), transform, lookup };
  if (f.columns) {
    const parts = f.columns.map(cell);
    return {
      name,
      label: f.columns.join(' + '),
      raw: (cells) => parts.map((p) => p(cells).trim()).filter((v) => v !== '').join(' '),
      transform,
      lookup,
    };
  }
  // A template: literal text and {Column} values; empty when every column it names is empty.
  const pieces = f.template!.split(/(\{[^{}]+\})/).map((p) => (p.startsWith('{') && p.endsWith('}') ? { read: cell(p.slice(1, -1)) } : { text: p }));
  return {
    name,
    label: columnsOf(f).join(' + '),
    raw: (cells) => {
      let out = '';
      let any = false;
      for (const p of pieces) {
        if ('text' in p) out += p.text;
        else {
          const v = p.read(cells).trim();
          if (v !== '') any = true;
          out += v;
        }
      }
      return any ? out.trim() : '';
    },
    transform,
    lookup,
  };
}

/**
 * Compiles a mapping against a file's columns; `missing` hears of each column the mapping names
 * that the file does not have.
 */
export function compileMapping(mapping: Mapping, columns: string[], zone: string, missing?: (column: string, kind: Kind, field: string, optional: boolean) => void): CompiledOutput[] {
  const at = columnIndex(columns);
  const tz = mapping.time_zone ?? zone;
  return [...mapping.outputs]
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
    .map((output) => {
      const spec = SPECS[output.kind];
      for (const [field, f] of Object.entries(output.fields)) for (const c of columnsOf(f)) if (at(c) === undefined) missing?.(c, output.kind, field, f.optional === true);
      const fields = spec.fields.map((s) => {
        const f = output.fields[s.name];
        return f ? compileField(s.name, f, at, tz, output.kind) : { name: s.name, label: null, raw: () => '', transform: () => null };
      });
      const only = output.only_when_any ? output.only_when_any.map((n) => spec.fields.findIndex((s) => s.name === n)) : null;
      return { output, kind: output.kind, fields, only };
    });
}

export interface MappedRow {
  /** The contract's values in its field order (null: empty). */
  values: Array<string | null>;
  problems: Array<{ field: string; column: string | null; value: string | null; reason: string }>;
  /** The row yields no record of this kind (`only_when_any`). */
  skip: boolean;
}

const NO_PROBLEMS: MappedRow['problems'] = [];

/** Names known before the file is read: a name not among them stops the pass (see runSource). */
interface Strict {
  used: Record<RefKind, Set<string>>;
}
class NameUnknown extends Error {
  constructor() {
    super('a name not yet known');
  }
}

/**
 * One row through one output; names are resolved with `names` when given. `only` limits the work
 * to those fields (the others stay null): gathering names needs three fields of eleven.
 */
export function mapRow(out: CompiledOutput, cells: string[], names?: Names, only?: number[], strict?: Strict): MappedRow {
  const values: Array<string | null> = new Array<string | null>(out.fields.length).fill(null);
  let problems = NO_PROBLEMS;
  const count = only ? only.length : out.fields.length;
  for (let k = 0; k < count; k++) {
    const i = only ? only[k]! : k;
    const f = out.fields[i]!;
    const raw = f.raw(cells);
    const v = f.transform(raw);
    if (v instanceof Invalid) {
      if (problems === NO_PROBLEMS) problems = [];
      problems.push({ field: f.name, column: f.label, value: show(raw), reason: `${f.name}${f.label ? ` (from '${f.label}')` : ''} ${v.reason}` });
      values[i] = null;
    } else if (v !== null && f.lookup && names) {
      // The same few names come on every row: each spelling is resolved once.
      let id = f.memo?.get(v);
      if (id === undefined) {
        const key = nameKey(v);
        const found = names[f.lookup.kind].get(key);
        if (strict) {
          if (found === undefined) throw new NameUnknown();
          strict.used[f.lookup.kind].add(key);
        }
        id = found ?? v;
        if ((f.memo ??= new Map()).size < 100_000) f.memo.set(v, id);
      }
      values[i] = id;
    } else values[i] = v;
  }
  const skip = out.only !== null && out.only.every((i) => values[i] === null) && problems.every((p) => !out.only!.some((i) => out.fields[i]!.name === p.field));
  return { values, problems, skip };
}

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

/** The data rows of a table, the format's `skip_rows` left out. */
async function* dataRows(table: Table, mapping: Mapping): AsyncGenerator<SourceRow[]> {
  let skip = 'skip_rows' in mapping.format ? (mapping.format.skip_rows ?? 0) : 0;
  for await (const batch of table.rows) {
    if (skip > 0) {
      const cut = Math.min(skip, batch.length);
      skip -= cut;
      if (cut === batch.length) continue;
      yield batch.slice(cut);
    } else yield batch;
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
export async function runSource(database: Database, mapping: Mapping, open: OpenTable, options: RunOptions): Promise<SourceRunResult> {
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
    if (json || optional) warnings.push(`${json ? 'No record has' : 'The file has no column'} '${column}' (mapped to ${kind}.${field}): it is read as empty.`);
    else add({ row: 1, kind, field, column, value: null, reason: `the column '${column}' (mapped to ${kind}.${field}) is not in the file's header` });
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
  let rows = 0;

  const ingestOptions = (pass: string): IngestOptions => ({
    timeZone: options.timeZone,
    dryRun: options.dryRun,
    actor: 'source',
    source: 'api',
    maxRows: options.maxRows,
    statementTimeoutMs: options.statementTimeoutMs,
    chunkRows: options.chunkRows,
    onProgress: options.onProgress ? (n) => options.onProgress!(pass, n) : undefined,
  });

  /** One kind's records through the contract's ingest; problems are told in the file's terms. */
  const write = async (tx: Db, kind: Kind, source: Source, columnOf: (field: string | null) => string | null, pass: string) => {
    try {
      const r = await ingestKind(database, tx, kind, source, ingestOptions(pass));
      warnings.push(...r.warnings.map((w) => `${kind}: ${w}`));
      count(kind, r);
      return r;
    } catch (err) {
      if (err instanceof IngestRejected) {
        for (const p of err.problems) add({ ...p, kind, column: (p as Partial<SourceProblem>).column ?? columnOf(p.field) });
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
                if (t && out.fields[teamAt]!.lookup && !found.teams.has(nameKey(t))) found.teams.set(nameKey(t), { name: t.trim(), row: r.row, column: out.fields[teamAt]!.label });
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
        add({ row: use.row, kind, field: null, column: use.column, value: show(use.name), reason: `${e.n} ${kind} are named ${show(use.name)}: name one by its external id instead` });
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
        add({ row: use.row, kind, field: null, column: use.column, value: show(use.name), reason: `no ${kind.replace(/s$/, '')} is named ${show(use.name)}: import ${kind} first, or let the source create them` });
        continue;
      }
      const id = nameId(key);
      names[kind].set(key, id);
      if (kind === 'teams') records.push({ external_id: id, name: use.name });
      else {
        const team = use.team ? (use.team.byName ? (names.teams.get(nameKey(use.team.value)) ?? use.team.value) : use.team.value) : null;
        if (!team) {
          add({ row: use.row, kind, field: 'team', column: use.column, value: show(use.name), reason: `the agent ${show(use.name)} is new and needs a team: map the team field` });
          continue;
        }
        records.push({ external_id: id, name: use.name, team });
      }
    }
    if (total > 0) throw reject();
    count(kind, { inserted: 0, updated: 0, unchanged });
    if (records.length > 0) {
      const fields = SPECS[kind].fields.map((f) => f.name);
      const rowsOf = [...records.entries()].map(([i, rec]): SourceRow => ({ row: uses.get(nameKey(rec.name!))?.row ?? i + 1, cells: fields.map((f) => rec[f] ?? '') }));
      await write(tx, kind, { format: 'json', columns: fields, rows: (async function* () { yield rowsOf; })() }, () => null, `${kind} by name`);
    }
  };

  /** One output's pass over the file. */
  const pass = async (tx: Db, out: CompiledOutput, strict?: Strict) => {
    const table = await open();
    let n = 0;
    const fields = out.fields.map((f) => f.name);
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
          next.push(m.problems.length > 0 ? { row: r.row, cells, problems: m.problems } : { row: r.row, cells });
        }
        yield next;
      }
    };
    const labels = new Map(out.fields.map((f) => [f.name, f.label]));
    // A datetime transform writes UTC ISO 8601 itself (range checked): read back without the contract's full parser.
    const parsers: Source['parsers'] = {};
    for (const f of SPECS[out.kind].fields) if (f.stage === 'bigint' && out.output.fields[f.name]?.transform?.type === 'datetime') parsers[f.name] = readOwnTimestamp;
    try {
      await write(tx, out.kind, { format: 'json', columns: fields, rows: mapped(), parsers }, (field) => (field ? (labels.get(field) ?? null) : null), out.kind);
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
      const rows = await database.rows<{ external_id: string; name: string }>(sql`select external_id, name from ${sql.raw(kind)}`, tx);
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
          for (const kind of ['teams', 'agents'] as const) if (looksUp(kind)) count(kind, { inserted: 0, updated: 0, unchanged: strict.used[kind].size });
          done = true;
        } catch (err) {
          if (!(err instanceof NameUnknown)) throw err;
          await tx.execute(sql`rollback to savepoint pw_source_names`);
          for (const k of Object.keys(results) as Kind[]) delete results[k];
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
      const result: SourceRunResult = { dry_run: options.dryRun === true, rows, results: ordered, warnings, names };
      if (options.dryRun) throw new DryRunDone(result);
      return result;
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.result;
    throw err;
  }
}

/** Lets a reader release its file early when a pass stops (problems, too large). */
async function closeTable(table: Table) {
  const it = table.rows as AsyncIterable<SourceRow[]> & { return?: () => Promise<unknown> };
  if (typeof (it as { return?: unknown }).return === 'function') await it.return!().catch(() => {});
}

/** The first rows of a file and what each becomes, for the wizard's preview. */
export async function previewRows(mapping: Mapping, table: Table, zone: string, names: Names, limit = 20) {
  const outputs = compileMapping(mapping, table.columns, zone);
  const out: Array<{ row: number; cells: string[]; records: Partial<Record<Kind, Record<string, string | null> | null>>; problems: MappedRow['problems'] }> = [];
  for await (const batch of dataRows(table, mapping)) {
    for (const r of batch) {
      if (out.length >= limit) break;
      const records: Partial<Record<Kind, Record<string, string | null> | null>> = {};
      const problems: MappedRow['problems'] = [];
      for (const o of outputs) {
        const m = mapRow(o, r.cells, names);
        problems.push(...m.problems.map((p) => ({ ...p, field: `${o.kind}.${p.field}` })));
        records[o.kind] = m.skip ? null : Object.fromEntries(o.fields.filter((f) => o.output.fields[f.name]).map((f) => [f.name, m.values[o.fields.indexOf(f)] ?? null]));
      }
      out.push({ row: r.row, cells: r.cells, records, problems });
    }
    if (out.length >= limit) break;
  }
  await closeTable(table);
  return out;
}
