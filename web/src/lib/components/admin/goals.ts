// How a goal's metric, unit and target read on the Goals page (the form and the table share them).
import type { MetricDef } from '$lib/api';
import { fmtMetric } from '$lib/format';

const UNIT_SUFFIX: Record<string, string> = {
  proportion: '%',
  seconds: 'seconds',
  per_100: 'per 100 customers',
  nps: 'NPS points (−100…100)',
  score: 'points',
  count: '',
  currency: '',
};

/** The word written after a target field, '' when the unit needs none. */
export const unitSuffix = (unit: string) => UNIT_SUFFIX[unit] ?? unit;

export function betterWord(m: MetricDef | undefined) {
  return m?.better === 'higher' ? 'higher is better' : m?.better === 'lower' ? 'lower is better' : '';
}

/** A target as the goal reads: "≥ 80%" when higher is better, "≤ 45s" when lower is. */
export function targetText(value: number, unit: string, better: MetricDef['better'] | undefined) {
  const sign = better === 'higher' ? '≥ ' : better === 'lower' ? '≤ ' : '';
  return `${sign}${fmtMetric(value, unit)}`;
}
