// One bounded pass over a file for inference: per column only counts (how many values read as
// numbers, durations, clock times, dates day-first or month-first), a few distinct values, and for
// key candidates the values seen so far (dropped at the first repeat). Candidate id columns also
// keep a fingerprint of each row so a repeat can be told apart: the same row again, or the same id
// with different data (which needs a composite key).
import { classify, profile, typed, type ColumnProfile } from './infer-profile';
import type { Table } from './read';

/** Distinct values kept per column (enough for yes/no, channels, scales). */
export const DISTINCT_CAP = 64;
/** Distinct values kept as a sample (for reference checks and examples). */
export const SAMPLE_CAP = 200;
/** Rows kept whole, to try a proposed field (date + time, templates) on real rows. */
export const ROW_SAMPLE = 200;
/** Rows at the top that may be more header (question texts) rather than records, and the rows after them read to tell. */
const HEADER_ROWS = 3;
const HEAD_ROWS = 60;
/** A value longer than this cannot be an external id (the contract's limit). */
const ID_MAX = 200;
/** What the scan learnt of a candidate id column's repeats. */
export interface KeyStats {
  column: number;
  /** Rows repeating an earlier row exactly, and rows repeating only its id. */
  sameRows: number;
  otherData: number;
  /** Ids seen on more than one row with different data. */
  repeatedIds: number;
  example: string | null;
  /** Other candidate columns with which it is unique (pairs that never repeat with other data). */
  uniqueWith: number[];
}

export interface Scan {
  profiles: ColumnProfile[];
  rows: number;
  /** More rows were there than scanned. */
  truncated: boolean;
  /** The first rows, whole. */
  sampleRows: string[][];
  keys: Map<number, KeyStats>;
  /** Rows under the header that are not records (a survey tool's question texts and import ids). */
  skipped: string[][];
}
/**
 * A 52-bit hash (cyrb53) of a row's cells or of one value: sets and maps of these numbers cost a
 * fraction of the strings over a million rows. A collision (about 1 in 10,000 at a million values)
 * only makes a column look repeated, never unique.
 */
function hash(cells: readonly string[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const cell of cells) {
    for (let i = 0; i < cell.length; i++) {
      const ch = cell.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ 1, 2654435761);
    h2 = Math.imul(h2 ^ 1, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
/**
 * How many of the first rows are header rather than records: rows of import ids
 * (`{"ImportId":"QID1"}`), or of text where the rows below hold numbers and dates (a survey
 * tool's question texts under its question ids). Only rows at the very top, at most three.
 */
export function headerRows(columns: string[], head: Array<string[] | null>): number {
  const below = head.slice(HEADER_ROWS).filter((cells): cells is string[] => cells !== null);
  // Columns whose values below are (nearly) all numbers or dates.
  const typedColumns = columns
    .map((_, c) => c)
    .filter((c) => {
      const values = below.map((cells) => (cells[c] ?? '').trim()).filter((v) => v !== '');
      return values.length >= 3 && values.filter(typed).length >= 0.9 * values.length;
    });
  let k = 0;
  for (; k < Math.min(HEADER_ROWS, head.length - 1); k++) {
    const row = head[k];
    if (!row) break;
    const cells = row.map((v) => v.trim());
    if (cells.some((v) => v.startsWith('{"ImportId"'))) continue;
    const filled = typedColumns.filter((c) => cells[c] !== undefined && cells[c] !== '');
    const text = filled.filter((c) => !typed(cells[c]!));
    const same = cells.filter((v, c) => v !== '' && v.toLowerCase() === (columns[c] ?? '').trim().toLowerCase()).length;
    const nonEmpty = cells.filter((v) => v !== '').length;
    if ((filled.length >= 2 && text.length >= 0.5 * filled.length) || (nonEmpty > 0 && same >= 0.5 * nonEmpty))
      continue;
    break;
  }
  return k;
}

/**
 * Scans at most `maxRows` rows. `idColumns` (a few, by header) are tracked as keys: their values
 * with a row fingerprint, and each pair of them, over the whole scan.
 */
export async function scanTable(table: Table, options: { maxRows: number; idColumns: number[] }): Promise<Scan> {
  const profiles = table.columns.map((name, i) => profile(i, name));
  // A tracked id column's values are in its fingerprint map: no second set for it.
  const seen: Array<Set<number> | null> = table.columns.map((_, c) =>
    options.idColumns.includes(c) ? null : new Set<number>(),
  );
  const sampled = table.columns.map(() => new Set<string>());
  const tracked = options.idColumns.map((column) => ({
    column,
    rows: new Map<number, number>(),
    stats: {
      column,
      sameRows: 0,
      otherData: 0,
      repeatedIds: 0,
      example: null as string | null,
      uniqueWith: [] as number[],
    },
    repeated: new Set<number>(),
  }));
  const pairs: Array<{ a: number; b: number; rows: Map<number, number> | null }> = [];
  for (let i = 0; i < options.idColumns.length; i++)
    for (let j = i + 1; j < options.idColumns.length; j++)
      pairs.push({ a: options.idColumns[i]!, b: options.idColumns[j]!, rows: new Map() });
  const sampleRows: string[][] = [];
  let rows = 0;
  let truncated = false;

  const take = (cells: string[]) => {
    rows++;
    if (sampleRows.length < ROW_SAMPLE) sampleRows.push(cells.slice());
    for (let c = 0; c < profiles.length; c++) {
      const p = profiles[c]!;
      const v = (cells[c] ?? '').trim();
      if (v === '') {
        p.empty++;
        continue;
      }
      p.filled++;
      if (v.length > p.maxLength) p.maxLength = v.length;
      if (!p.many) {
        const key = v.toLowerCase();
        const d = p.distinct.get(key);
        if (d) d.count++;
        else if (p.distinct.size < DISTINCT_CAP) p.distinct.set(key, { value: v, count: 1 });
        else p.many = true;
      }
      const s = seen[c];
      if (s) {
        const h = hash([v]);
        if (s.has(h) || v.length > ID_MAX) {
          p.unique = false;
          if (v.length <= ID_MAX) p.firstRepeat = v;
          seen[c] = null;
        } else s.add(h);
      }
      const inSample = sampled[c]!;
      if (p.sample.length < SAMPLE_CAP && !inSample.has(v)) {
        inSample.add(v);
        p.sample.push(v);
      }
      classify(p, v);
    }
    if (tracked.length === 0) return;
    const fp = hash(cells);
    for (const t of tracked) {
      const v = (cells[t.column] ?? '').trim();
      if (v === '') continue;
      const key = hash([v]);
      const before = t.rows.get(key);
      if (before === undefined) {
        if (v.length > ID_MAX) profiles[t.column]!.unique = false;
        t.rows.set(key, fp);
        continue;
      }
      const p = profiles[t.column]!;
      if (p.unique) {
        p.unique = false;
        p.firstRepeat = v;
      }
      if (before === fp) t.stats.sameRows++;
      else {
        t.stats.otherData++;
        if (!t.repeated.has(key)) {
          t.repeated.add(key);
          t.stats.repeatedIds++;
          t.stats.example ??= v;
        }
      }
    }
    for (const pair of pairs) {
      if (!pair.rows) continue;
      const key = hash([(cells[pair.a] ?? '').trim(), (cells[pair.b] ?? '').trim()]);
      const before = pair.rows.get(key);
      if (before === undefined) pair.rows.set(key, fp);
      else if (before !== fp) pair.rows = null;
    }
  };

  // The first rows wait until the rows after them tell whether they are records at all.
  // Rows the format already skips are left out; then nothing more is looked for.
  let preSkip = 'skip_rows' in table.format ? (table.format.skip_rows ?? 0) : 0;
  const canSkip = (table.format.type === 'csv' || table.format.type === 'xlsx') && preSkip === 0;
  let head: Array<string[] | null> | null = canSkip ? [] : null;
  let skipped: string[][] = [];
  const flush = () => {
    if (!head) return;
    const k = headerRows(table.columns, head);
    skipped = head.slice(0, k).map((cells) => cells ?? []);
    for (const cells of head.slice(k)) {
      if (!cells) continue;
      if (rows >= options.maxRows) {
        truncated = true;
        break;
      }
      take(cells);
    }
    head = null;
  };

  const it = table.rows[Symbol.asyncIterator]();
  try {
    outer: for (;;) {
      const next = await it.next();
      if (next.done) break;
      const batch = next.value;
      for (let r = 0; r < batch.length; r++) {
        const row = batch[r]!;
        if (preSkip > 0) {
          preSkip--;
          continue;
        }
        if (head) {
          // A row that could not be read counts as a row (the import skips rows by position).
          head.push(row.problem ? null : row.cells);
          if (head.length >= HEAD_ROWS) flush();
          continue;
        }
        if (rows >= options.maxRows) {
          truncated = true;
          break outer;
        }
        if (row.problem) continue;
        take(row.cells);
      }
    }
    flush();
    if (!truncated && rows >= options.maxRows) {
      // Stopped exactly at a batch's end: one more look tells whether rows were left.
      const more = await it.next();
      truncated = !more.done && more.value.length > 0;
    }
  } finally {
    await it.return?.();
  }

  const keys = new Map<number, KeyStats>();
  for (const t of tracked) {
    t.stats.uniqueWith = pairs
      .filter((p) => p.rows && (p.a === t.column || p.b === t.column))
      .map((p) => (p.a === t.column ? p.b : p.a));
    keys.set(t.column, t.stats);
  }
  return { profiles, rows, truncated, sampleRows, keys, skipped };
}
