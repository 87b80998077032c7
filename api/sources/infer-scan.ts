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
/** Rows at the top that may be more header (question texts) rather than records, and the rows after them read to tell. */
const HEADER_ROWS = 3;
const HEAD_ROWS = 60;
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
  /** Rows under the header that are not records (a survey tool's question texts and import ids). */
  skipped: string[][];
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
  if (
    clock &&
    Number(clock[2]) < 60 &&
    (clock[4] ? Number(clock[1]) >= 1 && Number(clock[1]) <= 12 : Number(clock[1]) < 24)
  ) {
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

/** A value of a typed column: a number, a date, a clock time or a duration. */
function typed(v: string): boolean {
  return (
    readNumber(v) !== null ||
    readDuration(v, 'h:mm:ss') !== null ||
    CLOCK.test(v) ||
    readMoment(v, 'iso') !== null ||
    readMoment(v, 'dmy') !== null
  );
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
