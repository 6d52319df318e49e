/**
 * Additive attention masks (0 where a query may attend to a key, −∞ elsewhere).
 * @packageDocumentation
 */
import { type Backend, type Tensor, tensor } from '@aaren/core';

/**
 * The additive mask `[T, L]` for `T` queries at positions `start … start + T − 1` over `L = start + T` keys
 * at positions `0 … L − 1`: query `i` sees key `j` when `j ≤ i` and, with a sliding window `W`, `i − j < W`
 * (as `transformers`' `sliding_window_overlay`). Returns `null` when nothing is masked.
 */
export function causalAttentionBias(
  backend: Backend,
  start: number,
  queries: number,
  slidingWindow: number | null,
): Tensor | null {
  const keys = start + queries;
  const data = new Float32Array(queries * keys);
  let masked = false;
  for (let t = 0; t < queries; t++) {
    const i = start + t;
    for (let j = 0; j < keys; j++) {
      const allowed = j <= i && (slidingWindow === null || i - j < slidingWindow);
      if (!allowed) {
        data[t * keys + j] = Number.NEGATIVE_INFINITY;
        masked = true;
      }
    }
  }
  return masked ? tensor(backend, data, [queries, keys]) : null;
}
