// Shared formatting for numbers, durations, proportions and dates (Intl, British English):
// one place so every view says "81%", "1m 42s" and "Mon 16 Nov 2026" the same way. What the
// server-drawn charts also need lives in api/shared; this adds the organisation's time zone.
import {
  byZone,
  fmtDate as fmtDateIn,
  fmtDateRange as fmtDateRangeIn,
  fmtDayOf,
  fmtDecimal,
  fmtInt,
  LOCALE,
  type MetricUnit,
} from '../../../api/shared/format';
import { isoWeek, weekRange } from '../../../api/shared/iso-week';

// The number formatting is shared with the server-drawn charts; re-exported for the app's many importers.
export { fmtDecimal, fmtDuration, fmtInt, fmtMetric, fmtPercent, type MetricUnit } from '../../../api/shared/format';

const DASH = '—';

/** Proportions are entered as percentages in forms: 80 ↔ 0.8. */
export function toInputValue(value: number, unit: MetricUnit): number {
  return unit === 'proportion' ? Math.round(value * 100 * 1e6) / 1e6 : value;
}
export function fromInputValue(value: number, unit: MetricUnit): number {
  return unit === 'proportion' ? Math.round((value / 100) * 1e8) / 1e8 : value;
}

// ---------------------------------------------------------------------------------------------
// Dates. Calendar dates (YYYY-MM-DD) are read as dates, never shifted by a time zone. Instants
// (timestamps, "today") are drawn in the organisation's time zone once the layout has it (from
// /auth/me), not the browser's: a laptop abroad or a kiosk on UTC must show the organisation's day.
// ---------------------------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether Intl knows a time zone name. */
export function isTimeZone(tz: string | null | undefined): tz is string {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

let orgZone: string | undefined;

/** Sets the organisation's time zone (ORG_TIMEZONE); a missing or unknown name leaves the browser's in force. */
export function setOrgTimeZone(tz: string | null | undefined): void {
  orgZone = isTimeZone(tz) ? tz : undefined;
}

/** The organisation's time zone, once known. */
export function orgTimeZone(): string | undefined {
  return orgZone;
}

/** The browser's own time zone. */
export function browserTimeZone(): string | undefined {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
}

const timeIn = byZone(
  (timeZone) => new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }),
);
const ymdIn = byZone(
  (timeZone) => new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }),
);

/** "2026-11-16" (or an ISO timestamp, on its day in the organisation's time zone) → "Mon 16 Nov 2026". */
export function fmtDate(value: string | null | undefined): string {
  return fmtDateIn(value, orgZone);
}

/** An ISO timestamp → "Mon 16 Nov 2026, 14:05" in the organisation's time zone (the browser's until known). */
export function fmtDateTime(value: string | null | undefined): string {
  if (!value) return DASH;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${fmtDayOf(d, orgZone)}, ${timeIn(orgZone).format(d)}`;
}

/** An instant's wall-clock time, "23:30", in a time zone (by default the organisation's; the browser's until known). */
export function fmtClock(at: Date | number, timeZone: string | undefined = orgZone): string {
  return timeIn(isTimeZone(timeZone) ? timeZone : undefined).format(at);
}

/** A date range: "Mon 16 Nov 2026 – Sun 22 Nov 2026"; an open end reads "onwards". */
export function fmtDateRange(from: string | null | undefined, to: string | null | undefined): string {
  return fmtDateRangeIn(from, to, orgZone);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A local Date as YYYY-MM-DD. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The date an instant falls on in a time zone, YYYY-MM-DD: 05:30 UTC on 11 March is still
 * 10 March in America/Chicago. No zone (or an unknown one): the browser's.
 */
export function dayIn(timeZone: string | undefined, at: Date | number = new Date()): string {
  const p = Object.fromEntries(
    ymdIn(isTimeZone(timeZone) ? timeZone : undefined)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's date in the organisation's time zone (the browser's until it is known), YYYY-MM-DD. */
export function todayIso(now: Date = new Date(), timeZone: string | undefined = orgZone): string {
  return dayIn(timeZone, now);
}

/**
 * "Times in America/Chicago" when the organisation's clock is not the browser's, else null. Two
 * names for one clock (Europe/Paris, Europe/Berlin) need no note: their wall clocks are compared
 * now and a quarter, a half and three quarters of a year on (summer time).
 */
export function zoneNote(
  timeZone: string | null | undefined,
  browser: string | undefined = browserTimeZone(),
  now: Date = new Date(),
): string | null {
  if (!isTimeZone(timeZone) || timeZone === browser) return null;
  const clock = (tz: string | undefined, at: Date) => `${dayIn(tz, at)} ${timeIn(tz).format(at)}`;
  const other = isTimeZone(browser) ? browser : undefined;
  for (const days of [0, 91, 182, 273]) {
    const at = new Date(now.getTime() + days * 86_400_000);
    if (clock(timeZone, at) !== clock(other, at)) return `Times in ${timeZone}`;
  }
  return null;
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const m = DATE_RE.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The ISO week (Monday–Sunday) holding a date (by default today's in the organisation's time zone): { from, to } as YYYY-MM-DD. */
export function isoWeekRange(date: string = todayIso()): { from: string; to: string } {
  return weekRange(date);
}

/** The ISO week label of a date: "2026-W47" (anything but a date YYYY-MM-DD is returned as it is). */
export function isoWeekLabel(date: string): string {
  return DATE_RE.test(date) ? isoWeek(date) : date;
}

/** A byte count: "12.3 MB". */
export function fmtBytes(bytes: number): string {
  if (bytes < 1024) return `${fmtInt(bytes)} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${fmtDecimal(v, v < 10 ? 1 : 0)} ${units[i]}`;
}

/** "1 row", "2 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}
