// Where rows come from: a CSV byte stream (header row first) or a JSON array of objects.
// Both become a list of column names and rows of cells (strings; '' is empty).
import { CsvError, decodeUtf8, readCsv } from './csv';
import type { Parsed } from './fields';
import type { Value } from './kinds';

export interface SourceRow {
  /** The row number people see: in a CSV the header is row 1; in JSON the first object is row 1. */
  row: number;
  cells: string[];
  /** Set when the row could not be read as cells (e.g. a JSON object with a nested value). */
  problem?: { field: string | null; value: string | null; reason: string };
  /** Several problems of one row (a mapped row: each column that did not read). */
  problems?: Array<{ field: string | null; value: string | null; reason: string; column?: string | null }>;
}

export interface Source {
  format: 'csv' | 'json';
  columns: string[];
  /** The rows, a batch at a time (whatever the input's chunks hold). */
  rows: AsyncIterable<SourceRow[]>;
  /** Parsers that replace a field's own, for cells the source wrote itself (a mapping's timestamps). */
  parsers?: Partial<Record<string, (raw: string, timeZone: string) => Parsed<Value>>>;
}

export class SourceError extends Error {
  constructor(
    readonly row: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SourceError';
  }
}

/** Reads the header row, then hands the remaining records on. */
export async function csvSource(
  bytes: AsyncIterable<Uint8Array>,
  options: { maxFieldLength?: number } = {},
): Promise<Source> {
  const records = readCsv(decodeUtf8(bytes), options)[Symbol.asyncIterator]();
  let first: IteratorResult<SourceRow[]>;
  try {
    first = await records.next();
  } catch (err) {
    if (err instanceof CsvError) throw new SourceError(err.row, err.reason);
    throw err;
  }
  if (first.done) throw new SourceError(1, 'the file is empty: the first row must name the columns');
  const [header, ...rest] = first.value;
  const columns = header!.cells;
  async function* rows(): AsyncGenerator<SourceRow[]> {
    try {
      if (rest.length > 0) yield rest;
      for (;;) {
        const next = await records.next();
        if (next.done) return;
        yield next.value;
      }
    } catch (err) {
      if (err instanceof CsvError) throw new SourceError(err.row, err.reason);
      throw err;
    }
  }
  return { format: 'csv', columns, rows: rows() };
}

function cell(value: unknown): string | null {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/**
 * A short sketch of a nested value for a problem, at most a few levels deep: JSON.stringify would
 * recurse through all of it (a value nested 100,000 deep overflows the stack).
 */
function sketch(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  if (depth >= 3) return `${open}…${close}`;
  const parts = Array.isArray(value)
    ? value.slice(0, 4).map((v) => sketch(v, depth + 1))
    : Object.keys(value)
        .slice(0, 4)
        .map((k) => `${JSON.stringify(k)}:${sketch((value as Record<string, unknown>)[k], depth + 1)}`);
  const more = (Array.isArray(value) ? value.length : Object.keys(value).length) > 4 ? ',…' : '';
  return `${open}${parts.join(',')}${more}${close}`;
}

const JSON_BATCH = 1000;

/** A JSON batch: an array of objects with the data contract's field names. */
export function jsonSource(body: unknown): Source {
  if (!Array.isArray(body)) throw new SourceError(0, 'a JSON batch must be an array of objects');
  const items: unknown[] = body;
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      for (const key of Object.keys(item)) {
        if (seen.has(key)) continue;
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const rowOf = (i: number): SourceRow => {
    const item = items[i];
    const row = i + 1;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      return {
        row,
        cells: [],
        problem: { field: null, value: null, reason: 'each item must be an object with field names as keys' },
      };
    }
    const cells: string[] = [];
    let problem: SourceRow['problem'];
    for (const c of columns) {
      const v = cell((item as Record<string, unknown>)[c]);
      if (v === null) {
        problem ??= {
          field: c,
          value: sketch((item as Record<string, unknown>)[c]).slice(0, 40),
          reason: 'must be a string, number, boolean or null',
        };
        cells.push('');
      } else cells.push(v);
    }
    return problem ? { row, cells, problem } : { row, cells };
  };
  async function* rows(): AsyncGenerator<SourceRow[]> {
    for (let i = 0; i < items.length; i += JSON_BATCH) {
      const batch: SourceRow[] = [];
      for (let k = i; k < Math.min(items.length, i + JSON_BATCH); k++) batch.push(rowOf(k));
      yield batch;
    }
  }
  return { format: 'json', columns, rows: rows() };
}
