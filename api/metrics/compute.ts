// The building blocks registry entries compute with: what a value function is given, and the
// shared value shapes (proportion, mean, NPS, 90th percentile) and change tests they reference.
import type { Period } from './periods';
import type { Reference } from './reference';
import type { Measure } from './sources';
import {
  histogramPercentile,
  meanInterval,
  npsDifferenceTest,
  npsInterval,
  twoProportionTest,
  waitBucketEdges,
  welchTest,
  wilson,
} from './stats';

export interface Value {
  value: number | null;
  n: number;
  low?: number | null;
  high?: number | null;
}

/** Summed rollup measures of one period (and dimension value); only those the metric names are read. */
export type Measures = Readonly<Record<Measure, number>>;

/** The organisation rows a value counts: customers and referrals in scope, agents of the teams in scope. */
export interface OrgRows {
  customers: Reference['org']['customers'];
  referrals: Reference['org']['referrals'];
  agents: Reference['org']['agents'];
  /** The row's team when broken down by team. */
  team?: number;
}

export interface MetricInput {
  m: Measures;
  /** Wait histogram, bucket → count (for metrics that ask for it). */
  hist?: Map<number, number>;
  period: Period;
  /** Built on demand: only organisation metrics read it. */
  org(): OrgRows;
}

/** One side of a comparison: a non-null value, its n and the measures it came from. */
export interface Sample {
  value: number;
  n: number;
  m: Measures;
}

/** How a registry entry computes: the measures it sums, its value, and its change test. */
export interface Computation {
  /** Summed measures of its source's rollup (none for organisation metrics). */
  measures: readonly Measure[];
  /** Also read the wait histogram (interaction metrics only). */
  histogram?: true;
  value(input: MetricInput): Value;
  /** Is the change vs the previous period more than noise at 95%? Absent: never judged (null). */
  change?(cur: Sample, prev: Sample): boolean | null;
}

export const countValue = (n: number): Value => ({ value: n > 0 ? n : null, n });

export const proportionValue = (x: number, n: number): Value => {
  const w = wilson(Math.min(x, n), n);
  return { value: n > 0 ? x / n : null, n, low: w.low, high: w.high };
};

export const meanValue = (n: number, sum: number, sq: number): Value => {
  const r = meanInterval(n, sum, sq);
  return { value: r.value, n, low: r.low, high: r.high };
};

export const npsValue = (n: number, promoters: number, detractors: number): Value => {
  const r = npsInterval(n, promoters, detractors);
  return { value: r.value, n, low: r.low, high: r.high };
};

/** A percentile of the wait histogram with its order-statistics interval. */
export function waitPercentile(hist: Map<number, number> | undefined, q: number): Value {
  const buckets = [...(hist ?? new Map<number, number>()).entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, c]) => {
      const [lo, hi] = waitBucketEdges(b);
      return [lo, hi, c] as [number, number, number];
    });
  const r = histogramPercentile(buckets, q);
  return { value: r.value, n: r.n, low: r.low, high: r.high };
}

/**
 * Two-proportion z test on the successes recovered from value × n: `scale` 100 for per-100
 * rates; `complement` for retention, whose events are the leavers (1 − value).
 */
export function proportionChange(opts: { scale?: number; complement?: boolean } = {}) {
  const scale = opts.scale ?? 1;
  const x = (s: Sample) => Math.round(((opts.complement ? 1 - s.value : s.value) / scale) * s.n);
  return (cur: Sample, prev: Sample) => twoProportionTest(x(cur), cur.n, x(prev), prev.n).significant;
}

const sd = (n: number, sum: number, sq: number) =>
  n > 1 ? Math.sqrt(Math.max(0, (sq - (sum * sum) / n) / (n - 1))) : 0;

/** Welch's t test on two means, their sd from the measures n, Σx and Σx². */
export function meanChange(n: Measure, sum: Measure, sq: Measure) {
  const summary = (s: Sample) => ({ n: s.m[n], mean: s.value, sd: sd(s.m[n], s.m[sum], s.m[sq]) });
  return (cur: Sample, prev: Sample) => welchTest(summary(cur), summary(prev)).significant;
}

/** z test on the difference of two NPS values from the measures n, promoters and detractors. */
export function npsChange(n: Measure, promoters: Measure, detractors: Measure) {
  const summary = (s: Sample) => ({ n: s.m[n], promoters: s.m[promoters], detractors: s.m[detractors] });
  return (cur: Sample, prev: Sample) => npsDifferenceTest(summary(cur), summary(prev)).significant;
}

/** A mean with its t interval and Welch change test, from the measures n, Σx and Σx². */
export function meanOf(n: Measure, sum: Measure, sq: Measure): Computation {
  return { measures: [n, sum, sq], value: ({ m }) => meanValue(m[n], m[sum], m[sq]), change: meanChange(n, sum, sq) };
}

/** A proportion x ÷ n with its Wilson interval and two-proportion change test. */
export function proportionOf(x: Measure, n: Measure): Computation {
  return { measures: [x, n], value: ({ m }) => proportionValue(m[x], m[n]), change: proportionChange() };
}
