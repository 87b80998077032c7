// How numbers, metric values and calendar dates are written (Intl, British English), for the web
// app and the server-drawn charts alike: every view says "81%", "1m 42s" and "Mon 16 Nov 2026" the
// same way. Pure (no DOM, no Node): the web bundles this file.
import type { MetricValue } from '../metrics/engine';
import type { Unit } from './catalog';

export const LOCALE = 'en-GB';

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
const decFmt = cached(
  (digits) => new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
);
const pctFmt = cached(
  (digits) =>
    new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: digits }),
);

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

// ---------------------------------------------------------------------------------------------
// Metric values as the weekly review and its charts write them.
// ---------------------------------------------------------------------------------------------

/** Below this many, a proportion is written without decimals (the decimal would be noise). */
export const PRECISE_N = 100;

/**
 * A value in its unit: proportions as % (one decimal when n is large enough), seconds as
 * "1m 42s", NPS as a signed integer, rates per 100, currency and counts with separators.
 */
export function fmtValue(value: number | null | undefined, unit: Unit, n?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'proportion':
      // Fixed decimals, so "81.0%" sits beside "74.5%".
      return `${fmtDecimal(value * 100, n !== undefined && n < PRECISE_N ? 0 : 1)}%`;
    case 'nps': {
      const r = Math.round(value);
      return `${r > 0 ? '+' : r < 0 ? '−' : ''}${fmtInt(Math.abs(r))}`;
    }
    case 'per_100':
      return `${fmtDecimal(value, 2)} per 100`;
    case 'score':
      return fmtDecimal(value, 2);
    default:
      return fmtMetric(value, unit);
  }
}

/** A value for axis labels: shorter (no seconds on minutes, no decimals on %). */
export function fmtAxis(value: number, unit: Unit): string {
  switch (unit) {
    case 'proportion':
      return fmtPercent(value, value !== 0 && Math.abs(value) < 0.1 ? 1 : 0);
    case 'seconds':
      // "45m", "6m 40s", "1h 05m": exact, without trailing zero parts.
      return fmtDuration(value).replace(/ 00[ms]$/, '');
    case 'per_100':
      return fmtDecimal(value, 2);
    case 'nps':
      return fmtValue(value, 'nps');
    case 'currency':
      return Math.abs(value) >= 10_000 ? `${fmtDecimal(value / 1000, 0)}k` : fmtInt(value);
    case 'score':
      return fmtDecimal(value, 1);
    default:
      return fmtInt(value);
  }
}

/** "n = 3,018". */
export function nText(n: number): string {
  return `n = ${fmtInt(n)}`;
}

/** "95% interval 74.5%–81.0%", or '' when there is no interval. */
export function intervalText(v: MetricValue, unit: Unit): string {
  if (v.low === null || v.low === undefined || v.high === null || v.high === undefined) return '';
  // A rate per 100 says its unit once: "0.31–0.73 per 100".
  if (unit === 'per_100') return `95% interval ${fmtDecimal(v.low, 2)}–${fmtDecimal(v.high, 2)} per 100`;
  // "−36 to +19" reads better than "−36–+19".
  const sep = v.low < 0 || unit === 'nps' ? ' to ' : '–';
  return `95% interval ${fmtValue(v.low, unit, v.n)}${sep}${fmtValue(v.high, unit, v.n)}`;
}

/** Escapes text for HTML (chart tooltips are HTML strings). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

// ---------------------------------------------------------------------------------------------
// Dates. Calendar dates (YYYY-MM-DD) are read as dates, never shifted by a time zone. Instants
// (timestamps) are drawn in `timeZone` (undefined: the runtime's own).
// ---------------------------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A function of a time zone whose result is made once per zone ('' is the runtime's). */
export const byZone = <T>(make: (timeZone: string | undefined) => T) => {
  const made = new Map<string, T>();
  return (timeZone: string | undefined): T => {
    let f = made.get(timeZone ?? '');
    if (!f) made.set(timeZone ?? '', (f = make(timeZone)));
    return f;
  };
};
const dayParts = new Intl.DateTimeFormat(LOCALE, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const dayPartsIn = byZone(
  (timeZone) =>
    new Intl.DateTimeFormat(LOCALE, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone }),
);

function joinDay(fmt: Intl.DateTimeFormat, d: Date): string {
  const p = Object.fromEntries(fmt.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** The day an instant falls on in a time zone: "Mon 16 Nov 2026". */
export function fmtDayOf(d: Date, timeZone: string | undefined): string {
  return joinDay(dayPartsIn(timeZone), d);
}

/** "2026-11-16" (or an ISO timestamp, on its day in `timeZone`) → "Mon 16 Nov 2026". */
export function fmtDate(value: string | null | undefined, timeZone?: string): string {
  if (!value) return DASH;
  const m = DATE_RE.exec(value);
  if (m) return joinDay(dayParts, new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : fmtDayOf(d, timeZone);
}

/** A date range: "Mon 16 Nov 2026 – Sun 22 Nov 2026"; an open end reads "onwards". */
export function fmtDateRange(
  from: string | null | undefined,
  to: string | null | undefined,
  timeZone?: string,
): string {
  if (!from && !to) return DASH;
  if (!to) return `${fmtDate(from, timeZone)} onwards`;
  if (!from) return `until ${fmtDate(to, timeZone)}`;
  return from === to ? fmtDate(from, timeZone) : `${fmtDate(from, timeZone)} – ${fmtDate(to, timeZone)}`;
}
