/**
 * Instance normalisation of each series over its look-back window (RevIN-style, without the affine part).
 * @packageDocumentation
 */
import { add, div, mean, mul, sqrt, square, sub, type Tensor } from '@aaren/core';

/** Per-series statistics of a look-back window, `[B, 1, C]` each. */
export interface SeriesStats {
  /** Mean over the window. */
  readonly mean: Tensor;
  /** `√(var + eps)` over the window (biased variance). */
  readonly std: Tensor;
}

/**
 * Statistics of `x: [B, L, C]` over the time axis (Kim et al., ICLR 2022, "Reversible instance
 * normalization"): the model sees `(x − mean)/std` and its forecast is mapped back by `·std + mean`, so
 * level and scale shifts between windows do not have to be learned.
 */
export function seriesStats(x: Tensor, eps = 1e-5): SeriesStats {
  const mu = mean(x, 1, true);
  const std = sqrt(add(mean(square(sub(x, mu)), 1, true), eps));
  return { mean: mu, std };
}

/** `(x − mean)/std`. */
export function normalizeSeries(x: Tensor, stats: SeriesStats): Tensor {
  return div(sub(x, stats.mean), stats.std);
}

/** `y·std + mean` (the inverse of {@link normalizeSeries}). */
export function denormalizeSeries(y: Tensor, stats: SeriesStats): Tensor {
  return add(mul(y, stats.std), stats.mean);
}
