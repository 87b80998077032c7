// The few metrics the wallboard shows: label, unit, which way is better, and how to write them
// large. Hard-coded on purpose: the metric catalog is for readers, and a display token gets 403.
import { fmtDuration } from '$lib/format';
import type { Better, Unit as MetricUnit } from '../../../../../api/shared/catalog';

export type { Better };
/** The units the wallboard writes (no 1–5 scores on the TV). */
export type Unit = Exclude<MetricUnit, 'score'>;

export interface TvMetric {
  label: string;
  unit: Unit;
  better: Better;
  /** What n counts, for the small print ("93 responses"; the singular is the word without its final s). */
  counts: string;
  /** Decimals of a percentage. */
  digits?: number;
}

export const TV_METRICS: Record<string, TvMetric> = {
  wait_avg: { label: 'Average wait', unit: 'seconds', better: 'lower', counts: 'answered' },
  csat: { label: 'CSAT', unit: 'proportion', better: 'higher', counts: 'responses' },
  resolution_rate: { label: 'Resolved', unit: 'proportion', better: 'higher', counts: 'answered' },
  abandon_rate: { label: 'Abandoned', unit: 'proportion', better: 'lower', counts: 'contacts' },
  contacts: { label: 'Contacts', unit: 'count', better: 'none', counts: 'contacts' },
  handle_avg: { label: 'Time on call', unit: 'seconds', better: 'none', counts: 'answered' },
  churn_rate: { label: 'Churn', unit: 'proportion', better: 'lower', counts: 'customers', digits: 2 },
  clv: { label: 'Lifetime value', unit: 'currency', better: 'higher', counts: 'customers' },
  referral_rate: { label: 'Referral rate', unit: 'per_100', better: 'higher', counts: 'customers' },
  nps: { label: 'NPS', unit: 'nps', better: 'higher', counts: 'responses' },
  employee_retention_12m: { label: 'Stayed, year', unit: 'proportion', better: 'higher', counts: 'agents' },
  employee_retention: { label: 'Stayed, week', unit: 'proportion', better: 'higher', counts: 'agents' },
};

/** "1 response", "93 responses", "5 answered". */
export function countText(key: string, n: number): string {
  const word = metricOf(key).counts;
  return `${n.toLocaleString('en-GB')} ${n === 1 && word.endsWith('s') ? word.slice(0, -1) : word}`;
}

export function metricOf(key: string): TvMetric {
  return TV_METRICS[key] ?? { label: key, unit: 'count', better: 'none', counts: 'n' };
}

const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const num = (digits: number) =>
  new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 0 });

/** A value split into the big part and a small unit ("81.2" + "%"), so the unit can be set smaller. */
export function bigValue(key: string, value: number | null | undefined): { text: string; unit: string } {
  if (!ok(value)) return { text: '—', unit: '' };
  const m = metricOf(key);
  switch (m.unit) {
    case 'proportion': {
      const pct = value * 100;
      const digits = m.digits ?? (pct === 100 || pct === 0 ? 0 : 1);
      return { text: num(digits).format(pct), unit: '%' };
    }
    case 'seconds':
      return { text: fmtDuration(value), unit: '' };
    case 'nps':
      return { text: `${value > 0.05 ? '+' : value < -0.05 ? '−' : ''}${num(0).format(Math.abs(value))}`, unit: '' };
    case 'per_100':
      return { text: num(2).format(value), unit: '' };
    case 'currency':
      return { text: value >= 10_000 ? compact.format(value) : int.format(value), unit: '' };
    default:
      return { text: int.format(value), unit: '' };
  }
}

/** A value in one string, for small print ("yesterday 81.2%"). */
export function smallValue(key: string, value: number | null | undefined): string {
  const v = bigValue(key, value);
  return v.text + v.unit;
}

/** "target ≤ 45s", "target ≥ 85%"; null without a target. */
export function targetText(key: string, target: number | null | undefined): string | null {
  if (!ok(target)) return null;
  const m = metricOf(key);
  const sign = m.better === 'lower' ? '≤ ' : m.better === 'higher' ? '≥ ' : '';
  return `target ${sign}${smallValue(key, target)}`;
}

export type TargetState = 'met' | 'missed' | 'none';

export function targetState(cell: { target: number | null; met: boolean | null; value: number | null }): TargetState {
  if (cell.target === null || cell.met === null || cell.value === null) return 'none';
  return cell.met ? 'met' : 'missed';
}
