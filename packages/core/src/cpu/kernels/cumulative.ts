/**
 * Cumulative sum and cumulative max along the middle axis of `[outer, n, inner]`, forward or reverse,
 * inclusive or exclusive. Running sums are kept in float64.
 * @packageDocumentation
 */
import type { CumulativeOptions, TensorView } from '../../backend.js';
import { arrayOf } from '../buffer.js';
import { INT32_MIN } from './reduce.js';

/** Which running combination to apply. */
type Combine = 'sum' | 'max';

function cumulative(combine: Combine, x: TensorView, out: TensorView, options: CumulativeOptions): void {
  const [outer = 0, n = 0, inner = 0] = x.shape;
  if (outer === 0 || n === 0 || inner === 0) return;
  const xd = arrayOf(x);
  const od = arrayOf(out);
  const identity = combine === 'sum' ? 0 : x.dtype === 'i32' ? INT32_MIN : Number.NEGATIVE_INFINITY;
  const { reverse, exclusive } = options;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(identity);
    const xBase = x.offset + o * n * inner;
    const oBase = out.offset + o * n * inner;
    for (let step = 0; step < n; step++) {
      const i = reverse ? n - 1 - step : step;
      const xi = xBase + i * inner;
      const oi = oBase + i * inner;
      if (exclusive) for (let j = 0; j < inner; j++) od[oi + j] = acc[j]!;
      if (combine === 'sum') {
        for (let j = 0; j < inner; j++) acc[j]! += xd[xi + j]!;
      } else {
        for (let j = 0; j < inner; j++) {
          const v = xd[xi + j]!;
          if (v > acc[j]! || Number.isNaN(v)) acc[j] = v;
        }
      }
      if (!exclusive) for (let j = 0; j < inner; j++) od[oi + j] = acc[j]!;
    }
  }
}

/**
 * Cumulative sum along the middle axis of `x: [outer, n, inner]` (contiguous, any offset) into `out`.
 * `reverse` scans from the end; `exclusive` writes the sum of the elements strictly before (0 first).
 */
export function cumsum(x: TensorView, out: TensorView, options: CumulativeOptions): void {
  cumulative('sum', x, out, options);
}

/**
 * Cumulative max along the middle axis of `x: [outer, n, inner]` into `out` (identity −∞, so an exclusive
 * scan starts with −∞). NaN propagates to every later position.
 */
export function cummax(x: TensorView, out: TensorView, options: CumulativeOptions): void {
  cumulative('max', x, out, options);
}
