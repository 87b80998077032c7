// One bounded pass over a file for inference: per column only counts (how many values read as
// numbers, durations, clock times, dates day-first or month-first), a few distinct values, and for
// key candidates the values seen so far (dropped at the first repeat). Candidate id columns also
// keep a fingerprint of each row so a repeat can be told apart: the same row again, or the same id
// with different data (which needs a composite key).
import type { Table } from './read';
import { readDuration, readMoment, readNumber } from './transforms';

/** Distinct values kept per column (enough for yes/no, channels, scales). */
export const DISTINCT_CAP = 64;
/** Distinct values kept as a sample (for reference checks and examples). */
export const SAMPLE_CAP = 200;
/** Rows kept whole, to try a proposed field (date + time, templates) on real rows. */
export const ROW_SAMPLE = 200;
/** A value longer than this cannot be an external id (the contract's limit). */
const ID_MAX = 200;

export interface ColumnProfile {
  index: number;
  name: string;
  filled: number;
  empty: number;
  maxLength: number;
  /** Case-folded value → its first spelling and count; `many` once past DISTINCT_CAP. */
  distinct: Map<string, { value: string; count: number }>;
  many: boolean;
  /** The first distinct values as written (trimmed). */
  sample: string[];
  /** Values that read as numbers ('.' decimal), whole numbers, and their range. */
  numbers: number;
  integers: number;
  min: number;
  max: number;
  /** Values like `4,5`: a comma before one or two digits (a decimal comma, not thousands). */
  commaDecimals: number;
  /** Durations: three parts (`0:02:23`), two parts (`02:23`) and the largest first part of those. */
  hms: number;
  twoPart: number;
  twoPartFirstMax: number;
  /** Clock times (`09:14`, `2:03 PM`), and those with AM/PM. */
  clock: number;
  clockAmPm: number;
  /** ISO dates, those with a time and those with an offset. */
  iso: number;
  isoTime: number;
  isoOffset: number;
  /** Dates with separators (`13/03/2024`, `3.13.24 2:03 PM`): year first, or read both ways. */
  dated: number;
  yearFirst: number;
  /** Valid only day-first (a first part above 12), only month-first, either, neither. */
  dayFirst: number;
  monthFirst: number;
  eitherOrder: number;
  neitherOrder: number;
  dayFirstExample: string | null;
  monthFirstExample: string | null;
  datedTime: number;
  datedAmPm: number;
  datedOffset: number;
  /** No value repeated (over the scan); the first one that did. */
  unique: boolean;
  firstRepeat: string | null;
}

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
}

function profile(index: number, name: string): ColumnProfile {
  return {
    index,
    name,
    filled: 0,
    empty: 0,
    maxLength: 0,
    distinct: new Map(),
    many: false,
    sample: [],
    numbers: 0,
    integers: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    commaDecimals: 0,
    hms: 0,
    twoPart: 0,
    twoPartFirstMax: 0,
    clock: 0,
    clockAmPm: 0,
    iso: 0,
    isoTime: 0,
    isoOffset: 0,
    dated: 0,
    yearFirst: 0,
    dayFirst: 0,
    monthFirst: 0,
    eitherOrder: 0,
    neitherOrder: 0,
    dayFirstExample: null,
    monthFirstExample: null,
    datedTime: 0,
    datedAmPm: 0,
    datedOffset: 0,
    unique: true,
    firstRepeat: null,
  };
}

const CLOCK = /^(\d{1,2})[:.](\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([ap]\.?m\.?)?$/i;
const TWO_PART = /^(\d+):[0-5]?\d(?:[.,]\d+)?$/;
const COMMA_DECIMAL = /^[+-]?\d+,\d{1,2}$/;
const HAS_TIME = /(?:[T\s,]|\s-\s)\d{1,2}[:.h]\d{2}/;
const AM_PM = /\d\s*[ap]\.?m\.?(\s|$)/i;
const OFFSET = /(Z|[+-]\d{2}:?\d{2}|UTC|GMT)$/i;

function validDay(y: number, mo: number, d: number) {
  return y >= 1900 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Counts what one (trimmed, non-empty) value could be. */
function classify(p: ColumnProfile, v: string) {
  if (!/\d/.test(v) || v.length > 40) return;
  const n = readNumber(v);
  if (n !== null) {
    p.numbers++;
    if (Number.isInteger(n)) p.integers++;
    if (n < p.min) p.min = n;
    if (n > p.max) p.max = n;
    if (COMMA_DECIMAL.test(v)) p.commaDecimals++;
    return;
  }
  if (readDuration(v, 'h:mm:ss') !== null) p.hms++;
  else {
    const two = TWO_PART.exec(v);
    if (two) {
      p.twoPart++;
      p.twoPartFirstMax = Math.max(p.twoPartFirstMax, Number(two[1]));
    }
  }
  const clock = CLOCK.exec(v);
  if (clock && Number(clock[2]) < 60 && (clock[4] ? Number(clock[1]) >= 1 && Number(clock[1]) <= 12 : Number(clock[1]) < 24)) {
    p.clock++;
    if (clock[4]) p.clockAmPm++;
    return;
  }
  const iso = readMoment(v, 'iso');
  if (iso && validDay(iso.y, iso.mo, iso.d)) {
    p.iso++;
    if (/[T\s]\d{2}:\d{2}/.test(v)) p.isoTime++;
    if (iso.offset) p.isoOffset++;
    return;
  }
  const m = readMoment(v, 'dmy');
  if (!m) return;
  p.dated++;
  if (HAS_TIME.test(v)) p.datedTime++;
  if (AM_PM.test(v)) p.datedAmPm++;
  if (OFFSET.test(v)) p.datedOffset++;
  if (/^\d{4}/.test(v)) {
    p.yearFirst++;
    return;
  }
  // Read day-first, m.d is the first part and m.mo the second.
  const dmy = validDay(m.y, m.mo, m.d);
  const mdy = validDay(m.y, m.d, m.mo);
  if (dmy && mdy) p.eitherOrder++;
  else if (dmy) {
    p.dayFirst++;
    p.dayFirstExample ??= v;
  } else if (mdy) {
    p.monthFirst++;
    p.monthFirstExample ??= v;
  } else p.neitherOrder++;
}

/** A 52-bit hash of a row's cells (cyrb53), to tell a repeated row from a repeated id. */
function fingerprint(cells: string[]): number {
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
 * Scans at most `maxRows` rows. `idColumns` (a few, by header) are tracked as keys: their values
 * with a row fingerprint, and each pair of them, over the whole scan.
 */
export async function scanTable(table: Table, options: { maxRows: number; idColumns: number[] }): Promise<Scan> {
  const profiles = table.columns.map((name, i) => profile(i, name));
  const seen: Array<Set<string> | null> = table.columns.map(() => new Set<string>());
  const sampled = table.columns.map(() => new Set<string>());
  const tracked = options.idColumns.map((column) => ({ column, rows: new Map<string, number>(), stats: { column, sameRows: 0, otherData: 0, repeatedIds: 0, example: null as string | null, uniqueWith: [] as number[] }, repeated: new Set<string>() }));
  const pairs: Array<{ a: number; b: number; rows: Map<string, number> | null }> = [];
  for (let i = 0; i < options.idColumns.length; i++) for (let j = i + 1; j < options.idColumns.length; j++) pairs.push({ a: options.idColumns[i]!, b: options.idColumns[j]!, rows: new Map() });
  const sampleRows: string[][] = [];
  let rows = 0;
  let truncated = false;

  const it = table.rows[Symbol.asyncIterator]();
  try {
    outer: for (;;) {
      const next = await it.next();
      if (next.done) break;
      const batch = next.value;
      for (let r = 0; r < batch.length; r++) {
        if (rows >= options.maxRows) {
          truncated = true;
          break outer;
        }
        const row = batch[r]!;
        if (row.problem) continue;
        rows++;
        const cells = row.cells;
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
            if (s.has(v)) {
              p.unique = false;
              p.firstRepeat = v;
              seen[c] = null;
            } else if (v.length > ID_MAX) {
              p.unique = false;
              seen[c] = null;
            } else s.add(v);
          }
          const inSample = sampled[c]!;
          if (p.sample.length < SAMPLE_CAP && !inSample.has(v)) {
            inSample.add(v);
            p.sample.push(v);
          }
          classify(p, v);
        }
        if (tracked.length > 0) {
          const fp = fingerprint(cells);
          for (const t of tracked) {
            const v = (cells[t.column] ?? '').trim();
            if (v === '') continue;
            const before = t.rows.get(v);
            if (before === undefined) t.rows.set(v, fp);
            else if (before === fp) t.stats.sameRows++;
            else {
              t.stats.otherData++;
              if (!t.repeated.has(v)) {
                t.repeated.add(v);
                t.stats.repeatedIds++;
                t.stats.example ??= v;
              }
            }
          }
          for (const pair of pairs) {
            if (!pair.rows) continue;
            const key = `${(cells[pair.a] ?? '').trim()}\u0000${(cells[pair.b] ?? '').trim()}`;
            const before = pair.rows.get(key);
            if (before === undefined) pair.rows.set(key, fp);
            else if (before !== fp) pair.rows = null;
          }
        }
      }
    }
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
    t.stats.uniqueWith = pairs.filter((p) => p.rows && (p.a === t.column || p.b === t.column)).map((p) => (p.a === t.column ? p.b : p.a));
    keys.set(t.column, t.stats);
  }
  return { profiles, rows, truncated, sampleRows, keys };
}
