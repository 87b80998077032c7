// What a column's values are, from the scan's counts: dates (and in which order), clock times,
// durations, yes/no, ratings, names, channels. Each reading is one the import's transforms
// (transforms.ts) accept, so what inference proposes is what the import will read.
import type { ColumnProfile } from './infer-profile';
import type { DATE_ORDERS, DURATION_UNITS } from './mapping';
import { BOOLEAN_PAIRS, channelOf, durationUnitOf, FALSE_VALUES, TRUE_VALUES, type Channel } from './synonyms';

export type DateOrder = (typeof DATE_ORDERS)[number];
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** Most of the values, leaving room for a few stray ones (reported, not hidden). */
const MOST = 0.9;

export const fmt = (n: number) => n.toLocaleString('en');
export const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

export interface DateFact {
  order: DateOrder;
  /** false: the values read either way (or both ways): the order is a question. */
  decided: boolean;
  /** Why this order, in words. */
  why: string;
  /** Values read as dates (of the column's filled values). */
  read: number;
  withTime: boolean;
  amPm: boolean;
  offset: boolean;
}

export interface DurationFact {
  /** null: plain numbers with no unit in the header (a question). */
  unit: DurationUnit | null;
  /** The unit to propose when `unit` is null. */
  guess: DurationUnit;
  colon: boolean;
  read: number;
  why: string;
}

export interface ColumnFacts {
  p: ColumnProfile;
  header: string;
  date: DateFact | null;
  /** Clock times of day (`09:14`, `2:03 PM`). */
  clock: boolean;
  duration: DurationFact | null;
  bool: { true: string[]; false: string[] } | null;
  /** Whole numbers from 0 to 10: a rating. */
  scale: { min: number; max: number } | null;
  numeric: boolean;
  /** Values that read as names of people or teams (not codes). */
  names: boolean;
}

const DATE_HEADER = /\b(date|time|timestamp|datetime|at|on|created|opened|closed|when|day|received|submitted)\b/;

/** How the values of a date column read; `amPmNearby`: a time column beside it writes AM/PM. */
export function dateFact(p: ColumnProfile, header: string, amPmNearby = false): DateFact | null {
  const f = p.filled;
  if (f === 0) return null;
  if (p.iso >= MOST * f) {
    return {
      order: 'iso',
      decided: true,
      why: 'read as ISO 8601',
      read: p.iso,
      withTime: p.isoTime >= p.iso / 2,
      amPm: false,
      offset: p.isoOffset > 0,
    };
  }
  const withTime = p.datedTime >= p.dated / 2;
  const amPm = p.datedAmPm > 0;
  const offset = p.datedOffset > 0;
  if (p.dated + p.iso >= MOST * f && p.dated > 0) {
    if (p.yearFirst + p.iso >= MOST * f)
      return { order: 'ymd', decided: true, why: 'year first', read: p.dated + p.iso, withTime, amPm, offset };
    const read = p.dated;
    const day = p.dayFirst;
    const month = p.monthFirst;
    if (day > 0 && month === 0) {
      return {
        order: 'dmy',
        decided: true,
        why: `${plural(day, 'value')} only read day-first (e.g. \`${p.dayFirstExample}\`), none only month-first: day-first (dmy)`,
        read,
        withTime,
        amPm,
        offset,
      };
    }
    if (month > 0 && day === 0) {
      return {
        order: 'mdy',
        decided: true,
        why: `${plural(month, 'value')} only read month-first (e.g. \`${p.monthFirstExample}\`), none only day-first: month-first (mdy)`,
        read,
        withTime,
        amPm,
        offset,
      };
    }
    if (day > 0 && month > 0) {
      const order = day >= month ? 'dmy' : 'mdy';
      return {
        order,
        decided: false,
        why: `${plural(day, 'value')} only read day-first (e.g. \`${p.dayFirstExample}\`) and ${plural(month, 'value')} only month-first (e.g. \`${p.monthFirstExample}\`)`,
        read,
        withTime,
        amPm,
        offset,
      };
    }
    const us = amPm || amPmNearby;
    return {
      order: us ? 'mdy' : 'dmy',
      decided: false,
      why: `no value has a day above 12, so the order cannot be told${us ? '; times are written with AM/PM, as in the US' : ''}`,
      read,
      withTime,
      amPm,
      offset,
    };
  }
  // Numbers in a column named as a date: epoch seconds or milliseconds, or Excel serial days.
  if (DATE_HEADER.test(header) && p.numbers >= MOST * f) {
    if (p.min >= 1e11 && p.max < 1e14)
      return {
        order: 'epoch_millis',
        decided: true,
        why: 'milliseconds since 1970',
        read: p.numbers,
        withTime: true,
        amPm: false,
        offset: true,
      };
    if (p.min >= 1e8 && p.max < 1e11)
      return {
        order: 'epoch_seconds',
        decided: true,
        why: 'seconds since 1970',
        read: p.numbers,
        withTime: true,
        amPm: false,
        offset: true,
      };
    if (p.min >= 1 && p.max <= 2_958_465 && p.min >= 10_000)
      return {
        order: 'excel',
        decided: true,
        why: 'Excel serial days',
        read: p.numbers,
        withTime: p.integers < p.numbers,
        amPm: false,
        offset: false,
      };
  }
  return null;
}

function durationFact(p: ColumnProfile, header: string): DurationFact | null {
  const f = p.filled;
  if (f === 0) return null;
  if (p.hms >= MOST * f) return { unit: 'h:mm:ss', guess: 'h:mm:ss', colon: true, read: p.hms, why: 'read as h:mm:ss' };
  if (p.hms + p.twoPart >= MOST * f && p.twoPart > 0) {
    return {
      unit: 'mm:ss',
      guess: 'mm:ss',
      colon: true,
      read: p.hms + p.twoPart,
      why: `read as m:ss (minutes and seconds${p.twoPartFirstMax > 59 ? `; up to ${p.twoPartFirstMax} minutes` : ''})`,
    };
  }
  if (p.numbers >= MOST * f && p.min >= 0) {
    const unit = durationUnitOf(header);
    if (unit) return { unit, guess: unit, colon: false, read: p.numbers, why: `read as ${unit} (the header says so)` };
    if (p.max < 1 && p.integers < p.numbers)
      return {
        unit: 'excel_days',
        guess: 'excel_days',
        colon: false,
        read: p.numbers,
        why: 'read as fractions of a day (as Excel keeps durations)',
      };
    const guess = p.integers < p.numbers && p.max < 300 ? 'minutes' : 'seconds';
    return {
      unit: null,
      guess,
      colon: false,
      read: p.numbers,
      why: `plain numbers from ${fmt(p.min)} to ${fmt(p.max)} with no unit in the header`,
    };
  }
  return null;
}

function boolFact(p: ColumnProfile): ColumnFacts['bool'] {
  if (p.many || p.distinct.size === 0) return null;
  const yes: string[] = [];
  const no: string[] = [];
  for (const [key, { value }] of p.distinct) {
    if (TRUE_VALUES.includes(key)) yes.push(value);
    else if (FALSE_VALUES.includes(key)) no.push(value);
    else return null;
  }
  // One side only (every call answered): its counterpart completes the transform.
  if (no.length === 0) {
    const other = BOOLEAN_PAIRS[yes[0]!.toLowerCase()];
    if (!other) return null;
    no.push(yes[0] === yes[0]!.toUpperCase() ? other.toUpperCase() : other);
  }
  if (yes.length === 0) {
    const key = Object.keys(BOOLEAN_PAIRS).find((k) => BOOLEAN_PAIRS[k] === no[0]!.toLowerCase());
    if (!key) return null;
    yes.push(no[0] === no[0]!.toUpperCase() ? key.toUpperCase() : key);
  }
  return { true: yes, false: no };
}

const NAME = /^[\p{L}\p{M}][\p{L}\p{M}\d'’. &()-]*$/u;
const CODE = /^[a-z]{0,5}[-_ ]?\d{2,}[a-z]?$|^[0-9a-f-]{12,}$|^[^\s@]+@[^\s@]+$/i;

function namesFact(p: ColumnProfile): boolean {
  if (p.sample.length === 0) return false;
  const named = p.sample.filter((v) => NAME.test(v) && !CODE.test(v) && /\p{L}{2}/u.test(v)).length;
  return named >= MOST * p.sample.length;
}

export function columnFacts(p: ColumnProfile, header: string): ColumnFacts {
  const f = p.filled;
  const numeric = f > 0 && p.numbers >= MOST * f;
  return {
    p,
    header,
    date: dateFact(p, header),
    clock: f > 0 && p.clock >= MOST * f && p.iso + p.dated === 0,
    duration: durationFact(p, header),
    bool: boolFact(p),
    scale:
      f > 0 && p.numbers === f && p.integers === f && p.min >= 0 && p.max <= 10 ? { min: p.min, max: p.max } : null,
    numeric,
    names: namesFact(p),
  };
}

/** The channel each distinct value names, and the values that name none. */
export function channelValues(
  p: ColumnProfile,
): { values: Record<string, Channel>; unmapped: string[]; same: boolean } | null {
  if (p.many || p.distinct.size === 0) return null;
  const values: Record<string, Channel> = {};
  const unmapped: string[] = [];
  let same = true;
  for (const { value } of p.distinct.values()) {
    const channel = channelOf(value);
    if (channel) {
      values[value] = channel;
      if (value.toLowerCase() !== channel) same = false;
    } else {
      values[value] = 'other';
      unmapped.push(value);
      same = false;
    }
  }
  return { values, unmapped, same };
}
