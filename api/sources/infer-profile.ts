// What one value of a column could be (number, duration, clock time, date in either order), counted per column.
import { readDuration, readMoment, readNumber } from './transforms';

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

export function profile(index: number, name: string): ColumnProfile {
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
export function classify(p: ColumnProfile, v: string) {
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

/** A value of a typed column: a number, a date, a clock time or a duration. */
export function typed(v: string): boolean {
  return (
    readNumber(v) !== null ||
    readDuration(v, 'h:mm:ss') !== null ||
    CLOCK.test(v) ||
    readMoment(v, 'iso') !== null ||
    readMoment(v, 'dmy') !== null
  );
}
