/**
 * Float64 reference of the `softmax` kernel (softmax and log-softmax over the last axis of `[rows, n]`).
 * @packageDocumentation
 */

/**
 * Softmax (or log-softmax) of each row of `x: [rows, n]`. Entries of −∞ get probability 0 (log −∞). A row
 * that is entirely −∞ gives 0s for softmax and NaN for log-softmax (undefined; the suite does not test it).
 */
export function softmaxReference(x: ArrayLike<number>, rows: number, n: number, log: boolean): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, x[r * n + i]!);
    if (max === -Infinity) {
      for (let i = 0; i < n; i++) out[r * n + i] = log ? Number.NaN : 0;
      continue;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(x[r * n + i]! - max);
    for (let i = 0; i < n; i++) {
      const shifted = x[r * n + i]! - max;
      out[r * n + i] = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
    }
  }
  return out;
}
