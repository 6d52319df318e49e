/**
 * Reductions along the middle axis of `[outer, n, inner]`: `reduce` (sum, max, min) and `argmax`.
 * Sums accumulate in float64. `max`/`min` propagate NaN (a NaN anywhere in the slice gives NaN).
 * @packageDocumentation
 */
import type { ReduceOp, TensorView } from '../../backend.js';
import { InvalidArgumentError } from '../../errors.js';
import { arrayOf } from '../buffer.js';

/** Smallest i32: the identity of max over i32. */
export const INT32_MIN = -2147483648;
/** Largest i32: the identity of min over i32. */
export const INT32_MAX = 2147483647;

/** Extents `[outer, n, inner]` of a rank-3 view. */
function dims3(op: string, x: TensorView): [number, number, number] {
  const [outer, n, inner] = x.shape;
  if (x.shape.length !== 3 || outer === undefined || n === undefined || inner === undefined) {
    throw new InvalidArgumentError(
      op,
      `expected a rank-3 [outer, n, inner] view, got rank ${x.shape.length}`,
    );
  }
  return [outer, n, inner];
}

/**
 * Reduces the middle axis of `x: [outer, n, inner]` into `out: [outer, inner]` (contiguous views, any offset).
 * An empty sum is 0, an empty max is −∞ and an empty min is +∞ (for i32: −2³¹ and 2³¹ − 1).
 */
export function reduce(op: ReduceOp, x: TensorView, out: TensorView): void {
  const [outer, n, inner] = dims3('reduce', x);
  if (outer === 0 || inner === 0) return;
  const xd = arrayOf(x);
  const od = arrayOf(out);
  const isInt = x.dtype === 'i32';
  // Identities: −∞/+∞ for f32; the i32 range's ends for i32, which has no infinities.
  const init =
    op === 'sum'
      ? 0
      : op === 'max'
        ? isInt
          ? INT32_MIN
          : Number.NEGATIVE_INFINITY
        : isInt
          ? INT32_MAX
          : Number.POSITIVE_INFINITY;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(init);
    const base = x.offset + o * n * inner;
    for (let i = 0; i < n; i++) {
      const row = base + i * inner;
      if (op === 'sum') {
        for (let j = 0; j < inner; j++) acc[j]! += xd[row + j]!;
      } else if (op === 'max') {
        for (let j = 0; j < inner; j++) {
          const v = xd[row + j]!;
          if (v > acc[j]! || Number.isNaN(v)) acc[j] = v;
        }
      } else {
        for (let j = 0; j < inner; j++) {
          const v = xd[row + j]!;
          if (v < acc[j]! || Number.isNaN(v)) acc[j] = v;
        }
      }
    }
    const dst = out.offset + o * inner;
    for (let j = 0; j < inner; j++) od[dst + j] = acc[j]!;
  }
}

/**
 * Writes the index (i32) of the first maximum along the middle axis of `x: [outer, n, inner]` into
 * `out: [outer, inner]`. The first NaN counts as the maximum (like NumPy). An empty axis (`n = 0`) writes −1.
 */
export function argmax(x: TensorView, out: TensorView): void {
  const [outer, n, inner] = dims3('argmax', x);
  if (outer === 0 || inner === 0) return;
  const xd = arrayOf(x);
  const od = arrayOf(out);
  for (let o = 0; o < outer; o++) {
    const base = x.offset + o * n * inner;
    for (let j = 0; j < inner; j++) {
      let best = -1;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const v = xd[base + i * inner + j]!;
        if (Number.isNaN(v)) {
          best = i;
          break;
        }
        if (best < 0 || v > bestValue) {
          best = i;
          bestValue = v;
        }
      }
      od[out.offset + o * inner + j] = best;
    }
  }
}
