// Reading and editing a mapping by JSON pointer (where the inference's questions put their answers).
import type { Kind } from '../../../api/shared/constants';
import type { PreviewRow, Question } from './sources-answers';
import type { FieldMapping, Format, Mapping } from './sources-mapping';

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** A deep copy of JSON data (works on Svelte's state proxies, which structuredClone refuses). */
export const cloneJson = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * A copy of `doc` with the value at the JSON pointer `path` set, or removed when `value` is
 * undefined (the question's "leave it out" option). Missing objects on the way are created.
 */
export function withValueAt<T>(doc: T, path: string, value: unknown): T {
  const tokens = path.split('/').slice(1).map(unescape);
  if (tokens.length === 0) return cloneJson((value === undefined ? doc : value) as T);
  const copy = cloneJson(doc) as unknown;
  let node = copy as Record<string, unknown> | unknown[];
  for (const t of tokens.slice(0, -1)) {
    const container = node as Record<string, unknown>;
    if (container[t] === null || typeof container[t] !== 'object') container[t] = {};
    node = container[t] as Record<string, unknown>;
  }
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(node)) {
    const i = last === '-' ? node.length : Number(last);
    if (value === undefined) node.splice(i, 1);
    else node[i] = cloneJson(value);
  } else if (value === undefined) delete node[last];
  else node[last] = cloneJson(value);
  return copy as T;
}

/** The value at a JSON pointer (undefined when absent). */
export function valueAt(doc: unknown, path: string): unknown {
  let node = doc;
  for (const t of path.split('/').slice(1).map(unescape)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[t];
  }
  return node;
}

/** The same JSON value, whatever the order of object keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((x, i) => sameJson(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** The option of a question the mapping holds now (-1: the admin edited the field by hand). */
export function chosenOption(q: Question, mapping: Mapping): number {
  const now = valueAt(mapping, q.path);
  return q.options.findIndex((o) => sameJson(o.value, now));
}

const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** "CSV, comma-separated, utf-8" and the like. */
export function describeFormat(f: Format): string {
  switch (f.type) {
    case 'csv':
      return `CSV, ${DELIMITERS[f.delimiter ?? ','] ?? f.delimiter}-separated, ${f.encoding ?? 'utf-8'}`;
    case 'xlsx':
      return `Excel workbook${f.sheet ? `, sheet “${f.sheet}”` : ''}`;
    case 'json':
      return `JSON${f.records ? `, records at “${f.records}”` : ''}`;
    case 'ndjson':
      return 'JSON lines';
  }
}

/** A field's example from the preview: the first row that gives it a value (or a problem). */
export interface Sample {
  row: number;
  from: string | null;
  to: string | null;
  problem: string | null;
}

export function sampleOf(
  kind: Kind,
  name: string,
  f: FieldMapping,
  columns: string[],
  rows: PreviewRow[],
): Sample | null {
  const cell = (r: PreviewRow, c: string) => r.cells[columns.indexOf(c)] ?? '';
  for (const r of rows) {
    const rec = r.records[kind];
    if (!rec) continue;
    const to = rec[name] ?? null;
    const problem = r.problems.find((p) => p.field === `${kind}.${name}`)?.reason ?? null;
    if (to === null && !problem) continue;
    let from: string | null = null;
    if (f.column !== undefined) from = cell(r, f.column);
    else if (f.columns) from = f.columns.map((c) => cell(r, c)).join(' ');
    else if (f.template) from = f.template.replace(/\{([^{}]+)\}/g, (_m, c: string) => cell(r, c));
    return { row: r.row, from, to, problem };
  }
  return null;
}
