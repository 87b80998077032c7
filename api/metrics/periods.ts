// Calendar periods in the organisation's time zone: days, ISO weeks (Monday start, `2024-W07`),
// months (`2024-02`) and the whole range (`total`). Dates are YYYY-MM-DD strings; all arithmetic
// is on UTC dates, since a local calendar date has no time zone left in it.
import type { Grain } from './registry';

export interface Period {
  label: string;
  /** First and last day of the period inside the requested range (inclusive). */
  start: string;
  end: string;
}

const DAY = 86_400_000;
export const toMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
export const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => toDate(toMs(d) + n * DAY);
export const daysBetween = (a: string, b: string) => Math.round((toMs(b) - toMs(a)) / DAY);

/** ISO week label of a date: 2024-W07 (the week-year can differ from the calendar year). */
export function isoWeek(d: string): string {
  const date = new Date(toMs(d));
  const dow = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(date.getTime() + (3 - dow) * DAY);
  const year = thursday.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week1Monday = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY;
  const week = Math.floor((thursday.getTime() - week1Monday) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday of the ISO week that holds a date. */
export const weekStart = (d: string) => addDays(d, -((new Date(toMs(d)).getUTCDay() + 6) % 7));

/** The Monday of an ISO week label. */
export function weekLabelStart(label: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return null;
  const jan4 = `${m[1]}-01-04`;
  const start = addDays(weekStart(jan4), (Number(m[2]) - 1) * 7);
  return isoWeek(start) === label ? start : null;
}

export function periodLabel(d: string, grain: Grain): string {
  switch (grain) {
    case 'day':
      return d;
    case 'week':
      return isoWeek(d);
    case 'month':
      return d.slice(0, 7);
    case 'total':
      return 'total';
  }
}

const monthEnd = (d: string) => {
  const dt = new Date(toMs(d));
  return toDate(Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + 1, 0));
};

/** The full calendar period holding a date. */
function fullPeriod(d: string, grain: Exclude<Grain, 'total'>): { start: string; end: string } {
  if (grain === 'day') return { start: d, end: d };
  if (grain === 'week') {
    const s = weekStart(d);
    return { start: s, end: addDays(s, 6) };
  }
  return { start: `${d.slice(0, 7)}-01`, end: monthEnd(d) };
}

/** Every period from `from` to `to` (inclusive), each clipped to the range; none is skipped. */
export function periodsBetween(from: string, to: string, grain: Grain): Period[] {
  if (grain === 'total') return [{ label: 'total', start: from, end: to }];
  const out: Period[] = [];
  let cursor = from;
  while (cursor <= to) {
    const full = fullPeriod(cursor, grain);
    const end = full.end < to ? full.end : to;
    out.push({ label: periodLabel(cursor, grain), start: cursor, end });
    cursor = addDays(full.end, 1);
  }
  return out;
}

/** The period before, of the same kind: the previous day, ISO week or month (clipped alike), or the same number of days before a total. */
export function previousPeriod(p: Period, grain: Grain): Period {
  if (grain === 'total') {
    const len = daysBetween(p.start, p.end) + 1;
    return { label: 'previous', start: addDays(p.start, -len), end: addDays(p.start, -1) };
  }
  if (grain === 'day') {
    const d = addDays(p.start, -1);
    return { label: d, start: d, end: d };
  }
  if (grain === 'week') {
    const start = addDays(p.start, -7);
    return { label: isoWeek(start), start, end: addDays(p.end, -7) };
  }
  const s = new Date(toMs(p.start));
  const prevMonthStart = toDate(Date.UTC(s.getUTCFullYear(), s.getUTCMonth() - 1, 1));
  const prevEnd = monthEnd(prevMonthStart);
  const offsetStart = Number(p.start.slice(8)) - 1;
  const offsetEnd = Number(p.end.slice(8)) - 1;
  const start = addDays(prevMonthStart, offsetStart) > prevEnd ? prevEnd : addDays(prevMonthStart, offsetStart);
  const end = p.end === monthEnd(p.start) || addDays(prevMonthStart, offsetEnd) > prevEnd ? prevEnd : addDays(prevMonthStart, offsetEnd);
  return { label: prevMonthStart.slice(0, 7), start, end };
}
