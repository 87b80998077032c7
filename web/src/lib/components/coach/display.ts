// How the coaching views write a value: always with its n and 95% interval, and "not enough
// responses" instead of a number below the minimum n. Pure functions, shared by pages, charts and tests.
import { weekStart } from '../../../../../api/shared/iso-week';
import { addDays, fmtDate, fmtDecimal, fmtDuration, fmtInt } from '../../format';
import type { Unit as MetricUnit } from '../../../../../api/shared/catalog';
import type { MetricValue, PairId, TrendPoint } from './types';

/** The units the coaching views write. */
export type Unit = Extract<MetricUnit, 'proportion' | 'seconds' | 'count'>;

export interface MetricInfo {
  key: string;
  /** The name in tables and legends. */
  label: string;
  /** A shorter name for narrow headers and chart axes. */
  short: string;
  unit: Unit;
}

export const METRICS: Record<string, MetricInfo> = {
  contacts: { key: 'contacts', label: 'Contacts', short: 'Contacts', unit: 'count' },
  handle_avg: { key: 'handle_avg', label: 'Time on call', short: 'Time on call', unit: 'seconds' },
  wait_avg: { key: 'wait_avg', label: 'Average wait', short: 'Wait', unit: 'seconds' },
  csat: { key: 'csat', label: 'CSAT', short: 'CSAT', unit: 'proportion' },
  resolution_rate: { key: 'resolution_rate', label: 'Resolution', short: 'Resolution', unit: 'proportion' },
  response_rate: { key: 'response_rate', label: 'Survey response rate', short: 'Response rate', unit: 'proportion' },
  top_share: { key: 'top_share', label: 'Share of top scores', short: 'Top scores', unit: 'proportion' },
  churn_rate: { key: 'churn_rate', label: 'Churn rate', short: 'Churn', unit: 'proportion' },
  referral_rate: { key: 'referral_rate', label: 'Referral rate', short: 'Referrals', unit: 'count' },
  employee_retention: {
    key: 'employee_retention',
    label: 'Employee retention',
    short: 'Retention',
    unit: 'proportion',
  },
};

export function metricInfo(key: string, label?: string): MetricInfo {
  return METRICS[key] ?? { key, label: label ?? key, short: label ?? key, unit: 'count' };
}

/** The pairs a coaching conversation can focus on (the brief's five pairs). */
export const PAIR_OPTIONS: Array<{ id: PairId; label: string; metrics: string }> = [
  { id: 'time_on_call', label: 'Time on call', metrics: 'time on call ↔ CSAT' },
  { id: 'resolution', label: 'Resolution', metrics: 'resolution ↔ CSAT' },
  { id: 'waiting', label: 'Waiting', metrics: 'average wait ↔ CSAT' },
  { id: 'loyalty', label: 'Loyalty', metrics: 'churn ↔ referrals' },
  { id: 'people', label: 'People', metrics: 'employee retention ↔ CSAT' },
];

export const NOT_ENOUGH = 'not enough responses';
export const NO_DATA = 'no data';

const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** A number in its unit: "81%", "1m 42s", "1,204". Proportions get a decimal when n is large. */
export function fmtValue(value: number | null | undefined, unit: Unit, n?: number): string {
  if (!ok(value)) return '—';
  if (unit === 'proportion') return `${fmtDecimal(value * 100, n !== undefined && n < 100 ? 0 : 1)}%`;
  if (unit === 'seconds') return fmtDuration(value);
  return fmtInt(value);
}

/** Shorter, for chart axes. */
export function fmtAxis(value: number, unit: Unit): string {
  if (unit === 'proportion') return `${fmtDecimal(value * 100, 0)}%`;
  if (unit === 'seconds') return fmtDuration(value).replace(/ 00[ms]$/, '');
  return fmtInt(value);
}

export type ValueState = 'value' | 'too_few' | 'none';

/** Whether a value can be shown, or why not. */
export function valueState(v: MetricValue | TrendPoint | null | undefined): ValueState {
  if (!v) return 'none';
  if ('suppressed' in v && v.suppressed) return 'too_few';
  if (ok(v.value)) return 'value';
  return v.n > 0 ? 'too_few' : 'none';
}

/** The value, or the words for why there is none. */
export function valueText(v: MetricValue | TrendPoint | null | undefined, unit: Unit): string {
  const s = valueState(v);
  return s === 'value' ? fmtValue(v!.value, unit, v!.n) : s === 'too_few' ? NOT_ENOUGH : NO_DATA;
}

export function hasInterval(
  v: MetricValue | TrendPoint | null | undefined,
): v is MetricValue & { low: number; high: number } {
  return !!v && valueState(v) === 'value' && ok(v.low) && ok(v.high);
}

/** "74%–81%", or '' without an interval. */
export function rangeText(v: MetricValue | TrendPoint | null | undefined, unit: Unit): string {
  if (!hasInterval(v)) return '';
  return `${fmtValue(v.low, unit, v.n)}–${fmtValue(v.high, unit, v.n)}`;
}

/** "95% interval 74%–81%", or ''. */
export function intervalText(v: MetricValue | TrendPoint | null | undefined, unit: Unit): string {
  const r = rangeText(v, unit);
  return r ? `95% interval ${r}` : '';
}

/** "n = 1,204". */
export function nText(n: number | null | undefined): string {
  return `n = ${fmtInt(n ?? 0)}`;
}

/** One sentence for a value: "CSAT 81% (95% interval 74%–88%, n = 120)". */
export function valueSentence(label: string, v: MetricValue | TrendPoint | null | undefined, unit: Unit): string {
  const s = valueState(v);
  if (s !== 'value') return `${label}: ${s === 'too_few' ? `${NOT_ENOUGH} (${nText(v?.n)})` : NO_DATA}`;
  const i = intervalText(v, unit);
  return `${label} ${fmtValue(v!.value, unit, v!.n)} (${[i, nText(v!.n)].filter(Boolean).join(', ')})`;
}

/** The median of the numbers given (null for none). */
export function median(xs: number[]): number | null {
  const s = xs.filter(ok).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * A shared scale for interval bars: [min, max] over the values and intervals given, padded and
 * rounded out; proportions stay within 0–1.
 */
export function barDomain(values: Array<MetricValue | null | undefined>, unit: Unit): [number, number] | null {
  const xs: number[] = [];
  for (const v of values) {
    if (!v || valueState(v) !== 'value') continue;
    xs.push(v.value as number);
    if (ok(v.low)) xs.push(v.low);
    if (ok(v.high)) xs.push(v.high);
  }
  if (!xs.length) return null;
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  if (unit === 'proportion') {
    lo = Math.max(0, Math.floor(lo * 20) / 20);
    hi = Math.min(1, Math.ceil(hi * 20) / 20);
    if (hi - lo < 0.1) [lo, hi] = [Math.max(0, hi - 0.1), Math.min(1, lo + 0.1)];
  } else {
    const pad = (hi - lo) * 0.05 || Math.max(1, hi * 0.1);
    lo = Math.max(0, lo - pad);
    hi = hi + pad;
  }
  if (hi <= lo) hi = lo + 1;
  return [lo, hi];
}

/** "Mon 2 Nov – Sun 29 Nov 2026", short. */
export function periodText(p: { from: string; to: string }): string {
  const a = fmtDate(p.from).replace(/^\w+ /, '');
  const b = fmtDate(p.to).replace(/^\w+ /, '');
  const [ay] = a.split(' ').slice(-1);
  const [by] = b.split(' ').slice(-1);
  return ay === by ? `${a.replace(/ \d{4}$/, '')} – ${b}` : `${a} – ${b}`;
}

/** The Sunday ending the last complete ISO week before `today` (YYYY-MM-DD). */
export function lastCompleteWeekEnd(today: string): string {
  return addDays(weekStart(today), -1);
}

/** Days a coaching view may span (the API answers 400 `coach-range` beyond): a year of ISO weeks. */
export const COACH_MAX_DAYS = 371;

/** Days from `from` to `to`, both counted (YYYY-MM-DD); 0 when `to` is before `from` or either is not a date. */
export function periodDays(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return 0;
  return Math.round((b - a) / 86_400_000) + 1;
}

/** The "last N complete weeks" ending on `end` (a Sunday). */
export function weeksEnding(end: string, weeks: number): { from: string; to: string } {
  return { from: addDays(end, -(7 * weeks - 1)), to: end };
}

export { CHANNEL_LABELS } from '../../channels';

/** Escapes text for HTML (chart tooltips are HTML strings). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
