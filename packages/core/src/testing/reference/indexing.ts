/**
 * Float64 reference of the `gather`, `scatterAdd` and `rope` kernels.
 * @packageDocumentation
 */

/** `out[i, :] = table[indices[i], :]` with `table: [V, D]`; returns `[n, D]`. */
export function gatherReference(
  table: ArrayLike<number>,
  d: number,
  indices: ArrayLike<number>,
): Float64Array {
  const n = indices.length;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = table[indices[i]! * d + j]!;
  }
  return out;
}

/** `out[indices[i], :] += src[i, :]`, starting from `initial: [V, D]`; returns the new `[V, D]`. */
export function scatterAddReference(
  initial: ArrayLike<number>,
  d: number,
  indices: ArrayLike<number>,
  src: ArrayLike<number>,
): Float64Array {
  const out = Float64Array.from(initial);
  for (let i = 0; i < indices.length; i++) {
    for (let j = 0; j < d; j++) out[indices[i]! * d + j]! += src[i * d + j]!;
  }
  return out;
}

/**
 * Rotary embedding of `x: [rows, T, D]` with `cos, sin: [T, D/2]`. Pair j is `(j, j + D/2)` (rotate-half) or
 * `(2j, 2j + 1)` (interleaved); `(x1, x2) ↦ (x1 cos θ − x2 sin θ, x2 cos θ + x1 sin θ)`, θ negated when
 * `inverse`.
 */
export function ropeReference(
  x: ArrayLike<number>,
  rows: number,
  t: number,
  d: number,
  cos: ArrayLike<number>,
  sin: ArrayLike<number>,
  interleaved: boolean,
  inverse: boolean,
): Float64Array {
  const half = d / 2;
  const out = new Float64Array(rows * t * d);
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < t; p++) {
      const base = (r * t + p) * d;
      for (let j = 0; j < half; j++) {
        const c = cos[p * half + j]!;
        const s = inverse ? -sin[p * half + j]! : sin[p * half + j]!;
        const i1 = interleaved ? 2 * j : j;
        const i2 = interleaved ? 2 * j + 1 : j + half;
        const x1 = x[base + i1]!;
        const x2 = x[base + i2]!;
        out[base + i1] = x1 * c - x2 * s;
        out[base + i2] = x2 * c + x1 * s;
      }
    }
  }
  return out;
}
