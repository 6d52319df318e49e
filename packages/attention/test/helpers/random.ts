/**
 * Seeded test data (mulberry32), rounded to f32 so that tensors and float64 references see equal inputs.
 */

/** A seeded generator of f32-representable test data. */
export interface Rng {
  /** Uniform in `[0, 1)`. */
  next(): number;
  /** `n` uniform values in `[lo, hi)`, rounded to f32. */
  uniform(n: number, lo?: number, hi?: number): Float32Array;
  /** `n` standard normal values times `std`, rounded to f32. */
  normal(n: number, std?: number): Float32Array;
}

/** Creates an {@link Rng} from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (n, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * next()),
    normal: (n, std = 1) =>
      Float32Array.from({ length: n }, () => {
        const u = 1 - next();
        return std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
      }),
  };
}
