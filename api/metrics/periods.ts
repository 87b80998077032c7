// Calendar periods in the organisation's time zone: days, ISO weeks (Monday start, `2024-W07`),
// months (`2024-02`) and the whole range (`total`). Dates are YYYY-MM-DD strings outside; all
// arithmetic is on day numbers (days since 1970-01-01, UTC), since a local calendar date has no
// time zone left in it. Loops count on numbers, never compare date strings: past year 9999 a date
// prints as '+010000-01-01' and would sort before '9999-…'.
import { dayOf, dayString, parseDay, weekday, weekLabel } from '../shared/iso-week';
import type { Grain } from './registry';

export interface Period {
  label: string;
  /** First and last day of the period inside the requested range (inclusive). */
  start: string;
  end: string;
}

const DAY = 86_400_000;

// Days and ISO weeks are shared with the web app (one implementation of the week arithmetic);
// re-exported here for the API's many importers of this module.
export { addDays, dayNumber, dayString, isoWeek, weekLabelStart, weekStart } from '../shared/iso-week';

export const toMs = (d: string) => parseDay(d) * DAY;
export const toDate = (ms: number) => dayString(Math.floor(ms / DAY));
export const daysBetween = (a: string, b: string) => parseDay(b) - parseDay(a);

/** Today's date in a time zone, YYYY-MM-DD: where every "this week" and "today" starts. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Year and month (0-based) of a day number. */
function yearMonth(n: number): { y: number; m: number } {
  const t = new Date(n * DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() };
}

/** The day number of the first day of month `m` (0-based, may overflow into other years) of year `y`. */
const monthStartDay = (y: number, m: number) => dayOf(y, m, 1);

const monthEndDay = (n: number) => {
  const { y, m } = yearMonth(n);
  return monthStartDay(y, m + 1) - 1;
};

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

export const periodLabel = (d: string, grain: Grain): string => labelOf(parseDay(d), grain);

/** The last day (number) of the calendar period holding day `n`: never before `n`. */
function fullPeriodEnd(n: number, grain: Exclude<Grain, 'total'>): number {
  if (grain === 'day') return n;
  if (grain === 'week') return n - weekday(n) + 6;
  return monthEndDay(n);
}

/** How many periods `periodsBetween` gives, counted without making them (0 when `from` is after `to`). */
export function periodCount(from: string, to: string, grain: Grain): number {
  const a = parseDay(from);
  const b = parseDay(to);
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
  const a = parseDay(from);
  const b = parseDay(to);
  if (a > b) return [];
  if (grain === 'total') return [{ label: 'total', start: from, end: to }];
  const out: Period[] = [];
  // Each step moves past the end of a period that ends on or after the cursor: the cursor grows.
  for (let cursor = a; cursor <= b;) {
    const fullEnd = fullPeriodEnd(cursor, grain);
    out.push({ label: labelOf(cursor, grain), start: dayString(cursor), end: dayString(Math.min(fullEnd, b)) });
    cursor = fullEnd + 1;
  }
  return out;
}

/** The period before, of the same kind: the previous day, ISO week or month (clipped alike), or the same number of days before a total. */
export function previousPeriod(p: Period, grain: Grain): Period {
  const s = parseDay(p.start);
  const e = parseDay(p.end);
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
