// From summed measures to metric values with n and a 95% interval.
import { histogramPercentile, meanInterval, npsInterval, waitBucketEdges, wilson } from './stats';

export interface Value {
  value: number | null;
  n: number;
  low?: number | null;
  high?: number | null;
}

type Measures = Record<string, number>;

const prop = (x: number, n: number): Value => {
  const w = wilson(Math.min(x, n), n);
  return { value: n > 0 ? x / n : null, n, low: w.low, high: w.high };
};
const mean = (n: number, sum: number, sq: number): Value => {
  const r = meanInterval(n, sum, sq);
  return { value: r.value, n, low: r.low, high: r.high };
};

/** Metrics computed from interaction measures. */
export function interactionValue(key: string, m: Measures, hist?: Map<number, number>): Value | undefined {
  switch (key) {
    case 'contacts':
      return { value: m.contacts! > 0 ? m.contacts! : null, n: m.contacts! };
    case 'abandon_rate':
      return prop(m.abandoned!, m.contacts!);
    case 'wait_avg':
      return mean(m.wait_n!, m.wait_sum!, m.wait_sq!);
    case 'handle_avg':
      return mean(m.handle_n!, m.handle_sum!, m.handle_sq!);
    case 'resolution_rate':
      return prop(m.resolved_yes!, m.resolved_n!);
    case 'wait_p90': {
      const buckets = [...(hist ?? new Map<number, number>()).entries()].sort((a, b) => a[0] - b[0]).map(([b, c]) => {
        const [lo, hi] = waitBucketEdges(b);
        return [lo, hi, c] as [number, number, number];
      });
      const r = histogramPercentile(buckets, 0.9);
      return { value: r.value, n: r.n, low: r.low, high: r.high };
    }
  }
  return undefined;
}

/** Metrics computed from survey measures. */
export function surveyValue(key: string, m: Measures): Value | undefined {
  switch (key) {
    case 'csat':
      return prop(m.csat_top2!, m.csat_n!);
    case 'csat_avg':
      return mean(m.csat_n!, m.csat_sum!, m.csat_sq!);
    case 'effort_avg':
      return mean(m.effort_n!, m.effort_sum!, m.effort_sq!);
    case 'nps': {
      const r = npsInterval(m.nps_n!, m.promoters!, m.detractors!);
      return { value: r.value, n: m.nps_n!, low: r.low, high: r.high };
    }
  }
  return undefined;
}

/**
 * Survey response rate: answered interactions with at least one linked survey ÷ answered
 * interactions, both by the interaction's day and dimensions (never above 1).
 */
export const responseRate = (responded: number, answered: number): Value => prop(responded, answered);

export { prop as proportionValue };
