/**
 * Float64 reference of the cumulative kernels (`cumsum`, `cummax`) along the middle axis of `[outer, n, inner]`.
 * @packageDocumentation
 */

/**
 * Element i combines, with `sum` or `max`, the elements j of its column with j ≤ i (j ≥ i when `reverse`),
 * strictly (j < i, j > i) when `exclusive`. The empty combination is 0 (sum) or −∞ (max).
 */
export function cumulativeReference(
  op: 'sum' | 'max',
  x: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
  reverse: boolean,
  exclusive: boolean,
): Float64Array {
  const out = new Float64Array(outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) {
      for (let i = 0; i < n; i++) {
        let acc = op === 'sum' ? 0 : -Infinity;
        for (let j = 0; j < n; j++) {
          const included = reverse ? (exclusive ? j > i : j >= i) : exclusive ? j < i : j <= i;
          if (!included) continue;
          const v = x[(o * n + j) * inner + c]!;
          acc = op === 'sum' ? acc + v : Math.max(acc, v);
        }
        out[(o * n + i) * inner + c] = acc;
      }
    }
  }
  return out;
}
