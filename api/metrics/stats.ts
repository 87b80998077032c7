/**
 * Pure, dependency-free statistics for the metrics engine.
 *
 * Every interval here is a two-sided 95% interval and every test is two-sided at
 * α = 0.05. Functions never throw on empty input: n = 0 gives nulls (and
 * `significant: false` for tests), so callers can pass rollup sums straight through.
 *
 * Special functions (log-gamma, regularized incomplete gamma and beta) follow the
 * classic Lanczos / series / Lentz continued-fraction formulations (Numerical Recipes
 * §6.1–6.4) and are accurate to roughly 1e-13 relative over the ranges used here.
 */

import { normalTwoSidedP, tQuantile, tTwoSidedP } from './distributions';

export * from './distributions';

/** z such that Φ(z) = 0.975: the 95% two-sided normal critical value. */
export const Z95 = 1.959963984540054;

/** Significance level of every test in this module. */
export const ALPHA = 0.05;

export interface Interval {
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface MeanInterval extends Interval {
  /** Sample standard deviation (n − 1 denominator); null when n < 2. */
  sd: number | null;
}

export interface PercentileEstimate extends Interval {
  /** Total count over all buckets. */
  n: number;
}

export interface ZTestResult {
  z: number | null;
  p: number | null;
  significant: boolean;
}

export interface WelchResult {
  t: number | null;
  df: number | null;
  p: number | null;
  significant: boolean;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

// ---------------------------------------------------------------------------
// Intervals
// ---------------------------------------------------------------------------

const NULL_INTERVAL: Interval = Object.freeze({ value: null, low: null, high: null });

/**
 * Wilson score interval for a proportion p̂ = x/n (Wilson 1927):
 *
 *   centre = (p̂ + z²/(2n)) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · √( p̂(1−p̂)/n + z²/(4n²) )
 *   [low, high] = centre ∓ half, clamped to [0, 1]
 *
 * value = p̂. n = 0 (or non-finite input) → all null.
 */
export function wilson(successes: number, n: number, z: number = Z95): Interval {
  if (!(n > 0) || !Number.isFinite(n) || !Number.isFinite(successes)) return { ...NULL_INTERVAL };
  const p = clamp(successes / n, 0, 1);
  const z2n = (z * z) / n;
  const denom = 1 + z2n;
  const centre = (p + z2n / 2) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // x = 0 and x = n give low = 0 and high = 1 exactly; don't leave 1 − 1e-16 residues.
  return {
    value: p,
    low: p === 0 ? 0 : clamp(centre - half, 0, 1),
    high: p === 1 ? 1 : clamp(centre + half, 0, 1),
  };
}

/**
 * Mean with a 95% Student t interval from the sufficient statistics n, Σx, Σx²:
 *
 *   x̄  = Σx / n
 *   s² = (Σx² − (Σx)²/n) / (n − 1)
 *
 * Σx² − (Σx)²/n cancels catastrophically when every x is (nearly) equal, leaving a rounding
 * residue of either sign of order ε·Σx²; anything below 1e-12·Σx² (negative included) is
 * taken as 0, so identical values give sd = 0 and low = high = x̄.
 *   x̄ ∓ t_{0.975, n−1} · s / √n
 *
 * n = 0 → all null; n = 1 → value only (low = high = sd = null: no variance estimate).
 */
export function meanInterval(n: number, sum: number, sumSquares: number): MeanInterval {
  if (!(n > 0) || !Number.isFinite(n) || !Number.isFinite(sum)) return { value: null, low: null, high: null, sd: null };
  const mean = sum / n;
  if (n < 2 || !Number.isFinite(sumSquares)) return { value: mean, low: null, high: null, sd: null };
  const ss = sumSquares - (sum * sum) / n;
  const variance = ss <= 1e-12 * Math.abs(sumSquares) ? 0 : ss / (n - 1);
  const sd = Math.sqrt(variance);
  const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { value: mean, low: mean - half, high: mean + half, sd };
}

/**
 * Variance of the per-response NPS score X ∈ {+1 promoter, 0 passive, −1 detractor}
 * with p = P/n, d = D/n: E[X] = p − d, E[X²] = p + d, so Var X = p + d − (p − d)².
 */
function npsVariance(n: number, promoters: number, detractors: number): { score: number; variance: number } {
  const p = promoters / n;
  const d = detractors / n;
  return { score: p - d, variance: Math.max(0, p + d - (p - d) * (p - d)) };
}

/**
 * Net Promoter Score on the −100…100 scale with a 95% normal interval:
 *
 *   NPS = 100 · (P − D) / n
 *   Var X = p + d − (p − d)²        (per response, X ∈ {+1, 0, −1})
 *   NPS ∓ z · 100 · √(Var X / n), clamped to [−100, 100]
 *
 * n = 0 → all null.
 */
export function npsInterval(n: number, promoters: number, detractors: number): Interval {
  if (!(n > 0) || !Number.isFinite(n)) return { ...NULL_INTERVAL };
  const { score, variance } = npsVariance(n, promoters, detractors);
  const value = 100 * score;
  const half = Z95 * 100 * Math.sqrt(variance / n);
  return { value, low: clamp(value - half, -100, 100), high: clamp(value + half, -100, 100) };
}

// ---------------------------------------------------------------------------
// Histogram percentiles
// ---------------------------------------------------------------------------

/** Number of the last (open) wait-histogram bucket: [48 h, ∞). */
export const WAIT_BUCKET_OPEN = 634;

/**
 * Edges [lower, upper) in seconds of a Pairwise wait-histogram bucket (the scheme of
 * api/rollups/definitions.ts `histBucket`):
 *   b < 360        → [5b, 5b + 5)                       (5-s buckets below 30 min)
 *   360 ≤ b < 450  → [1800 + 60(b − 360), … + 60)       (1-min buckets below 2 h)
 *   450 ≤ b < 634  → [7200 + 900(b − 450), … + 900)     (15-min buckets below 48 h: e-mail replies)
 *   b = 634        → [172800, ∞)
 */
export function waitBucketEdges(bucket: number): [number, number] {
  if (!Number.isInteger(bucket) || bucket < 0 || bucket > WAIT_BUCKET_OPEN) {
    throw new RangeError(`wait bucket must be an integer 0…${WAIT_BUCKET_OPEN}, got ${bucket}`);
  }
  if (bucket < 360) return [5 * bucket, 5 * bucket + 5];
  if (bucket < 450) {
    const lower = 1800 + 60 * (bucket - 360);
    return [lower, lower + 60];
  }
  if (bucket < WAIT_BUCKET_OPEN) {
    const lower = 7200 + 900 * (bucket - 450);
    return [lower, lower + 900];
  }
  return [172_800, Infinity];
}

/** The wait-histogram bucket holding a wait of `seconds` (inverse of waitBucketEdges; negatives → 0). */
export function waitBucketOf(seconds: number): number {
  const w = Math.max(0, seconds);
  if (w < 1800) return Math.floor(w / 5);
  if (w < 7200) return 360 + Math.floor((w - 1800) / 60);
  if (w < 172_800) return 450 + Math.floor((w - 7200) / 900);
  return WAIT_BUCKET_OPEN;
}

/**
 * Quantile of a histogram, mimicking PostgreSQL `percentile_cont(q)`, with a 95% interval.
 *
 * Convention. percentile_cont sorts the n values x₀ ≤ … ≤ x_{n−1} (0-based ranks) and
 * returns the linear interpolation at position h = q·(n − 1):
 *   x_⌊h⌋ + (h − ⌊h⌋)·(x_⌈h⌉ − x_⌊h⌋).
 * A histogram does not know the x_r, so each order statistic is estimated by spreading a
 * bucket's c values evenly over it: rank r, the (j+1)-th of the bucket [L, U) (j = r − values in
 * earlier buckets, 0 ≤ j < c), is estimated as x̂_r = L + (j + ½)/c · (U − L); in an open bucket
 * (U = ∞) x̂_r = L. The estimate is then the same interpolation over the x̂:
 *   value = x̂_⌊h⌋ + (h − ⌊h⌋)·(x̂_⌈h⌉ − x̂_⌊h⌋).
 * Since each x̂_r lies in the same bucket as x_r, |value − exact| < bucket width whenever both
 * x_⌊h⌋ and x_⌈h⌉ are in closed buckets (≤ 5 s for waits below 1800 s).
 *
 * Interval: distribution-free, from order statistics (Campbell & Gardner, BMJ 1988): with
 * σ = √(n q (1 − q)), the 1-based ranks r = round(n q − z σ) and s = round(1 + n q + z σ), clamped
 * to [1, n], give [x̂_(r), x̂_(s)] (i.e. 0-based ranks r − 1 and s − 1). The "+1" centres the
 * ranks on percentile_cont's 1-based position 1 + q(n − 1) ≈ n q + ½.
 *
 * Buckets may come in any order; buckets with count ≤ 0 are ignored. n = 0 → nulls.
 */
export function histogramPercentile(
  buckets: ReadonlyArray<readonly [lowerEdge: number, upperEdge: number, count: number]>,
  q: number,
  z: number = Z95,
): PercentileEstimate {
  const rows = buckets.filter((b) => b[2] > 0).sort((a, b) => a[0] - b[0]);
  let n = 0;
  for (const row of rows) n += row[2];
  if (n === 0 || !(q >= 0 && q <= 1)) return { value: null, low: null, high: null, n };

  // cumulative counts before each bucket, for rank lookup by binary search
  const before: number[] = [];
  let acc = 0;
  for (const row of rows) {
    before.push(acc);
    acc += row[2];
  }

  /** x̂_r for an integer 0-based rank r in [0, n − 1]. */
  const rankValue = (r: number): number => {
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((before[mid] as number) <= r) lo = mid;
      else hi = mid - 1;
    }
    const [lower, upper, count] = rows[lo] as readonly [number, number, number];
    if (!Number.isFinite(upper)) return lower;
    const j = r - (before[lo] as number);
    return lower + ((j + 0.5) / count) * (upper - lower);
  };

  const h = q * (n - 1);
  const r0 = Math.floor(h);
  const r1 = Math.min(n - 1, Math.ceil(h));
  const v0 = rankValue(r0);
  const value = r1 === r0 ? v0 : v0 + (h - r0) * (rankValue(r1) - v0);

  const sigma = Math.sqrt(n * q * (1 - q));
  const lowRank = clamp(Math.round(n * q - z * sigma), 1, n);
  const highRank = clamp(Math.round(1 + n * q + z * sigma), 1, n);
  return { value, low: Math.min(value, rankValue(lowRank - 1)), high: Math.max(value, rankValue(highRank - 1)), n };
}

// ---------------------------------------------------------------------------
// Tests of difference (two-sided, α = 0.05)
// ---------------------------------------------------------------------------

const NULL_Z: ZTestResult = Object.freeze({ z: null, p: null, significant: false });

function zResult(z: number): ZTestResult {
  const p = normalTwoSidedP(z);
  return { z, p, significant: p < ALPHA };
}

/**
 * Pooled two-proportion z-test of H₀: π₁ = π₂:
 *
 *   p̂ = (x₁ + x₂) / (n₁ + n₂)
 *   z  = (x₁/n₁ − x₂/n₂) / √( p̂(1 − p̂)(1/n₁ + 1/n₂) )
 *   p  = 2(1 − Φ(|z|)), significant when p < 0.05
 *
 * n = 0 on either side → nulls, not significant. Pooled p̂ ∈ {0, 1} means both proportions
 * are equal (both all-success or all-failure) → z = 0, p = 1.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): ZTestResult {
  if (!(n1 > 0) || !(n2 > 0) || ![x1, n1, x2, n2].every(Number.isFinite)) return { ...NULL_Z };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, p: 1, significant: false };
  return zResult((x1 / n1 - x2 / n2) / se);
}

export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator). */
  sd: number;
}

/**
 * Welch's unequal-variance t-test of H₀: μ_a = μ_b:
 *
 *   vₐ = sₐ²/nₐ, v_b = s_b²/n_b
 *   t  = (x̄ₐ − x̄_b) / √(vₐ + v_b)
 *   ν  = (vₐ + v_b)² / ( vₐ²/(nₐ − 1) + v_b²/(n_b − 1) )      (Welch–Satterthwaite)
 *   p  = P(|T_ν| ≥ |t|), significant when p < 0.05
 *
 * Degenerate cases (n < 2 on either side, non-finite input, or zero standard error) →
 * nulls and significant false.
 */
export function welchTest(a: SampleSummary, b: SampleSummary): WelchResult {
  const none: WelchResult = { t: null, df: null, p: null, significant: false };
  if (!(a.n >= 2) || !(b.n >= 2)) return none;
  if (![a.n, a.mean, a.sd, b.n, b.mean, b.sd].every(Number.isFinite)) return none;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se2 = va + vb;
  if (!(se2 > 0)) return none;
  const t = (a.mean - b.mean) / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const p = tTwoSidedP(t, df);
  return { t, df, p, significant: p < ALPHA };
}

export interface NpsSummary {
  n: number;
  promoters: number;
  detractors: number;
}

/**
 * z-test on the difference of two NPS values (independent samples), on the −1…1 scale:
 *
 *   S = p − d,  Var X = p + d − (p − d)² (per response, see npsInterval)
 *   z = (Sₐ − S_b) / √( Var Xₐ/nₐ + Var X_b/n_b )
 *   p = 2(1 − Φ(|z|)), significant when p < 0.05
 *
 * n = 0 on either side → nulls, not significant. Zero standard error (every response on both
 * sides identical, e.g. all promoters) → z = 0, p = 1 if the scores are equal, else nulls.
 */
export function npsDifferenceTest(a: NpsSummary, b: NpsSummary): ZTestResult {
  if (
    !(a.n > 0) ||
    !(b.n > 0) ||
    ![a.n, a.promoters, a.detractors, b.n, b.promoters, b.detractors].every(Number.isFinite)
  ) {
    return { ...NULL_Z };
  }
  const sa = npsVariance(a.n, a.promoters, a.detractors);
  const sb = npsVariance(b.n, b.promoters, b.detractors);
  const se = Math.sqrt(sa.variance / a.n + sb.variance / b.n);
  if (!(se > 0)) return sa.score === sb.score ? { z: 0, p: 1, significant: false } : { ...NULL_Z };
  return zResult((sa.score - sb.score) / se);
}
