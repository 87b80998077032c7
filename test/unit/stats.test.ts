import { describe, expect, it } from 'vitest';
import {
  histogramPercentile,
  meanInterval,
  normalCdf,
  normalQuantile,
  npsDifferenceTest,
  npsInterval,
  tCdf,
  tQuantile,
  twoProportionTest,
  waitBucketEdges,
  waitBucketOf,
  welchTest,
  wilson,
} from '../../api/metrics/stats';

const Z = 1.959963984540054;

// ---------------------------------------------------------------------------
// Independent references (no shared code with stats.ts)
// ---------------------------------------------------------------------------

/** Composite Simpson's rule on [a, b] with m (even) panels. */
function simpson(f: (x: number) => number, a: number, b: number, m = 20_000): number {
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/**
 * P(|T_ν| ≥ t) by quadrature: with x = √ν·tan θ the t density becomes ∝ cos^(ν−1) θ on
 * (−π/2, π/2), so P(|T| ≤ t) = ∫₀^atan(t/√ν) cos^(ν−1) / ∫₀^(π/2) cos^(ν−1) (no Γ needed).
 */
function tTwoSidedByQuadrature(t: number, df: number): number {
  const f = (th: number) => Math.pow(Math.cos(th), df - 1);
  return 1 - simpson(f, 0, Math.atan(Math.abs(t) / Math.sqrt(df))) / simpson(f, 0, Math.PI / 2);
}

/** P(|Z| ≥ z) by quadrature of φ on [0, |z|]. */
function normalTwoSidedByQuadrature(z: number): number {
  return 1 - 2 * simpson((x) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI), 0, Math.abs(z));
}

/** Seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PostgreSQL percentile_cont(q): sorted x, position h = q(n−1), linear interpolation. */
function percentileCont(values: number[], q: number): number {
  const x = [...values].sort((a, b) => a - b);
  const h = q * (x.length - 1);
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return x[lo]! + (h - lo) * (x[hi]! - x[lo]!);
}

/** Rollup-style histogram: [lower, upper, count] per non-empty wait bucket. */
function histogram(values: number[]): Array<[number, number, number]> {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(waitBucketOf(v), (counts.get(waitBucketOf(v)) ?? 0) + 1);
  return [...counts].map(([b, c]) => [...waitBucketEdges(b), c]);
}

// ---------------------------------------------------------------------------

describe('wilson', () => {
  it('81/100 matches the hand computation', () => {
    // p̂ = 0.81, z = 1.959964, z² = 3.841459, z²/n = 0.03841459, 1 + z²/n = 1.03841459
    // centre = (0.81 + 0.01920730) / 1.03841459 = 0.82920730 / 1.03841459 = 0.79853
    // half   = 1.959964 / 1.03841459 · √(0.81·0.19/100 + 3.841459/40000)
    //        = 1.887458 · √(0.001539 + 0.0000960365) = 1.887458 · 0.0404356 = 0.076320
    // → [0.72221, 0.87485]. (Often quoted as [0.7222, 0.8750]; 0.874852 rounds to 0.8749.)
    const w = wilson(81, 100);
    expect(w.value).toBe(0.81);
    expect(w.low!).toBeCloseTo(0.722212, 5);
    expect(w.high!).toBeCloseTo(0.874852, 5);
  });

  it('n = 0 → all null', () => {
    expect(wilson(0, 0)).toEqual({ value: null, low: null, high: null });
  });

  it('all failures and all successes', () => {
    // x = 0: centre = half = (z²/2n)/(1+z²/n), so high = (z²/n)/(1+z²/n) = 0.3841459/1.3841459 = 0.277533
    const none = wilson(0, 10);
    expect(none.value).toBe(0);
    expect(none.low).toBe(0);
    expect(none.high!).toBeCloseTo(0.277533, 6);
    // x = n mirrors it: low = 1 − 0.277533 = 0.722467, high = 1
    const all = wilson(10, 10);
    expect(all.value).toBe(1);
    expect(all.low!).toBeCloseTo(0.722467, 6);
    expect(all.high).toBe(1);
  });

  it('n = 1 and bounds stay in [0, 1]', () => {
    // x = n gives low = n/(n + z²); x = 1, n = 1: 1/4.841459 = 0.206549
    const one = wilson(1, 1);
    expect(one.low!).toBeCloseTo(0.206549, 6);
    expect(one.high).toBe(1);
    for (let x = 0; x <= 7; x++) {
      const w = wilson(x, 7);
      expect(w.low!).toBeGreaterThanOrEqual(0);
      expect(w.high!).toBeLessThanOrEqual(1);
      expect(w.low!).toBeLessThanOrEqual(w.value!);
      expect(w.high!).toBeGreaterThanOrEqual(w.value!);
    }
  });
});

describe('normalQuantile / normalCdf', () => {
  it('matches standard values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 12);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('normalCdf inverts normalQuantile and agrees with quadrature', () => {
    for (const p of [1e-8, 0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
    }
    for (const z of [0.5, 1.96, 3]) {
      expect(2 * (1 - normalCdf(z))).toBeCloseTo(normalTwoSidedByQuadrature(z), 10);
    }
  });
});

describe('tQuantile', () => {
  // t-table values (two-sided 95%: p = 0.975), to more digits than the printed table
  // (the table's 4 decimals are the rounding of these): 12.7062, 4.3027, 2.5706, 2.3646,
  // 2.2281, 2.0423, 1.9799, 1.9600.
  const table: Array<[number, number]> = [
    [1, 12.706204736174698],
    [2, 4.302652729749464],
    [5, 2.570581835636314],
    [7, 2.364624251592785],
    [10, 2.228138851986274],
    [30, 2.042272456301238],
    [120, 1.979930405082423],
    [Infinity, 1.959963984540054],
  ];
  it.each(table)('t(0.975, %s) within 1e-6 of the table', (df, expected) => {
    expect(Math.abs(tQuantile(0.975, df) - expected)).toBeLessThan(1e-6);
  });

  it('other tail probabilities', () => {
    expect(Math.abs(tQuantile(0.995, 1) - 63.65674116287399)).toBeLessThan(1e-6);
    expect(Math.abs(tQuantile(0.95, 1) - 6.313751514675043)).toBeLessThan(1e-6);
    expect(Math.abs(tQuantile(0.995, 10) - 3.169272672616954)).toBeLessThan(1e-6);
    expect(Math.abs(tQuantile(0.9, 3) - 1.63774435369621)).toBeLessThan(1e-6);
    expect(Math.abs(tQuantile(0.95, 4) - 2.131846786326649)).toBeLessThan(1e-6);
    // df = 2 has the closed form t = (2p − 1)/√(2p(1 − p)); p = 0.9 → 0.8/√0.18 = 1.885618
    expect(Math.abs(tQuantile(0.9, 2) - 0.8 / Math.sqrt(0.18))).toBeLessThan(1e-12);
  });

  it('is symmetric and tends to the normal quantile', () => {
    expect(tQuantile(0.025, 7)).toBeCloseTo(-tQuantile(0.975, 7), 12);
    expect(tQuantile(0.5, 3)).toBe(0);
    expect(Math.abs(tQuantile(0.975, 1e7) - Z)).toBeLessThan(1e-6);
  });

  it('round-trips through tCdf for integer and fractional df', () => {
    for (const df of [1, 1.5, 2, 2.7, 3, 4, 6.3, 9, 19.19, 50, 300, 5000]) {
      for (const p of [1e-6, 0.001, 0.025, 0.1, 0.4, 0.6, 0.9, 0.975, 0.999, 0.999999]) {
        const t = tQuantile(p, df);
        expect(Math.abs(tCdf(t, df) - p)).toBeLessThan(1e-12);
      }
    }
  });

  it('tCdf agrees with independent quadrature', () => {
    for (const [t, df] of [
      [2.1, 3],
      [1.3, 7.5],
      [0.4, 1],
      [3.5, 20],
    ] as const) {
      expect(2 * (1 - tCdf(t, df))).toBeCloseTo(tTwoSidedByQuadrature(t, df), 9);
    }
  });
});

describe('meanInterval', () => {
  it('2,4,4,4,5,5,7,9 by hand', () => {
    // n = 8, Σx = 40, Σx² = 4 + 3·16 + 2·25 + 49 + 81 = 232, mean = 5
    // s² = (232 − 40²/8)/7 = 32/7 = 4.571429, s = 2.138090
    // se = s/√8 = 0.755929, t(0.975, 7) = 2.364624, half = 1.787488
    // → [3.212512, 6.787488]
    const m = meanInterval(8, 40, 232);
    expect(m.value).toBe(5);
    expect(m.sd!).toBeCloseTo(2.13809, 5);
    expect(m.low!).toBeCloseTo(3.212512, 5);
    expect(m.high!).toBeCloseTo(6.787488, 5);
  });

  it('n = 0 → nulls; n = 1 → value only', () => {
    expect(meanInterval(0, 0, 0)).toEqual({ value: null, low: null, high: null, sd: null });
    expect(meanInterval(1, 7, 49)).toEqual({ value: 7, low: null, high: null, sd: null });
  });

  it('n = 2 uses t with 1 df', () => {
    // values 1, 3: mean 2, s² = (10 − 16/2)/1 = 2, s = √2, se = √2/√2 = 1, half = 12.706205
    const m = meanInterval(2, 4, 10);
    expect(m.low!).toBeCloseTo(2 - 12.706205, 5);
    expect(m.high!).toBeCloseTo(2 + 12.706205, 5);
  });

  it('guards a tiny negative variance from rounding', () => {
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004; Σx² − (Σx)²/n can come out slightly negative.
    const xs = Array.from({ length: 7 }, () => 0.1);
    let sum = 0;
    let sq = 0;
    for (const x of xs) {
      sum += x;
      sq += x * x;
    }
    const m = meanInterval(7, sum, sq);
    expect(m.sd).toBe(0);
    expect(m.low).toBe(m.value);
    expect(m.high).toBe(m.value);
    // and an explicitly negative residue
    const n = meanInterval(3, 3, 3 - 1e-12);
    expect(n.sd).toBe(0);
    expect(Number.isNaN(n.low)).toBe(false);
  });
});

describe('npsInterval', () => {
  it('50 promoters, 20 detractors of 100', () => {
    // p = 0.5, d = 0.2, NPS = 100·(0.5 − 0.2) = 30
    // Var X = 0.5 + 0.2 − 0.3² = 0.61; se = 100·√(0.61/100) = 7.810250
    // half = 1.959964·7.810250 = 15.307808 → [14.692192, 45.307808]
    const r = npsInterval(100, 50, 20);
    expect(r.value).toBeCloseTo(30, 12);
    expect(r.low!).toBeCloseTo(14.692192, 5);
    expect(r.high!).toBeCloseTo(45.307808, 5);
  });

  it('edge cases: n = 0, all promoters, all detractors, clamping', () => {
    expect(npsInterval(0, 0, 0)).toEqual({ value: null, low: null, high: null });
    // all promoters: Var X = 1 − 1² = 0 → [100, 100]
    expect(npsInterval(10, 10, 0)).toEqual({ value: 100, low: 100, high: 100 });
    expect(npsInterval(10, 0, 10)).toEqual({ value: -100, low: -100, high: -100 });
    // 4 of 5 promoters: NPS 80, Var = 0.8 − 0.64 = 0.16, half = 1.959964·100·√(0.032) = 35.0609
    // → [44.9391, 115.06] clamped to 100
    const r = npsInterval(5, 4, 0);
    expect(r.low!).toBeCloseTo(44.9391, 3);
    expect(r.high).toBe(100);
  });
});

describe('waitBucketEdges / waitBucketOf', () => {
  it('follows the rollup bucket scheme', () => {
    expect(waitBucketEdges(0)).toEqual([0, 5]);
    expect(waitBucketEdges(12)).toEqual([60, 65]);
    expect(waitBucketEdges(359)).toEqual([1795, 1800]);
    expect(waitBucketEdges(360)).toEqual([1800, 1860]);
    expect(waitBucketEdges(449)).toEqual([7140, 7200]);
    expect(waitBucketEdges(450)).toEqual([7200, 8100]);
    expect(waitBucketEdges(633)).toEqual([171900, 172800]);
    expect(waitBucketEdges(634)).toEqual([172800, Infinity]);
    expect(() => waitBucketEdges(635)).toThrow(RangeError);
    expect(() => waitBucketEdges(-1)).toThrow(RangeError);
    expect(() => waitBucketEdges(1.5)).toThrow(RangeError);
  });

  it('waitBucketOf is the inverse (and the SQL HIST_BUCKET formula for integer waits)', () => {
    const sql = (w: number) =>
      w < 1800
        ? Math.trunc(w / 5)
        : w < 7200
          ? 360 + Math.trunc((w - 1800) / 60)
          : w < 172800
            ? 450 + Math.trunc((w - 7200) / 900)
            : 634;
    for (let w = 0; w < 180000; w += w < 9000 ? 1 : 7) {
      const b = waitBucketOf(w);
      expect(b).toBe(sql(w));
      const [lo, hi] = waitBucketEdges(b);
      expect(w >= lo && w < hi).toBe(true);
    }
  });
});

describe('histogramPercentile', () => {
  it('small example by hand', () => {
    // buckets [0,5):2, [5,10):2 → n = 4; order-statistic estimates x̂ = 1.25, 3.75, 6.25, 8.75
    // (L + (j + ½)/c · width). Median: h = 0.5·3 = 1.5 → 3.75 + 0.5·(6.25 − 3.75) = 5
    // Interval: σ = √(4·0.5·0.5) = 1; ranks round(2 − 1.96) = 0 → 1 and round(1 + 2 + 1.96) = 5 → 4
    // → [x̂_(1), x̂_(4)] = [1.25, 8.75]
    const r = histogramPercentile(
      [
        [5, 10, 2],
        [0, 5, 2],
      ],
      0.5,
    );
    expect(r).toEqual({ value: 5, low: 1.25, high: 8.75, n: 4 });
    // q = 0.9: h = 2.7 → 6.25 + 0.7·2.5 = 8
    expect(
      histogramPercentile(
        [
          [0, 5, 2],
          [5, 10, 2],
        ],
        0.9,
      ).value,
    ).toBeCloseTo(8, 12);
    // q = 0 and 1: first and last estimates
    expect(
      histogramPercentile(
        [
          [0, 5, 2],
          [5, 10, 2],
        ],
        0,
      ).value,
    ).toBe(1.25);
    expect(
      histogramPercentile(
        [
          [0, 5, 2],
          [5, 10, 2],
        ],
        1,
      ).value,
    ).toBe(8.75);
  });

  it('n = 0, n = 1, the open bucket', () => {
    expect(histogramPercentile([], 0.9)).toEqual({ value: null, low: null, high: null, n: 0 });
    expect(histogramPercentile([[0, 5, 0]], 0.9)).toEqual({ value: null, low: null, high: null, n: 0 });
    expect(histogramPercentile([[10, 15, 1]], 0.9)).toEqual({ value: 12.5, low: 12.5, high: 12.5, n: 1 });
    const open = histogramPercentile([[...waitBucketEdges(634), 5]], 0.9);
    expect(open.value).toBe(172800);
    // p90 of 9 × [0,5) and 1 × open: h = 0.9·9 = 8.1; x̂_8 = (8 + ½)/9·5 = 4.722222, x̂_9 = 172800
    // → 4.722222 + 0.1·(172800 − 4.722222) = 17284.25
    const mixed = histogramPercentile(
      [
        [0, 5, 9],
        [...waitBucketEdges(634), 1],
      ],
      0.9,
    );
    expect(mixed.value!).toBeCloseTo(17284.25, 9);
  });

  it('is within 5 s of exact percentile_cont for waits below 1800 s (seeded random samples)', () => {
    const rand = rng(20240607);
    let worst = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = trial < 100 ? 1 + Math.floor(rand() * 6) : 1 + Math.floor(rand() * 3000);
      const kind = trial % 4;
      const values = Array.from({ length: n }, () => {
        let w: number;
        if (kind === 0)
          w = -60 * Math.log(1 - rand()); // exponential, mean 60 s
        else if (kind === 1)
          w = rand() * 1800; // uniform
        else if (kind === 2)
          w = rand() < 0.5 ? rand() * 20 : 1000 + rand() * 799; // two far clusters
        else w = Math.floor(-200 * Math.log(1 - rand())); // integer seconds, as stored
        return Math.min(w, 1799.999);
      });
      const hist = histogram(values);
      for (const q of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]) {
        const est = histogramPercentile(hist, q);
        const exact = percentileCont(values, q);
        expect(est.n).toBe(n);
        const err = Math.abs(est.value! - exact);
        worst = Math.max(worst, err);
        expect(err).toBeLessThan(5);
        expect(est.low!).toBeLessThanOrEqual(est.value!);
        expect(est.high!).toBeGreaterThanOrEqual(est.value!);
      }
    }
    expect(worst).toBeGreaterThan(0);
  });

  it('is within 60 s of exact in the minute buckets', () => {
    const rand = rng(7);
    const values = Array.from({ length: 2000 }, () => 1800 + rand() * 5399);
    const hist = histogram(values);
    for (const q of [0.1, 0.5, 0.9]) {
      expect(Math.abs(histogramPercentile(hist, q).value! - percentileCont(values, q))).toBeLessThan(60);
    }
  });

  it('the interval covers the population p90 about 95% of the time', () => {
    // Exponential with mean 60 s: p90 = −60·ln(0.1) = 138.155 s
    const rand = rng(99);
    const truth = -60 * Math.log(0.1);
    let covered = 0;
    const trials = 400;
    for (let i = 0; i < trials; i++) {
      const values = Array.from({ length: 300 }, () => Math.min(1799, -60 * Math.log(1 - rand())));
      const r = histogramPercentile(histogram(values), 0.9);
      if (r.low! <= truth && truth <= r.high!) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.9);
    expect(covered / trials).toBeLessThan(0.99);
  });
});

describe('twoProportionTest', () => {
  it('45/100 vs 30/100 by hand', () => {
    // pooled p̂ = 75/200 = 0.375; p̂(1 − p̂) = 0.234375; × (1/100 + 1/100) = 0.0046875
    // se = √0.0046875 = 0.0684653; z = (0.45 − 0.30)/0.0684653 = 2.190890
    // p = 2(1 − Φ(2.190890)) = 0.02846 < 0.05 → significant
    const r = twoProportionTest(45, 100, 30, 100);
    expect(r.z!).toBeCloseTo(2.19089, 5);
    expect(r.p!).toBeCloseTo(0.02846, 5);
    expect(r.p!).toBeCloseTo(normalTwoSidedByQuadrature(2.1908902300206647), 9);
    expect(r.significant).toBe(true);
    const back = twoProportionTest(30, 100, 45, 100);
    expect(back.z!).toBeCloseTo(-2.19089, 5);
    expect(back.p!).toBeCloseTo(r.p!, 12);
  });

  it('not significant for a small difference', () => {
    // 52/100 vs 48/100: p̂ = 0.5, se = √(0.25·0.02) = 0.0707107, z = 0.04/0.0707107 = 0.565685, p = 0.5716
    const r = twoProportionTest(52, 100, 48, 100);
    expect(r.z!).toBeCloseTo(0.565685, 5);
    expect(r.p!).toBeCloseTo(0.5716, 4);
    expect(r.significant).toBe(false);
  });

  it('edge cases', () => {
    expect(twoProportionTest(0, 0, 5, 10)).toEqual({ z: null, p: null, significant: false });
    expect(twoProportionTest(5, 10, 0, 0)).toEqual({ z: null, p: null, significant: false });
    expect(twoProportionTest(10, 10, 20, 20)).toEqual({ z: 0, p: 1, significant: false });
    expect(twoProportionTest(0, 10, 0, 20)).toEqual({ z: 0, p: 1, significant: false });
    // all successes vs all failures, 10 each: p̂ = 0.5, se = √(0.25·0.2) = 0.223607, z = 4.472136
    const r = twoProportionTest(10, 10, 0, 10);
    expect(r.z!).toBeCloseTo(4.472136, 5);
    expect(r.significant).toBe(true);
  });
});

describe('welchTest', () => {
  it('by hand: n 10, mean 20, sd 4 vs n 12, mean 16, sd 6', () => {
    // vₐ = 16/10 = 1.6, v_b = 36/12 = 3, se = √4.6 = 2.144761, t = 4/2.144761 = 1.865010
    // ν = 4.6² / (1.6²/9 + 3²/11) = 21.16 / (0.284444 + 0.818182) = 21.16/1.102626 = 19.190546
    // p = P(|T_19.19| ≥ 1.86501) ≈ 0.0775 (checked by quadrature) → not significant
    const r = welchTest({ n: 10, mean: 20, sd: 4 }, { n: 12, mean: 16, sd: 6 });
    expect(r.t!).toBeCloseTo(1.86501, 5);
    expect(r.df!).toBeCloseTo(19.190546, 5);
    expect(r.p!).toBeCloseTo(tTwoSidedByQuadrature(r.t!, r.df!), 8);
    expect(r.p!).toBeCloseTo(0.0775, 4);
    expect(r.significant).toBe(false);
  });

  it('equal n and sd gives ν = 2(n − 1); t at the table value gives p = 0.05', () => {
    // n = 6, sd = 3 on both sides: vₐ = v_b = 1.5, se = √3, ν = 3²/(2·1.5²/5) = 10
    // difference = t(0.975, 10)·√3 = 2.228139·1.732051 = 3.859249 → p = 0.05
    const diff = 2.228138851986274 * Math.sqrt(3);
    const r = welchTest({ n: 6, mean: 10 + diff, sd: 3 }, { n: 6, mean: 10, sd: 3 });
    expect(r.df!).toBeCloseTo(10, 10);
    expect(r.t!).toBeCloseTo(2.228139, 6);
    expect(r.p!).toBeCloseTo(0.05, 9);
    // slightly larger difference → significant
    expect(welchTest({ n: 6, mean: 10.01 + diff, sd: 3 }, { n: 6, mean: 10, sd: 3 }).significant).toBe(true);
  });

  it('degenerate cases are not significant', () => {
    const none = { t: null, df: null, p: null, significant: false };
    expect(welchTest({ n: 1, mean: 5, sd: 0 }, { n: 10, mean: 1, sd: 1 })).toEqual(none);
    expect(welchTest({ n: 0, mean: 0, sd: 0 }, { n: 10, mean: 1, sd: 1 })).toEqual(none);
    expect(welchTest({ n: 5, mean: 3, sd: 0 }, { n: 5, mean: 4, sd: 0 })).toEqual(none);
    expect(welchTest({ n: 5, mean: Number.NaN, sd: 1 }, { n: 5, mean: 4, sd: 1 })).toEqual(none);
  });
});

describe('npsDifferenceTest', () => {
  it('by hand', () => {
    // a: 100 responses, 50 P, 20 D: S = 0.3, Var = 0.7 − 0.09 = 0.61
    // b: 200 responses, 80 P, 60 D: S = 0.1, Var = 0.7 − 0.01 = 0.69
    // se = √(0.61/100 + 0.69/200) = √0.00955 = 0.0977241; z = 0.2/0.0977241 = 2.046575
    // p = 2(1 − Φ(2.046575)) = 0.0407 → significant
    const r = npsDifferenceTest({ n: 100, promoters: 50, detractors: 20 }, { n: 200, promoters: 80, detractors: 60 });
    expect(r.z!).toBeCloseTo(2.046575, 5);
    expect(r.p!).toBeCloseTo(normalTwoSidedByQuadrature(r.z!), 9);
    expect(r.p!).toBeCloseTo(0.0407, 4);
    expect(r.significant).toBe(true);
  });

  it('edge cases', () => {
    const none = { z: null, p: null, significant: false };
    expect(npsDifferenceTest({ n: 0, promoters: 0, detractors: 0 }, { n: 10, promoters: 5, detractors: 1 })).toEqual(
      none,
    );
    expect(npsDifferenceTest({ n: 10, promoters: 10, detractors: 0 }, { n: 5, promoters: 5, detractors: 0 })).toEqual({
      z: 0,
      p: 1,
      significant: false,
    });
    expect(npsDifferenceTest({ n: 10, promoters: 10, detractors: 0 }, { n: 5, promoters: 0, detractors: 5 })).toEqual(
      none,
    );
    expect(npsDifferenceTest({ n: 40, promoters: 20, detractors: 8 }, { n: 40, promoters: 20, detractors: 8 }).z).toBe(
      0,
    );
  });
});
