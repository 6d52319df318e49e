/**
 * Float64 reference of the `reduce` and `argmax` kernels over the middle axis of `[outer, n, inner]`.
 * @packageDocumentation
 */
import type { ReduceOp } from '../../backend.js';

/** Reduces the middle axis of `x: [outer, n, inner]`; empty sum 0, empty max −∞, empty min +∞. */
export function reduceReference(
  op: ReduceOp,
  x: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
      for (let i = 0; i < n; i++) {
        const v = x[(o * n + i) * inner + j]!;
        if (op === 'sum') acc += v;
        else if (op === 'max') acc = Math.max(acc, v);
        else acc = Math.min(acc, v);
      }
      out[o * inner + j] = acc;
    }
  }
  return out;
}

/** Index of the first maximum along the middle axis of `x: [outer, n, inner]` (n ≥ 1). */
export function argmaxReference(x: ArrayLike<number>, outer: number, n: number, inner: number): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = 0;
      for (let i = 1; i < n; i++) {
        if (x[(o * n + i) * inner + j]! > x[(o * n + best) * inner + j]!) best = i;
      }
      out[o * inner + j] = best;
    }
  }
  return out;
}
