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
// Special functions
// ---------------------------------------------------------------------------

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/**
 * ln Γ(x) for x > 0, Lanczos approximation (g = 7, 9 terms):
 * Γ(x+1) = √(2π) (x + g + ½)^(x+½) e^−(x+g+½) A_g(x); reflection for x < ½.
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-16;
const TINY = 1e-300;

/**
 * Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a).
 * Series for P when x < a + 1, Lentz continued fraction for Q otherwise.
 */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // P(a,x) = e^−x x^a / Γ(a) · Σ_k x^k / (a(a+1)…(a+k))
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let k = 0; k < 10_000; k++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  // Q(a,x) = e^−x x^a / Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …)))
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(lead) * h;
}

/** Continued fraction for the incomplete beta (modified Lentz), NR `betacf`. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    // even step: d_{2m} = m(b−m)x / ((a+2m−1)(a+2m))
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // odd step: d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1))
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b) / B(a, b), for a, b > 0, 0 ≤ x ≤ 1:
 * I_x(a,b) = x^a (1−x)^b / (a B(a,b)) · CF(a,b,x), using the symmetry
 * I_x(a,b) = 1 − I_{1−x}(b,a) when x > (a+1)/(a+b+2) so the fraction converges fast.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

// ---------------------------------------------------------------------------
// Normal distribution
// ---------------------------------------------------------------------------

/** Complementary error function: erfc(x) = Q(½, x²) for x ≥ 0, erfc(−x) = 2 − erfc(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  return gammaQ(0.5, x * x);
}

/** Standard normal CDF Φ(z) = ½ erfc(−z/√2). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided normal p-value: P(|Z| ≥ |z|) = erfc(|z|/√2). */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Evaluate a polynomial with coefficients in ascending order (Horner). */
function poly(c: readonly number[], x: number): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = r * x + (c[i] as number);
  return r;
}

// Wichura (1988), Algorithm AS 241 PPND16: rational approximations, ~1e-16 relative.
const AS241_A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const AS241_B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852545925,
];
const AS241_C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const AS241_D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const AS241_E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const AS241_F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/**
 * Standard normal quantile Φ⁻¹(p), Wichura's AS 241 (PPND16): with q = p − ½,
 * |q| ≤ 0.425 → q·A(r)/B(r) with r = 0.180625 − q²; otherwise r = √(−ln min(p, 1−p)) and
 * C(r−1.6)/D(r−1.6) for r ≤ 5, E(r−5)/F(r−5) beyond, signed by q. p = 0 → −∞, p = 1 → +∞.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(AS241_A, r)) / poly(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = poly(AS241_C, r) / poly(AS241_D, r);
  } else {
    r -= 5;
    x = poly(AS241_E, r) / poly(AS241_F, r);
  }
  return q < 0 ? -x : x;
}

// ---------------------------------------------------------------------------
// Student t distribution
// ---------------------------------------------------------------------------

/**
 * Upper tail P(T > t) of Student t with df > 0 degrees of freedom (df need not be an integer):
 * for t ≥ 0, P(T > t) = ½ I_{df/(df+t²)}(df/2, ½); for t < 0 it is 1 − P(T > −t).
 * df = ∞ → normal upper tail.
 */
export function tUpperTail(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || df <= 0) return NaN;
  if (df === Infinity) return 0.5 * erfc(t / Math.SQRT2);
  if (t < 0) return 1 - tUpperTail(-t, df);
  if (t === Infinity) return 0;
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Student t CDF P(T ≤ t) = 1 − P(T > t). */
export function tCdf(t: number, df: number): number {
  return 1 - tUpperTail(t, df);
}

/** Two-sided t p-value: P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, ½). */
export function tTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tUpperTail(Math.abs(t), df));
}

/** Student t density f(t) = Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^−(ν+1)/2. */
export function tPdf(t: number, df: number): number {
  if (df === Infinity) return Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  const lnC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(lnC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Student t quantile: the t with P(T ≤ t) = p, for any real df > 0.
 * df = ∞ → Φ⁻¹(p); df = 1 (Cauchy) → tan(π(p − ½)); df = 2 → (2p−1)/√(2p(1−p)).
 * Otherwise, by symmetry solve for the upper tail u = 1 − p (p ≥ ½), on t ≥ 0:
 * safeguarded Newton on g(t) = P(T > t) − u (g′ = −f(t)) inside a bracket [lo, hi]
 * that shrinks every step, falling back to bisection when a Newton step leaves it.
 * Converges to ~1e-12 relative; the tests check 1e-6 against tables.
 */
export function tQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df) || df <= 0 || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normalQuantile(p);
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const u = 1 - p;
  // Bracket: P(T > 0) = ½ > u; grow hi until the tail is below u.
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p));
  while (tUpperTail(hi, df) > u) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  // Start from the normal quantile with the first Cornish–Fisher correction
  // t ≈ z + (z³ + z)/(4ν), kept inside the bracket.
  const z = normalQuantile(p);
  let t = z + (z * z * z + z) / (4 * df);
  if (!(t > lo && t < hi)) t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const g = tUpperTail(t, df) - u;
    if (g > 0) lo = t;
    else if (g < 0) hi = t;
    else return t;
    const f = tPdf(t, df);
    let next = f > 0 ? t + g / f : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t)) || hi - lo <= 1e-14 * Math.max(1, hi)) return next;
    t = next;
  }
  return t;
}

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
 * api/rollups/definitions.ts `HIST_BUCKET`):
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
  if (!(a.n > 0) || !(b.n > 0) || ![a.n, a.promoters, a.detractors, b.n, b.promoters, b.detractors].every(Number.isFinite)) {
    return { ...NULL_Z };
  }
  const sa = npsVariance(a.n, a.promoters, a.detractors);
  const sb = npsVariance(b.n, b.promoters, b.detractors);
  const se = Math.sqrt(sa.variance / a.n + sb.variance / b.n);
  if (!(se > 0)) return sa.score === sb.score ? { z: 0, p: 1, significant: false } : { ...NULL_Z };
  return zResult((sa.score - sb.score) / se);
}
