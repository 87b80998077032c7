// Calendar days and ISO weeks (Monday start, `2024-W07`), for the API and the web app alike: the
// one implementation of the week arithmetic. Pure (no DOM, no Node): the web bundles this file.
// Dates are YYYY-MM-DD strings outside; all arithmetic is on day numbers (days since 1970-01-01,
// UTC), since a local calendar date has no time zone left in it.

const DAY = 86_400_000;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK = /^(\d{4})-W(\d{2})$/;

/** Days since 1970-01-01 of year `y`, month `m` (0-based) and day `d`; out-of-range months and days roll over. */
export function dayOf(y: number, m: number, d: number): number {
  const t = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  t.setUTCFullYear(y, m, d);
  return Math.round(t.getTime() / DAY);
}

/** Days since 1970-01-01 of a date YYYY-MM-DD (NaN for anything else). Out-of-month days roll over, as Date.UTC does. */
export function dayNumber(d: string): number {
  const m = YMD.exec(d);
  return m ? dayOf(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
}

/** The date YYYY-MM-DD of a day number; a RangeError outside years 0001–9999, which no four-digit label can hold. */
export function dayString(n: number): string {
  const t = new Date(n * DAY);
  const y = t.getUTCFullYear();
  if (!Number.isFinite(n) || !Number.isInteger(n) || y < 1 || y > 9999)
    throw new RangeError(`day number ${n} is outside the years 0001–9999`);
  return `${String(y).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** The day number of a date YYYY-MM-DD; a RangeError for anything else. */
export function parseDay(d: string): number {
  const n = dayNumber(d);
  if (Number.isNaN(n)) throw new RangeError(`'${d}' is not a date YYYY-MM-DD`);
  return n;
}

/** Adds days to a date YYYY-MM-DD. */
export const addDays = (d: string, n: number) => dayString(parseDay(d) + n);

/** Monday 0 … Sunday 6. */
export const weekday = (n: number) => (((n + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday (3)

/** ISO week-year and week of a day number. */
function isoWeekOf(n: number): { year: number; week: number } {
  const thursday = n - weekday(n) + 3;
  const year = new Date(thursday * DAY).getUTCFullYear();
  const jan4 = dayOf(year, 0, 4);
  const week1Monday = jan4 - weekday(jan4);
  return { year, week: Math.floor((thursday - week1Monday) / 7) + 1 };
}

/** The ISO week label of a day number: 2024-W07. */
export const weekLabel = (n: number) => {
  const { year, week } = isoWeekOf(n);
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
};

/** ISO week label of a date: 2024-W07 (the week-year can differ from the calendar year). */
export const isoWeek = (d: string): string => weekLabel(parseDay(d));

/** Monday of the ISO week that holds a date. */
export const weekStart = (d: string) => {
  const n = parseDay(d);
  return dayString(n - weekday(n));
};

/** The ISO week (Monday–Sunday) that holds a date: { from, to } as YYYY-MM-DD. */
export function weekRange(d: string): { from: string; to: string } {
  const from = weekStart(d);
  return { from, to: addDays(from, 6) };
}

/** The Monday of an ISO week label, or null when the label names no week (2025-W53). */
export function weekLabelStart(label: string): string | null {
  const m = WEEK.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1 || week < 1 || week > 53) return null;
  const jan4 = dayOf(year, 0, 4);
  const start = jan4 - weekday(jan4) + (week - 1) * 7;
  const { year: y, week: w } = isoWeekOf(start);
  return y === year && w === week ? dayString(start) : null;
}

/** The week `n` weeks after `label` (before, for negative `n`); a label that names no week is returned as it is. */
export function shiftWeek(label: string, n: number): string {
  const monday = weekLabelStart(label);
  return monday ? weekLabel(parseDay(monday) + 7 * n) : label;
}

/** Every week label from `first` to `last`, oldest first (at most `limit`, the newest kept). */
export function weeksBetween(first: string, last: string, limit = 260): string[] {
  const a = weekLabelStart(first);
  const b = weekLabelStart(last);
  if (!a || !b) return [];
  const out: string[] = [];
  for (let n = parseDay(b), stop = parseDay(a); n >= stop && out.length < limit; n -= 7) out.push(weekLabel(n));
  return out.reverse();
}

/** "W47" for axis labels. */
export function shortWeek(label: string): string {
  return label.replace(/^\d{4}-/, '');
}
