/**
 * Row softmax and log-softmax, stable for huge and infinite logits: each row is shifted by its maximum
 * before exponentiation and the normaliser is summed in float64.
 * @packageDocumentation
 */
import type { TensorView } from '../../backend.js';
import { arrayOf } from '../buffer.js';

/**
 * Softmax (or log-softmax when `log`) over the last axis of `x: [rows, n]` into `out: [rows, n]`.
 * Entries of −∞ get probability 0 (log-probability −∞). A row whose entries are all −∞ has no defined
 * distribution; it is written as all zeros by softmax and all −∞ by log-softmax (never NaN).
 * A NaN in a row makes the whole row NaN.
 */
export function softmax(x: TensorView, out: TensorView, log: boolean): void {
  const [rows = 0, n = 0] = x.shape;
  if (rows === 0 || n === 0) return;
  const xd = arrayOf(x);
  const od = arrayOf(out);
  for (let r = 0; r < rows; r++) {
    const xi = x.offset + r * n;
    const oi = out.offset + r * n;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const v = xd[xi + j]!;
      if (v > max || Number.isNaN(v)) max = v;
    }
    if (max === Number.NEGATIVE_INFINITY) {
      od.fill(log ? Number.NEGATIVE_INFINITY : 0, oi, oi + n);
      continue;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(xd[xi + j]! - max);
    if (log) {
      const logSum = Math.log(sum);
      for (let j = 0; j < n; j++) od[oi + j] = xd[xi + j]! - max - logSum;
    } else {
      for (let j = 0; j < n; j++) od[oi + j] = Math.exp(xd[xi + j]! - max) / sum;
    }
  }
}
