/**
 * A seeded pseudo-random generator ({@link createRng}) and host-side random tensor helpers
 * ({@link randomUniform}, {@link randomNormal}, {@link truncatedNormal}, {@link bernoulli}).
 *
 * The generator is xoshiro128** 1.0 (Blackman & Vigna, 2018): 128 bits of state, period 2¹²⁸ − 1, 32-bit
 * outputs, written with `Math.imul` and `>>>` so it gives the same stream on every JavaScript engine and
 * platform. Seeds go through a splitmix-style hash (murmur3's `fmix32` finaliser) so that nearby seeds give
 * unrelated streams. The whole state (including the cached Box–Muller spare) is exposed by
 * {@link Rng.state} / {@link Rng.setState}, so a training run that stores it in its checkpoint resumes with
 * exactly the same random numbers.
 *
 * Random tensors are generated on the host and uploaded with one `write`, so every backend gets identical
 * values from the same generator state.
 * @packageDocumentation
 */
import type { Backend } from './backend.js';
import { allocTypedArray, type DType } from './dtype.js';
import { InvalidArgumentError } from './errors.js';
import { tensor } from './ops/creation.js';
import { assertValidShape, type Shape, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** Name of the generator algorithm, stored in {@link RngState} so a foreign state is rejected. */
export const RNG_ALGORITHM = 'xoshiro128**' as const;

/**
 * The complete state of an {@link Rng}: plain JSON-serialisable data. Store it in checkpoints and restore
 * it with {@link Rng.setState} or {@link rngFromState} to continue the exact same stream.
 */
export interface RngState {
  /** Always {@link RNG_ALGORITHM}. */
  readonly algorithm: typeof RNG_ALGORITHM;
  /** The four 32-bit state words, as unsigned integers. Never all zero. */
  readonly s: readonly [number, number, number, number];
  /** The second standard-normal value of the last Box–Muller pair, not yet returned (or `null`). */
  readonly spareNormal: number | null;
}

/** An array-like whose elements can be assigned: arrays and typed arrays. */
export interface MutableArrayLike<T> {
  /** Number of elements. */
  readonly length: number;
  /** Element access. */
  [index: number]: T;
}

/**
 * A seeded pseudo-random generator (xoshiro128**). All methods draw from one stream; equal seeds give
 * equal streams on every platform. Not cryptographically secure.
 */
export interface Rng {
  /** Next raw 32-bit output, an integer in `[0, 2³²)`. */
  nextUint32(): number;
  /** Uniform float in `[0, 1)` with 32-bit resolution: `k / 2³²` for a uniform integer k. Consumes one draw. */
  next(): number;
  /** Uniform float in `[lo, hi)` (defaults `[0, 1)`): `lo + (hi − lo)·next()`. */
  uniform(lo?: number, hi?: number): number;
  /**
   * Normal sample with mean `mean` and standard deviation `std` (defaults 0 and 1), by the Box–Muller
   * transform. Each transform consumes three 32-bit draws (two for a 53-bit radius uniform, one for the
   * angle) and yields two values; the second is cached (see {@link RngState.spareNormal}) and returned by the
   * next call. Tails reach about ±8.5 standard deviations.
   */
  normal(mean?: number, std?: number): number;
  /**
   * Unbiased uniform integer in `[0, n)` by rejection sampling (no modulo bias). `n` must be an integer in
   * `[1, 2⁵³]`; `n ≤ 2³²` uses 32-bit draws, larger `n` 53-bit draws.
   */
  int(n: number): number;
  /** Shuffles `array` in place (Fisher–Yates, every permutation equally likely) and returns it. */
  shuffle<A extends MutableArrayLike<unknown>>(array: A): A;
  /** A uniformly random permutation of `0 … n−1` (e.g. a data-loader epoch order). */
  permutation(n: number): Int32Array;
  /**
   * A new generator with an independent stream, seeded by hashing four draws of this one (which advances
   * this generator by four draws). Forks of forks are independent too. Deterministic: the same parent state
   * gives the same child.
   */
  fork(): Rng;
  /** `count` independent generators made by successive {@link Rng.fork} calls (advances this one). */
  split(count: number): Rng[];
  /** A copy with the same state: both then produce the same stream. */
  clone(): Rng;
  /** The complete current state (a fresh plain object). */
  state(): RngState;
  /** Replaces the state with `state` (validated), e.g. one read from a checkpoint. */
  setState(state: RngState): void;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** murmur3's 32-bit finaliser: a bijective mix of all 32 bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Four state words from a 64-bit key (two 32-bit halves), splitmix-style: a Weyl sequence through fmix32. */
function seedWords(lo: number, hi: number): [number, number, number, number] {
  const key = fmix32((hi ^ 0x6a09e667) >>> 0);
  let x = lo >>> 0;
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    words[i] = fmix32((x ^ key) >>> 0);
  }
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 0x9e3779b9;
  return words;
}

class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(words: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in `[0, 1)` with 53-bit resolution (two draws). */
  private next53(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / TWO_POW_53;
  }

  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    // u ∈ (0, 1] so the log is finite; 53-bit resolution extends the tails to ≈ ±8.57.
    const u = 1 - this.next53();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * v;
    this.spare = r * Math.sin(theta);
    return mean + std * r * Math.cos(theta);
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_53) {
      throw new InvalidArgumentError('Rng.int', `n must be an integer in [1, 2^53], got ${n}`);
    }
    if (n <= TWO_POW_32) {
      // Accept x < limit, the largest multiple of n that fits in 32 bits: every residue equally likely.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return x % n;
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    let x = this.next53() * TWO_POW_53;
    while (x >= limit) x = this.next53() * TWO_POW_53;
    return x % n;
  }

  shuffle<A extends MutableArrayLike<unknown>>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new InvalidArgumentError('Rng.permutation', `n must be an integer in [0, 2^31), got ${n}`);
    }
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  fork(): Rng {
    const words: [number, number, number, number] = [0, 0, 0, 0];
    // Distinct odd salts per word so that the child's words are not the parent's outputs.
    const salts = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344];
    for (let i = 0; i < 4; i++) words[i] = fmix32((this.nextUint32() ^ salts[i]!) >>> 0);
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 0x9e3779b9;
    return new Xoshiro128StarStar(words);
  }

  split(count: number): Rng[] {
    if (!Number.isInteger(count) || count < 0) {
      throw new InvalidArgumentError('Rng.split', `count must be a non-negative integer, got ${count}`);
    }
    return Array.from({ length: count }, () => this.fork());
  }

  clone(): Rng {
    const copy = new Xoshiro128StarStar([this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0]);
    copy.spare = this.spare;
    return copy;
  }

  state(): RngState {
    return {
      algorithm: RNG_ALGORITHM,
      s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: this.spare,
    };
  }

  setState(state: RngState): void {
    validateState(state);
    [this.s0, this.s1, this.s2, this.s3] = state.s;
    this.spare = state.spareNormal;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function validateState(state: RngState): void {
  const op = 'Rng.setState';
  if (state === null || typeof state !== 'object')
    throw new InvalidArgumentError(op, 'state must be an object');
  if (state.algorithm !== RNG_ALGORITHM) {
    throw new InvalidArgumentError(
      op,
      `state is for algorithm '${String(state.algorithm)}', expected '${RNG_ALGORITHM}'`,
    );
  }
  const s = state.s as unknown;
  if (
    !Array.isArray(s) ||
    s.length !== 4 ||
    !s.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32)
  ) {
    throw new InvalidArgumentError(op, 'state.s must be four unsigned 32-bit integers');
  }
  if (s.every((w) => w === 0)) throw new InvalidArgumentError(op, 'state.s must not be all zero');
  const spare = state.spareNormal;
  if (spare !== null && !(typeof spare === 'number' && Number.isFinite(spare))) {
    throw new InvalidArgumentError(op, 'state.spareNormal must be a finite number or null');
  }
}

/**
 * Creates a seeded generator. `seed` is any safe integer (negative seeds are taken modulo 2⁶⁴); equal seeds
 * give equal streams everywhere, and different seeds unrelated ones.
 * @throws {@link InvalidArgumentError} when `seed` is not a safe integer.
 * @example
 * ```ts
 * const rng = createRng(42);
 * const order = rng.permutation(1000); // epoch order
 * const saved = rng.state(); // put this in the checkpoint
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new InvalidArgumentError('createRng', `seed must be a safe integer, got ${seed}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  return new Xoshiro128StarStar(seedWords(lo, hi));
}

/** A generator continuing from a saved {@link RngState} (see {@link Rng.state}). */
export function rngFromState(state: RngState): Rng {
  const rng = new Xoshiro128StarStar([1, 0, 0, 0]);
  rng.setState(state);
  return rng;
}

// ---------------------------------------------------------------------------------------------------------
// Random tensors
// ---------------------------------------------------------------------------------------------------------

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** The largest f32 value strictly below `x` (x finite). */
function f32Below(x: number): number {
  const f = Math.fround(x);
  if (f < x) return f;
  if (f === 0) return -1.401298464324817e-45;
  f32Scratch[0] = f;
  u32Scratch[0] = f > 0 ? u32Scratch[0]! - 1 : u32Scratch[0]! + 1;
  return f32Scratch[0]!;
}

function checkShape(op: string, shape: Shape): number {
  assertValidShape(op, shape);
  return sizeOf(shape);
}

function checkFinite(op: string, name: string, value: number): void {
  if (!Number.isFinite(value)) throw new InvalidArgumentError(op, `${name} must be finite, got ${value}`);
}

/**
 * An f32 tensor of uniform samples in `[lo, hi)` (defaults `[0, 1)`), generated on the host from `rng`.
 * Consumes exactly one 32-bit draw per element, in row-major order. Values lie in `[fround(lo), hi)`: a value
 * that f32 rounding would push up to `hi` is replaced by the largest f32 below `hi`, so `hi` is never produced.
 * @throws {@link InvalidArgumentError} unless `lo < hi`, both finite.
 */
export function randomUniform(backend: Backend, shape: Shape, rng: Rng, lo = 0, hi = 1): Tensor {
  const op = 'randomUniform';
  const n = checkShape(op, shape);
  checkFinite(op, 'lo', lo);
  checkFinite(op, 'hi', hi);
  if (!(lo < hi)) throw new InvalidArgumentError(op, `lo (${lo}) must be below hi (${hi})`);
  const data = new Float32Array(n);
  const width = hi - lo;
  let below = Number.NaN;
  for (let i = 0; i < n; i++) {
    let v = Math.fround(lo + width * rng.next());
    if (v >= hi) {
      if (Number.isNaN(below)) below = f32Below(hi);
      v = below;
    }
    data[i] = v;
  }
  return tensor(backend, data, shape);
}

/**
 * An f32 tensor of normal samples with mean `mean` and standard deviation `std` (defaults 0 and 1), from
 * `rng.normal` element by element in row-major order.
 * @throws {@link InvalidArgumentError} when `mean` is not finite or `std` is negative or not finite.
 */
export function randomNormal(backend: Backend, shape: Shape, rng: Rng, mean = 0, std = 1): Tensor {
  const op = 'randomNormal';
  const n = checkShape(op, shape);
  checkFinite(op, 'mean', mean);
  checkFinite(op, 'std', std);
  if (std < 0) throw new InvalidArgumentError(op, `std must be ≥ 0, got ${std}`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal(mean, std);
  return tensor(backend, data, shape);
}

/**
 * An f32 tensor from the normal distribution N(mean, std²) truncated to `[a, b]`, by the inverse-CDF method
 * of PyTorch's `nn.init.trunc_normal_`: `x = mean + std·Φ⁻¹(U(Φ(α), Φ(β)))` with `α = (a − mean)/std`,
 * `β = (b − mean)/std`, then clamped to `[a, b]`. One 32-bit draw per element, no rejection loop.
 *
 * The bounds default to `mean ± 2·std` (the usual "±2 standard deviations" truncation). Note that PyTorch's
 * own defaults are the absolute bounds `a = −2, b = 2`, which agree only when `std = 1`; pass `a` and `b` to
 * reproduce them. Windows far in one tail are sampled in the lower tail by symmetry, which keeps the
 * probabilities accurate.
 * @throws {@link InvalidArgumentError} unless `std > 0` and `a < b`, all finite.
 */
export function truncatedNormal(
  backend: Backend,
  shape: Shape,
  rng: Rng,
  mean = 0,
  std = 1,
  a: number = mean - 2 * std,
  b: number = mean + 2 * std,
): Tensor {
  const op = 'truncatedNormal';
  const n = checkShape(op, shape);
  for (const [name, v] of [
    ['mean', mean],
    ['std', std],
    ['a', a],
    ['b', b],
  ] as const) {
    checkFinite(op, name, v);
  }
  if (!(std > 0)) throw new InvalidArgumentError(op, `std must be > 0, got ${std}`);
  if (!(a < b)) throw new InvalidArgumentError(op, `a (${a}) must be below b (${b})`);
  // Sample the standardised window [alpha, beta]; flip an upper-tail window to the lower tail, where Φ has
  // full relative precision.
  let alpha = (a - mean) / std;
  let beta = (b - mean) / std;
  const flip = alpha > -beta;
  if (flip) [alpha, beta] = [-beta, -alpha];
  const pLo = normalCdf(alpha);
  const pHi = normalCdf(beta);
  const lo32 = Math.fround(a);
  const hi32 = Math.fround(b);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let p = pLo + (pHi - pLo) * rng.next();
    if (p <= 0) p = Number.MIN_VALUE;
    let z = normalQuantile(p);
    if (flip) z = -z;
    const v = Math.fround(mean + std * z);
    data[i] = Math.min(Math.max(v, lo32), hi32);
  }
  return tensor(backend, data, shape);
}

/**
 * A Bernoulli mask: 1 with probability `p`, else 0 (`rng.next() < p`, one 32-bit draw per element). For
 * inverted dropout with drop rate `r`, use `p = 1 − r` and scale by `1/p`.
 * @throws {@link InvalidArgumentError} unless `0 ≤ p ≤ 1`.
 */
export function bernoulli(backend: Backend, shape: Shape, rng: Rng, p: number, dtype: DType = 'f32'): Tensor {
  const op = 'bernoulli';
  const n = checkShape(op, shape);
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(op, `p must be in [0, 1], got ${p}`);
  const data = allocTypedArray(dtype, n);
  for (let i = 0; i < n; i++) data[i] = rng.next() < p ? 1 : 0;
  return tensor(backend, data, shape, dtype);
}

// ---------------------------------------------------------------------------------------------------------
// Normal distribution helpers
// ---------------------------------------------------------------------------------------------------------

/**
 * Complementary error function, Chebyshev-fitted (Numerical Recipes `erfcc`): relative error below
 * 1.2e-7 for every x.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(x) = erfc(−x/√2)/2, with full relative precision in the lower tail. @internal */
export function normalCdf(x: number): number {
  if (x === Number.NEGATIVE_INFINITY) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

const QA = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const QB = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const QC = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const QD = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/**
 * Standard normal quantile Φ⁻¹(p) for p ∈ (0, 1) (Acklam's rational approximation, relative error below
 * 1.2e-9), ±∞ at 0 and 1. @internal
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const [a0, a1, a2, a3, a4, a5] = QA as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = QB as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = QC as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = QD as [number, number, number, number];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}
