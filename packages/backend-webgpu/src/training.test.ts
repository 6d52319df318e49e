/**
 * End to end: a small Aaren forecaster from `@aaren/model` trained for a few AdamW steps gives the same
 * step losses on WebGPU as on the CPU backend (same seed, same data, same batches). Tolerance: relative
 * 2e-3 per step — f32 summation orders differ between the backends and compound over the steps.
 */
import { type Backend, cpuBackend, createRng } from '@aaren/core';
import { type FitProgress, Forecaster, fit as fitModel, forecastingDataset } from '@aaren/model';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebGPUBackend, type WebGPUBackend } from './create-backend.js';
import { requestNodeAdapter } from './node.js';
import { describeGpu } from './testing/node-adapter.js';

const LOSS_RTOL = 2e-3;
const [LOOKBACK, HORIZON, CHANNELS, COUNT] = [24, 8, 2, 32];

/** Noisy sine windows (deterministic). */
function sineData(seed: number) {
  const rng = createRng(seed);
  const input = new Float32Array(COUNT * LOOKBACK * CHANNELS);
  const target = new Float32Array(COUNT * HORIZON * CHANNELS);
  for (let n = 0; n < COUNT; n++) {
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let t = 0; t < LOOKBACK + HORIZON; t++) {
      for (let c = 0; c < CHANNELS; c++) {
        const v = Math.sin(phase + 0.3 * t * (c + 1)) + 0.05 * rng.normal();
        if (t < LOOKBACK) input[(n * LOOKBACK + t) * CHANNELS + c] = v;
        else target[(n * HORIZON + t - LOOKBACK) * CHANNELS + c] = v;
      }
    }
  }
  return forecastingDataset({ input, target, lookback: LOOKBACK, horizon: HORIZON, channels: CHANNELS });
}

async function stepLosses(backend: Backend): Promise<number[]> {
  const model = new Forecaster({
    task: 'forecasting',
    backbone: 'aaren',
    encoder: { dModel: 16, heads: 2, dFF: 32, layers: 2 },
    channels: CHANNELS,
    lookback: LOOKBACK,
    horizon: HORIZON,
  }).init(backend, createRng(7));
  const losses: number[] = [];
  const result = await fitModel(
    model,
    { train: sineData(3) },
    {
      epochs: 2,
      batchSize: 8,
      seed: 5,
      optimizer: { lr: 1e-2 },
      progressEvery: 1,
      onProgress: (e: FitProgress) => {
        if (e.type === 'step') losses.push(e.loss);
      },
    },
  );
  result.optimizer.dispose();
  model.dispose?.();
  return losses;
}

describeGpu('training a small Aaren model', () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = await createWebGPUBackend({ adapter: await requestNodeAdapter() });
  });
  afterAll(() => gpu?.dispose());

  it(`gives the CPU's step losses within a relative ${LOSS_RTOL}`, async () => {
    const reference = await stepLosses(cpuBackend());
    const ours = await stepLosses(gpu);
    expect(ours).toHaveLength(8);
    expect(reference).toHaveLength(8);
    for (let i = 0; i < ours.length; i++) {
      const rel = Math.abs(ours[i]! - reference[i]!) / Math.abs(reference[i]!);
      expect(rel, `step ${i + 1}: webgpu ${ours[i]} vs cpu ${reference[i]}`).toBeLessThan(LOSS_RTOL);
    }
    // Training does something: the loss moves.
    expect(ours[7]).not.toBe(ours[0]);
  });
});
