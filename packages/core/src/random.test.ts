import { describe, expect, it } from 'vitest';
import { cpuBackend } from './cpu/index.js';
import { InvalidArgumentError } from './errors.js';
import {
  bernoulli,
  createRng,
  normalCdf,
  normalQuantile,
  randomNormal,
  randomUniform,
  rngFromState,
  truncatedNormal,
} from './random.js';

function draws(rng: { nextUint32(): number }, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

function moments(xs: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / xs.length) };
}

/** Pearson chi-square statistic of counts against equal expected frequencies. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
}

describe('createRng (xoshiro128**)', () => {
  it('matches the reference C implementation for state [1, 2, 3, 4]', () => {
    // Outputs of Vigna's xoshiro128starstar.c (compiled with gcc) from s = {1, 2, 3, 4}.
    const rng = rngFromState({ algorithm: 'xoshiro128**', s: [1, 2, 3, 4], spareNormal: null });
    const out = draws(rng, 1000);
    expect(out.slice(0, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
    expect(out[999]).toBe(3170714187);
    expect(rng.state().s).toEqual([2954884481, 294556968, 2598411021, 550772539]);
  });

  it('is reproducible: equal seeds give equal streams, different seeds different ones', () => {
    expect(draws(createRng(42), 100)).toEqual(draws(createRng(42), 100));
    expect(draws(createRng(42), 100)).not.toEqual(draws(createRng(43), 100));
    // Seeds differing only in the high 32 bits, and negative seeds, give distinct streams.
    const a = draws(createRng(1), 8);
    expect(draws(createRng(1 + 2 ** 32), 8)).not.toEqual(a);
    expect(draws(createRng(-1), 8)).not.toEqual(draws(createRng(2 ** 32 - 1), 8));
    expect(() => createRng(1.5)).toThrow(InvalidArgumentError);
    expect(() => createRng(2 ** 60)).toThrow(InvalidArgumentError);
  });

  it('restores its state exactly, including the cached normal', () => {
    const rng = createRng(7);
    rng.normal(); // leaves a spare value cached
    const saved = rng.state();
    expect(saved.spareNormal).not.toBeNull();
    const continuation = [rng.normal(), rng.next(), rng.int(1000), rng.normal(2, 3), rng.uniform(-1, 1)];
    // Round-trip through JSON, as a checkpoint does.
    const restored = rngFromState(JSON.parse(JSON.stringify(saved)));
    const again = [
      restored.normal(),
      restored.next(),
      restored.int(1000),
      restored.normal(2, 3),
      restored.uniform(-1, 1),
    ];
    expect(again).toEqual(continuation);
    const other = createRng(99);
    other.setState(saved);
    expect(other.normal()).toBe(continuation[0]);
    expect(rng.clone().state()).toEqual(rng.state());
  });

  it('rejects malformed states', () => {
    const rng = createRng(1);
    const good = rng.state();
    expect(() => rng.setState({ ...good, s: [0, 0, 0, 0] })).toThrow(InvalidArgumentError);
    expect(() => rng.setState({ ...good, s: [1, 2, 3, -4] })).toThrow(InvalidArgumentError);
    expect(() => rng.setState({ ...good, algorithm: 'pcg32' as never })).toThrow(InvalidArgumentError);
    expect(() => rng.setState({ ...good, spareNormal: Number.NaN })).toThrow(InvalidArgumentError);
  });

  it('next() is uniform on [0, 1): moments and a chi-square test on 100 buckets (n = 1e5)', () => {
    const rng = createRng(2024);
    const n = 100_000;
    const xs = new Float64Array(n);
    const buckets = new Array<number>(100).fill(0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      xs[i] = x;
      buckets[Math.floor(x * 100)]!++;
    }
    expect(outside).toBe(0);
    const { mean, std } = moments(xs);
    // Standard errors: 0.289/√n ≈ 9e-4 for the mean; ≈ 4e-4 for the std. Tolerances ≈ 5 standard errors.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0045);
    expect(Math.abs(std - Math.sqrt(1 / 12))).toBeLessThan(0.002);
    // 99 degrees of freedom: the 0.999 quantile is 148.2.
    expect(chiSquare(buckets)).toBeLessThan(148.2);
    // 32-bit resolution: k / 2^32.
    expect(Number.isInteger(rng.next() * 2 ** 32)).toBe(true);
  });

  it('uniform(lo, hi) stays in range', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 10_000 }, () => rng.uniform(-2, 5));
    expect(xs.every((x) => x >= -2 && x < 5)).toBe(true);
  });

  it('normal(mean, std): sample mean and std within 5 standard errors for n = 1e5', () => {
    const rng = createRng(11);
    const n = 100_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = rng.normal(3, 2);
    const { mean, std } = moments(xs);
    // SE(mean) = 2/√n ≈ 0.0063; SE(std) ≈ 2/√(2n) ≈ 0.0045.
    expect(Math.abs(mean - 3)).toBeLessThan(0.032);
    expect(Math.abs(std - 2)).toBeLessThan(0.023);
    // Fraction within one std: Φ(1) − Φ(−1) = 0.6827 (SE ≈ 0.0015).
    const within = xs.filter((x) => Math.abs(x - 3) < 2).length / n;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.0075);
  });

  it('int(n) is unbiased and covers every value', () => {
    const rng = createRng(5);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]!++;
    expect(counts.every((c) => c > 0)).toBe(true);
    // 6 degrees of freedom: the 0.999 quantile is 22.46.
    expect(chiSquare(counts)).toBeLessThan(22.46);
    for (let i = 0; i < 100; i++) expect(rng.int(1)).toBe(0);
    // Large ranges: 2^32 (32-bit path) and above (53-bit path).
    const big = [2 ** 32, 3 * 2 ** 40 + 1, 2 ** 53];
    for (const n of big) {
      for (let i = 0; i < 200; i++) {
        const k = rng.int(n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
      }
    }
    // A range just above a power of two, where modulo reduction would be most biased: halves equally likely.
    const n = 2 ** 31 + 1;
    let low = 0;
    for (let i = 0; i < 20_000; i++) if (rng.int(n) < n / 2) low++;
    expect(Math.abs(low / 20_000 - 0.5)).toBeLessThan(0.02);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 53 + 2])
      expect(() => rng.int(bad)).toThrow(InvalidArgumentError);
  });

  it('shuffle and permutation produce uniformly distributed permutations', () => {
    const rng = createRng(8);
    const p = rng.permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // 5 degrees of freedom: the 0.999 quantile is 20.52.
    expect(chiSquare([...counts.values()])).toBeLessThan(20.52);
    expect(rng.permutation(0)).toEqual(new Int32Array(0));
  });

  it('fork() and split() derive deterministic, independent streams', () => {
    const a = createRng(1);
    const b = createRng(1);
    const childA = a.fork();
    const childB = b.fork();
    expect(draws(childA, 50)).toEqual(draws(childB, 50));
    // Parent continues identically after forking; the child differs from the parent's continuation.
    const parentNext = draws(a, 1000);
    expect(draws(b, 1000)).toEqual(parentNext);
    const child = createRng(1).fork();
    const childDraws = draws(child, 1000);
    expect(childDraws).not.toEqual(parentNext);
    // Low correlation between child and parent streams (|r| < 4/√n ≈ 0.13).
    const x = parentNext.map((v) => v / 2 ** 32);
    const y = childDraws.map((v) => v / 2 ** 32);
    const mx = moments(x);
    const my = moments(y);
    let cov = 0;
    for (let i = 0; i < x.length; i++) cov += (x[i]! - mx.mean) * (y[i]! - my.mean);
    expect(Math.abs(cov / x.length / (mx.std * my.std))).toBeLessThan(0.13);
    const parts = createRng(2).split(3);
    expect(parts).toHaveLength(3);
    const firsts = parts.map((r) => r.nextUint32());
    expect(new Set(firsts).size).toBe(3);
    // A fork of a fork differs from the parent's other fork.
    const root = createRng(3);
    const f1 = root.fork();
    const f2 = root.fork();
    const f11 = f1.fork();
    expect(draws(f11, 10)).not.toEqual(draws(f2, 10));
  });
});

describe('normal distribution helpers', () => {
  it('normalCdf and normalQuantile match SciPy (ndtr, ndtri)', () => {
    // Reference values from scipy.special.ndtr / ndtri (float64).
    const cdf: [number, number][] = [
      [-10, 7.61985302416047e-24],
      [-5, 2.866515718791933e-7],
      [-2, 0.022750131948179195],
      [-0.5, 0.3085375387259869],
      [0, 0.5],
      [1, 0.8413447460685429],
      [3, 0.9986501019683699],
    ];
    for (const [x, p] of cdf) expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(2e-7);
    const quantile: [number, number][] = [
      [1e-20, -9.262340089798409],
      [1e-5, -4.264890793922825],
      [0.02, -2.053748910631823],
      [0.3, -0.5244005127080409],
      [0.5, 0],
      [0.97, 1.8807936081512509],
      [0.999999, 4.753424308817087],
    ];
    for (const [p, x] of quantile)
      expect(Math.abs(normalQuantile(p) - x)).toBeLessThan(1e-8 * Math.max(1, Math.abs(x)));
  });
});

describe('random tensors', () => {
  const backend = cpuBackend();

  it('randomUniform: shape, range, reproducibility, one draw per element', () => {
    const rng = createRng(1);
    const t = randomUniform(backend, [4, 250], rng, -3, 3);
    expect(t.shape).toEqual([4, 250]);
    expect(t.dtype).toBe('f32');
    const d = t.dataSync();
    expect(d.every((x) => x >= -3 && x < 3)).toBe(true);
    const ref = createRng(1);
    const again = randomUniform(backend, [4, 250], ref, -3, 3).dataSync();
    expect(again).toEqual(d);
    // Both generators consumed exactly 1000 draws.
    const probe = createRng(1);
    for (let i = 0; i < 1000; i++) probe.nextUint32();
    expect(rng.nextUint32()).toBe(probe.nextUint32());
    // Rounding up to hi is impossible even for a window narrower than f32 spacing near hi.
    const narrow = randomUniform(backend, [1000], createRng(2), 1, 1 + 1e-7).dataSync();
    expect(narrow.every((x) => x < 1 + 1e-7)).toBe(true);
    expect(() => randomUniform(backend, [2], rng, 1, 1)).toThrow(InvalidArgumentError);
    expect(randomUniform(backend, [0, 3], rng).size).toBe(0);
  });

  it('randomNormal: mean and std for n = 1e5', () => {
    const d = randomNormal(backend, [100_000], createRng(4), -1, 0.5).dataSync();
    const { mean, std } = moments(d);
    expect(Math.abs(mean + 1)).toBeLessThan(0.008);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.006);
    expect(() => randomNormal(backend, [2], createRng(1), 0, -1)).toThrow(InvalidArgumentError);
  });

  it('truncatedNormal: within ±2 std, with the moments of the truncated distribution', () => {
    const d = truncatedNormal(backend, [100_000], createRng(6), 1, 0.02).dataSync();
    expect(d.every((x) => x >= Math.fround(0.96) && x <= Math.fround(1.04))).toBe(true);
    const { mean, std } = moments(d);
    // Truncation at ±2σ: std = σ·√(1 − 2·2φ(2)/(2Φ(2) − 1)) = 0.87962σ.
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    const expectedStd = 0.02 * Math.sqrt(1 - (4 * phi2) / (2 * normalCdf(2) - 1));
    expect(Math.abs(mean - 1)).toBeLessThan(5 * (expectedStd / Math.sqrt(1e5)));
    expect(Math.abs(std / expectedStd - 1)).toBeLessThan(0.01);
    // Explicit absolute bounds (PyTorch's defaults a = −2, b = 2 with std = 1).
    const wide = truncatedNormal(backend, [10_000], createRng(1), 0, 1, -2, 2).dataSync();
    expect(wide.every((x) => x >= -2 && x <= 2)).toBe(true);
  });

  it('truncatedNormal: a window far in a tail is sampled accurately', () => {
    // N(0, 1) restricted to [5, 6]: nearly all mass close to 5; mean ≈ 5.1865 (from φ/Φ ratios).
    const d = truncatedNormal(backend, [20_000], createRng(9), 0, 1, 5, 6).dataSync();
    expect(d.every((x) => x >= 5 && x <= 6)).toBe(true);
    const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    const z = normalCdf(-5) - normalCdf(-6);
    const expectedMean = (phi(5) - phi(6)) / z;
    expect(Math.abs(moments(d).mean - expectedMean)).toBeLessThan(0.01);
    const lower = truncatedNormal(backend, [20_000], createRng(9), 0, 1, -6, -5).dataSync();
    expect(Math.abs(moments(lower).mean + expectedMean)).toBeLessThan(0.01);
  });

  it('bernoulli: rate, values, dtypes', () => {
    const d = bernoulli(backend, [100_000], createRng(10), 0.9).dataSync();
    expect(d.every((x) => x === 0 || x === 1)).toBe(true);
    const rate = Array.from(d).reduce((a, b) => a + b, 0) / d.length;
    // SE = √(0.09/1e5) ≈ 9.5e-4.
    expect(Math.abs(rate - 0.9)).toBeLessThan(0.005);
    const ints = bernoulli(backend, [10], createRng(1), 0.5, 'i32');
    expect(ints.dtype).toBe('i32');
    expect(
      bernoulli(backend, [100], createRng(1), 0)
        .dataSync()
        .every((x) => x === 0),
    ).toBe(true);
    expect(
      bernoulli(backend, [100], createRng(1), 1)
        .dataSync()
        .every((x) => x === 1),
    ).toBe(true);
    expect(() => bernoulli(backend, [2], createRng(1), 1.5)).toThrow(InvalidArgumentError);
  });
});
