// Calendar periods in the organisation's time zone: days, ISO weeks (Monday start, `2024-W07`),
// months (`2024-02`) and the whole range (`total`). Dates are YYYY-MM-DD strings outside; all
// arithmetic is on day numbers (days since 1970-01-01, UTC), since a local calendar date has no
// time zone left in it. Loops count on numbers, never compare date strings: past year 9999 a date
// prints as '+010000-01-01' and would sort before '9999-…'.
import type { Grain } from './registry';

export interface Period {
  label: string;
  /** First and last day of the period inside the requested range (inclusive). */
  start: string;
  end: string;
}

const DAY = 86_400_000;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a date YYYY-MM-DD (NaN for anything else). Out-of-month days roll over, as Date.UTC does. */
export function dayNumber(d: string): number {
  const m = YMD.exec(d);
  if (!m) return Number.NaN;
  const t = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  t.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(t.getTime() / DAY);
}

/** The date YYYY-MM-DD of a day number; a RangeError outside years 0001–9999, which no four-digit label can hold. */
export function dayString(n: number): string {
  const t = new Date(n * DAY);
  const y = t.getUTCFullYear();
  if (!Number.isFinite(n) || !Number.isInteger(n) || y < 1 || y > 9999) throw new RangeError(`day number ${n} is outside the years 0001–9999`);
  return `${String(y).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** Monday 0 … Sunday 6. */
const weekday = (n: number) => (((n + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday (3)

function parsed(d: string): number {
  const n = dayNumber(d);
  if (Number.isNaN(n)) throw new RangeError(`'${d}' is not a date YYYY-MM-DD`);
  return n;
}

export const toMs = (d: string) => parsed(d) * DAY;
export const toDate = (ms: number) => dayString(Math.floor(ms / DAY));
export const addDays = (d: string, n: number) => dayString(parsed(d) + n);
export const daysBetween = (a: string, b: string) => parsed(b) - parsed(a);

/** Year and month (0-based) of a day number. */
function yearMonth(n: number): { y: number; m: number } {
  const t = new Date(n * DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() };
}

/** The day number of the first day of month `m` (0-based, may overflow into other years) of year `y`. */
function monthStartDay(y: number, m: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m, 1);
  return Math.round(t.getTime() / DAY);
}

const monthEndDay = (n: number) => {
  const { y, m } = yearMonth(n);
  return monthStartDay(y, m + 1) - 1;
};

/** ISO week-year and week of a day number. */
function isoWeekOf(n: number): { year: number; week: number } {
  const thursday = n - weekday(n) + 3;
  const year = new Date(thursday * DAY).getUTCFullYear();
  const jan4 = monthStartDay(year, 0) + 3;
  const week1Monday = jan4 - weekday(jan4);
  return { year, week: Math.floor((thursday - week1Monday) / 7) + 1 };
}

const weekLabel = (n: number) => {
  const { year, week } = isoWeekOf(n);
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
};

/** ISO week label of a date: 2024-W07 (the week-year can differ from the calendar year). */
export const isoWeek = (d: string): string => weekLabel(parsed(d));

/** Monday of the ISO week that holds a date. */
export const weekStart = (d: string) => {
  const n = parsed(d);
  return dayString(n - weekday(n));
};

/** The Monday of an ISO week label, or null when the label names no week (2025-W53). */
export function weekLabelStart(label: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1 || week < 1 || week > 53) return null;
  const jan4 = monthStartDay(year, 0) + 3;
  const start = jan4 - weekday(jan4) + (week - 1) * 7;
  const { year: y, week: w } = isoWeekOf(start);
  return y === year && w === week ? dayString(start) : null;
}

const labelOf = (n: number, grain: Grain): string => {
  switch (grain) {
    case 'day':
      return dayString(n);
    case 'week':
      return weekLabel(n);
    case 'month':
      return dayString(n).slice(0, 7);
    case 'total':
      return 'total';
  }
};

export const periodLabel = (d: string, grain: Grain): string => labelOf(parsed(d), grain);

/** The last day (number) of the calendar period holding day `n`: never before `n`. */
function fullPeriodEnd(n: number, grain: Exclude<Grain, 'total'>): number {
  if (grain === 'day') return n;
  if (grain === 'week') return n - weekday(n) + 6;
  return monthEndDay(n);
}

/** How many periods `periodsBetween` gives, counted without making them (0 when `from` is after `to`). */
export function periodCount(from: string, to: string, grain: Grain): number {
  const a = parsed(from);
  const b = parsed(to);
  if (a > b) return 0;
  switch (grain) {
    case 'total':
      return 1;
    case 'day':
      return b - a + 1;
    case 'week':
      return (b - weekday(b) - (a - weekday(a))) / 7 + 1;
    case 'month': {
      const x = yearMonth(a);
      const y = yearMonth(b);
      return (y.y - x.y) * 12 + (y.m - x.m) + 1;
    }
  }
}

/** Every period from `from` to `to` (inclusive), each clipped to the range; none is skipped. */
export function periodsBetween(from: string, to: string, grain: Grain): Period[] {
  const a = parsed(from);
  const b = parsed(to);
  if (a > b) return [];
  if (grain === 'total') return [{ label: 'total', start: from, end: to }];
  const out: Period[] = [];
  // Each step moves past the end of a period that ends on or after the cursor: the cursor grows.
  for (let cursor = a; cursor <= b; ) {
    const fullEnd = fullPeriodEnd(cursor, grain);
    out.push({ label: labelOf(cursor, grain), start: dayString(cursor), end: dayString(Math.min(fullEnd, b)) });
    cursor = fullEnd + 1;
  }
  return out;
}

/** The period before, of the same kind: the previous day, ISO week or month (clipped alike), or the same number of days before a total. */
export function previousPeriod(p: Period, grain: Grain): Period {
  const s = parsed(p.start);
  const e = parsed(p.end);
  if (grain === 'total') {
    const len = e - s + 1;
    return { label: 'previous', start: dayString(s - len), end: dayString(s - 1) };
  }
  if (grain === 'day') {
    const d = dayString(s - 1);
    return { label: d, start: d, end: d };
  }
  if (grain === 'week') return { label: weekLabel(s - 7), start: dayString(s - 7), end: dayString(e - 7) };
  const { y, m } = yearMonth(s);
  const prevStart = monthStartDay(y, m - 1);
  const prevEnd = monthStartDay(y, m) - 1;
  const monthStart = monthStartDay(y, m);
  // The same days of the month, clipped to the shorter month; a period to its month's end maps to the previous month's end.
  const start = Math.min(prevStart + (s - monthStart), prevEnd);
  const end = e === monthEndDay(s) ? prevEnd : Math.min(prevStart + (e - monthStart), prevEnd);
  return { label: dayString(prevStart).slice(0, 7), start: dayString(start), end: dayString(end) };
}
