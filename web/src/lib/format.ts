// Shared formatting for numbers, durations, proportions and dates (Intl, British English):
// one place so every view says "81%", "1m 42s" and "Mon 16 Nov 2026" the same way.

const LOCALE = 'en-GB';

const intFmt = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
// Intl formatters are costly to make (tens of ms over a page of numbers): one per precision, kept.
const cached = <T>(make: (digits: number) => T) => {
  const made = new Map<number, T>();
  return (digits: number): T => {
    let f = made.get(digits);
    if (!f) made.set(digits, (f = make(digits)));
    return f;
  };
};
const decFmt = cached((digits) => new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const pctFmt = cached((digits) => new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: digits }));

const DASH = '—';

const ok = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** A whole number with thousands separators: 12,345. */
export function fmtInt(n: number | null | undefined): string {
  return ok(n) ? intFmt.format(n) : DASH;
}

/** A number with a fixed number of decimals: 4.2. */
export function fmtDecimal(n: number | null | undefined, digits = 1): string {
  return ok(n) ? decFmt(digits).format(n) : DASH;
}

/** A proportion (0–1) as a percentage: 0.8123 → "81.2%". */
export function fmtPercent(p: number | null | undefined, digits = 1): string {
  return ok(p) ? pctFmt(digits).format(p) : DASH;
}

/** Seconds as "42s", "1m 42s", "2h 05m". */
export function fmtDuration(seconds: number | null | undefined): string {
  if (!ok(seconds)) return DASH;
  const total = Math.round(Math.abs(seconds));
  const sign = seconds < 0 && total > 0 ? '−' : '';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${sign}${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${sign}${m}m ${String(s).padStart(2, '0')}s`;
  return `${sign}${s}s`;
}

/** How a metric's unit is written (the catalog's `unit`). */
export type MetricUnit = 'count' | 'proportion' | 'seconds' | 'currency' | 'per_100' | 'score' | 'nps' | string;

/** A metric value in its unit: proportions as %, seconds as durations, NPS signed. */
export function fmtMetric(value: number | null | undefined, unit: MetricUnit): string {
  if (!ok(value)) return DASH;
  switch (unit) {
    case 'proportion':
      return fmtPercent(value);
    case 'seconds':
      return fmtDuration(value);
    case 'nps':
      return `${value > 0 ? '+' : value < 0 ? '−' : ''}${fmtDecimal(Math.abs(value), Number.isInteger(value) ? 0 : 1)}`;
    case 'per_100':
      return `${fmtDecimal(value, 2)} per 100`;
    case 'score':
      return fmtDecimal(value, 2);
    case 'currency':
      return fmtInt(value);
    default:
      return Number.isInteger(value) ? fmtInt(value) : fmtDecimal(value, 2);
  }
}

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

// Formatters by time zone ('' is the browser's), made once each.
const byZone = <T>(make: (timeZone: string | undefined) => T) => {
  const made = new Map<string, T>();
  return (timeZone: string | undefined): T => {
    let f = made.get(timeZone ?? '');
    if (!f) made.set(timeZone ?? '', (f = make(timeZone)));
    return f;
  };
};
const dayParts = new Intl.DateTimeFormat(LOCALE, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayPartsIn = byZone((timeZone) => new Intl.DateTimeFormat(LOCALE, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone }));
const timeIn = byZone((timeZone) => new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }));
const ymdIn = byZone((timeZone) => new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }));

function joinDay(fmt: Intl.DateTimeFormat, d: Date): string {
  const p = Object.fromEntries(fmt.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "2026-11-16" (or an ISO timestamp) → "Mon 16 Nov 2026". */
export function fmtDate(value: string | null | undefined): string {
  if (!value) return DASH;
  const m = DATE_RE.exec(value);
  if (m) return joinDay(dayParts, new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : joinDay(dayPartsIn(orgZone), d);
}

/** An ISO timestamp → "Mon 16 Nov 2026, 14:05" in the organisation's time zone (the browser's until known). */
export function fmtDateTime(value: string | null | undefined): string {
  if (!value) return DASH;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${joinDay(dayPartsIn(orgZone), d)}, ${timeIn(orgZone).format(d)}`;
}

/** An instant's wall-clock time, "23:30", in a time zone (by default the organisation's; the browser's until known). */
export function fmtClock(at: Date | number, timeZone: string | undefined = orgZone): string {
  return timeIn(isTimeZone(timeZone) ? timeZone : undefined).format(at);
}

/** A date range: "Mon 16 Nov 2026 – Sun 22 Nov 2026"; an open end reads "onwards". */
export function fmtDateRange(from: string | null | undefined, to: string | null | undefined): string {
  if (!from && !to) return DASH;
  if (!to) return `${fmtDate(from)} onwards`;
  if (!from) return `until ${fmtDate(to)}`;
  return from === to ? fmtDate(from) : `${fmtDate(from)} – ${fmtDate(to)}`;
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
  const p = Object.fromEntries(ymdIn(isTimeZone(timeZone) ? timeZone : undefined).formatToParts(at).map((x) => [x.type, x.value]));
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
export function zoneNote(timeZone: string | null | undefined, browser: string | undefined = browserTimeZone(), now: Date = new Date()): string | null {
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

/** The ISO week (Monday–Sunday) holding a date: { from, to } as YYYY-MM-DD. */
export function isoWeekRange(date: string = todayIso()): { from: string; to: string } {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const weekday = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay(); // 0 = Sunday
  const from = addDays(date, -((weekday + 6) % 7));
  return { from, to: addDays(from, 6) };
}

/** The ISO week label of a date: "2026-W47". */
export function isoWeekLabel(date: string): string {
  const m = DATE_RE.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7);
  return `${year}-W${pad(week)}`;
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
