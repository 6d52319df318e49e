/**
 * Inputs for benchmark cases: deterministic uniform data (a 32-bit LCG, so every package's benchmarks are
 * reproducible without depending on a library RNG) and the quick-mode switch.
 */

/** Whether the run was started with `--quick` (small sizes only: smoke tests, CI). */
export function isQuickBench(): boolean {
  return process.env.AAREN_BENCH_QUICK !== undefined;
}

/**
 * Fills `out` with uniform values in `[lo, hi)` from a 32-bit linear congruential generator seeded with
 * `seed` (Numerical Recipes constants). Fast and reproducible; not for statistics.
 */
export function fillUniform<A extends Float32Array | Float64Array>(out: A, seed: number, lo = -1, hi = 1): A {
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (s / 2 ** 32);
  }
  return out;
}

/** `n` uniform f32 values in `[lo, hi)`; see {@link fillUniform}. */
export function uniformFloat32(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  return fillUniform(new Float32Array(n), seed, lo, hi);
}

/** `n` uniform f64 values in `[lo, hi)`; see {@link fillUniform}. */
export function uniformFloat64(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  return fillUniform(new Float64Array(n), seed, lo, hi);
}
