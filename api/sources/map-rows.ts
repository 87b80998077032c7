// A source's mapping compiled against a file's header, and one row through it: the contract's
// values (as text, as a CSV cell would carry them), the problems of each cell in the file's terms,
// and names turned into the external ids they resolve to. Used by the import (run.ts), the
// wizard's preview and the tests; no database here.
import { createHash } from 'node:crypto';
import { Invalid, show } from '../ingest/fields';
import { SPECS, type Kind } from '../ingest/kinds';
import type { SourceRow } from '../ingest/sources';
import { columnsOf, KIND_ORDER, type FieldMapping, type Mapping, type Output } from './mapping';
import type { Table } from './read';
import { compileTransform, type Compiled } from './transforms';

export type RefKind = 'teams' | 'agents';
/** Names (case-folded, spaces collapsed) → the external id they resolved to. */
export type Names = Record<RefKind, Map<string, string>>;

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

function compileField(
  name: string,
  f: FieldMapping,
  at: (c: string) => number | undefined,
  zone: string,
  kind: Kind,
): CompiledField {
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
      raw: (cells) =>
        parts
          .map((p) => p(cells).trim())
          .filter((v) => v !== '')
          .join(' '),
      transform,
      lookup,
    };
  }
  // A template: literal text and {Column} values; empty when every column it names is empty.
  const pieces = f
    .template!.split(/(\{[^{}]+\})/)
    .map((p) => (p.startsWith('{') && p.endsWith('}') ? { read: cell(p.slice(1, -1)) } : { text: p }));
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
export function compileMapping(
  mapping: Mapping,
  columns: string[],
  zone: string,
  missing?: (column: string, kind: Kind, field: string, optional: boolean) => void,
): CompiledOutput[] {
  const at = columnIndex(columns);
  const tz = mapping.time_zone ?? zone;
  return [...mapping.outputs]
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
    .map((output) => {
      const spec = SPECS[output.kind];
      for (const [field, f] of Object.entries(output.fields))
        for (const c of columnsOf(f)) if (at(c) === undefined) missing?.(c, output.kind, field, f.optional === true);
      const fields = spec.fields.map((s) => {
        const f = output.fields[s.name];
        return f
          ? compileField(s.name, f, at, tz, output.kind)
          : { name: s.name, label: null, raw: () => '', transform: () => null };
      });
      const only = output.only_when_any
        ? output.only_when_any.map((n) => spec.fields.findIndex((s) => s.name === n))
        : null;
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
export interface Strict {
  used: Record<RefKind, Set<string>>;
}
export class NameUnknown extends Error {
  constructor() {
    super('a name not yet known');
  }
}

/**
 * One row through one output; names are resolved with `names` when given. `only` limits the work
 * to those fields (the others stay null): gathering names needs three fields of eleven.
 */
export function mapRow(
  out: CompiledOutput,
  cells: string[],
  names?: Names,
  only?: number[],
  strict?: Strict,
): MappedRow {
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
      problems.push({
        field: f.name,
        column: f.label,
        value: show(raw),
        reason: `${f.name}${f.label ? ` (from '${f.label}')` : ''} ${v.reason}`,
      });
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
  const skip =
    out.only !== null &&
    out.only.every((i) => values[i] === null) &&
    problems.every((p) => !out.only!.some((i) => out.fields[i]!.name === p.field));
  return { values, problems, skip };
}

/** The data rows of a table, the format's `skip_rows` left out. */
export async function* dataRows(table: Table, mapping: Mapping): AsyncGenerator<SourceRow[]> {
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

/** Lets a reader release its file early when a pass stops (problems, too large). */
export async function closeTable(table: Table) {
  const it = table.rows as AsyncIterable<SourceRow[]> & { return?: () => Promise<unknown> };
  if (typeof (it as { return?: unknown }).return === 'function') await it.return!().catch(() => {});
}

/** The first rows of a file and what each becomes, for the wizard's preview. */
export async function previewRows(mapping: Mapping, table: Table, zone: string, names: Names, limit = 20) {
  const outputs = compileMapping(mapping, table.columns, zone);
  const out: Array<{
    row: number;
    cells: string[];
    records: Partial<Record<Kind, Record<string, string | null> | null>>;
    problems: MappedRow['problems'];
  }> = [];
  for await (const batch of dataRows(table, mapping)) {
    for (const r of batch) {
      if (out.length >= limit) break;
      const records: Partial<Record<Kind, Record<string, string | null> | null>> = {};
      const problems: MappedRow['problems'] = [];
      for (const o of outputs) {
        const m = mapRow(o, r.cells, names);
        problems.push(...m.problems.map((p) => ({ ...p, field: `${o.kind}.${p.field}` })));
        records[o.kind] = m.skip
          ? null
          : Object.fromEntries(
              o.fields
                .filter((f) => o.output.fields[f.name])
                .map((f) => [f.name, m.values[o.fields.indexOf(f)] ?? null]),
            );
      }
      out.push({ row: r.row, cells: r.cells, records, problems });
    }
    if (out.length >= limit) break;
  }
  await closeTable(table);
  return out;
}
