// How the weekly review writes a value's state, its change vs last week and its target. Pure
// functions on top of the formatters it shares with the charts (api/shared/format.ts), so the page,
// the chart tooltips and the browser tests agree.
import { fmtDecimal, fmtDuration, fmtInt, fmtValue } from '../../../../../api/shared/format';
import type { Better, MetricInfo, MetricValue, Unit } from './types';

export type ValueState = 'value' | 'too_few' | 'none';

/** Whether a value can be shown, or why not. */
export function valueState(v: MetricValue | null | undefined): ValueState {
  if (!v) return 'none';
  if (v.value !== null && v.value !== undefined) return 'value';
  // Suppressed: fewer responses than the minimum. Otherwise null means nothing to compute from
  // (no responses, or e.g. a CLV without churn).
  return v.suppressed ? 'too_few' : 'none';
}

/** The words for a value that cannot be shown. */
export const STATE_TEXT: Record<Exclude<ValueState, 'value'>, string> = {
  too_few: 'not enough responses',
  none: 'no data',
};

/** The value as the page writes it, or the words for why there is none. */
export function valueText(v: MetricValue | null | undefined, unit: Unit): string {
  const s = valueState(v);
  return s === 'value' ? fmtValue(v!.value, unit, v!.n) : STATE_TEXT[s];
}

const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '±');

/** The size of a change in the metric's unit, without sign: "2.1 pts", "5m 17s". */
function changeMagnitude(a: number, unit: Unit): string {
  switch (unit) {
    case 'proportion':
      return `${fmtDecimal(a * 100, 1)} pts`;
    case 'seconds':
      return fmtDuration(a);
    case 'nps':
      return fmtInt(Math.round(a));
    case 'per_100':
      return `${fmtDecimal(a, 2)} per 100`;
    case 'score':
      return fmtDecimal(a, 2);
    default:
      return fmtInt(a);
  }
}

/** Whether a change rounds to nothing at the precision it is written with. */
export function roundsToZero(change: number, unit: Unit): boolean {
  const a = Math.abs(change);
  switch (unit) {
    case 'proportion':
      return Math.round(a * 1000) === 0; // tenths of a point
    case 'per_100':
    case 'score':
      return Math.round(a * 100) === 0; // two decimals
    default:
      return Math.round(a) === 0; // whole seconds, NPS points, counts, currency
  }
}

/** A change in the metric's unit: "+2.1 pts", "−5m 17s", "+1"; "±0 pts" when it rounds to nothing. */
export function fmtChange(change: number, unit: Unit): string {
  const m = changeMagnitude(Math.abs(change), unit);
  return `${roundsToZero(change, unit) ? '±' : sign(change)}${m}`;
}

export type Tone = 'better' | 'worse' | 'neutral';

export interface ChangeView {
  /** ▲ up, ▼ down, ▶ no change. */
  arrow: '▲' | '▼' | '▶';
  tone: Tone;
  /** "better", "worse", "longer", "shorter", "no change"… */
  word: string;
  /** The change in the metric's unit, e.g. "+2.1 pts". */
  amount: string;
  /** False when the change is within normal variation (not distinguishable from noise). */
  significant: boolean | null;
  /** One sentence for screen readers and titles. */
  sentence: string;
}

/** The change vs the previous week, or null when there is nothing to compare with. */
export function changeView(v: MetricValue, m: Pick<MetricInfo, 'unit' | 'better'>): ChangeView | null {
  if (v.change === null || v.change === undefined || !Number.isFinite(v.change)) return null;
  if (valueState(v) !== 'value') return null;
  const c = v.change;
  const shown = fmtChange(c, m.unit);
  const zero = roundsToZero(c, m.unit);
  const arrow = zero ? '▶' : c > 0 ? '▲' : '▼';
  let tone: Tone = 'neutral';
  let word: string;
  if (zero) word = 'no change';
  else if (m.better === 'none') word = m.unit === 'seconds' ? (c > 0 ? 'longer' : 'shorter') : c > 0 ? 'more' : 'fewer';
  else {
    const good = c > 0 === (m.better === 'higher');
    tone = good ? 'better' : 'worse';
    word = good ? 'better' : 'worse';
  }
  const significant = v.significant ?? null;
  const sentence = zero
    ? 'No change vs last week.'
    : `${shown} vs last week, ${word}${significant === false ? ', within normal variation' : ''}.`;
  return { arrow, tone, word, amount: shown, significant, sentence };
}

export interface TargetView {
  text: string;
  met: boolean | null;
}

/** The target in force and whether it was met; null when there is no target. */
export function targetView(
  v: { target?: number | null; met?: boolean | null; n?: number },
  unit: Unit,
): TargetView | null {
  if (v.target === null || v.target === undefined) return null;
  // Targets are round numbers: "80%", not "80.0%".
  const t =
    unit === 'proportion' && Number.isInteger(Math.round(v.target * 1000) / 10)
      ? `${fmtDecimal(v.target * 100, 0)}%`
      : fmtValue(v.target, unit);
  const met = v.met ?? null;
  return { text: `Target ${t}`, met };
}

/** The better-direction in words, for legends: "lower is better". */
export function betterText(better: Better): string {
  return better === 'higher'
    ? 'higher is better'
    : better === 'lower'
      ? 'lower is better'
      : 'neither direction is better on its own';
}
