/**
 * Distributions for the metrics' statistics: special functions (log-gamma, regularized
 * incomplete gamma and beta: Lanczos / series / Lentz continued fractions, Numerical Recipes
 * §6.1–6.4, about 1e-13 relative), the normal and Student t distributions with quantiles.
 */

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
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const AS241_B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852545925,
];
const AS241_C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const AS241_D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const AS241_E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
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
