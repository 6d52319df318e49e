/** Small synthetic datasets for the trainer and checkpoint tests. */
import { createRng } from '@aaren/core';
import { forecastingDataset } from '../../src/train/dataset.js';

/**
 * Windows of noisy sines with random phase and period per example: `count` windows of `lookback` steps and
 * `horizon` targets, `channels` channels.
 */
export function sineWindows(
  count: number,
  options: { lookback?: number; horizon?: number; channels?: number; seed?: number } = {},
) {
  const lookback = options.lookback ?? 24;
  const horizon = options.horizon ?? 8;
  const channels = options.channels ?? 2;
  const rng = createRng(options.seed ?? 1);
  const input = new Float32Array(count * lookback * channels);
  const target = new Float32Array(count * horizon * channels);
  for (let e = 0; e < count; e++) {
    for (let c = 0; c < channels; c++) {
      const period = 8 + 8 * rng.next();
      const phase = 2 * Math.PI * rng.next();
      const level = rng.normal(0, 1);
      for (let t = 0; t < lookback + horizon; t++) {
        const v = level + Math.sin((2 * Math.PI * t) / period + phase) + 0.05 * rng.normal();
        if (t < lookback) input[(e * lookback + t) * channels + c] = v;
        else target[(e * horizon + t - lookback) * channels + c] = v;
      }
    }
  }
  return forecastingDataset({ input, target, lookback, horizon, channels });
}
