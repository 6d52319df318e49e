import { cpuBackend, createRng } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { sineWindows } from '../../test/helpers/synthetic.js';
import { ModelConfigError } from '../errors.js';
import { Forecaster } from '../models/forecaster.js';
import { evaluate } from './evaluate.js';
import { type FitProgress, fit as fitModel } from './fit.js';

const backend = cpuBackend();
const encoder = { dModel: 16, heads: 2, dFF: 32, layers: 1 };

function model(backbone: 'aaren' | 'transformer', seed = 0) {
  return new Forecaster({ backbone, encoder, channels: 2, lookback: 24, horizon: 8 }).init(
    backend,
    createRng(seed),
  );
}

describe('fit', () => {
  it.each(['aaren', 'transformer'] as const)('reduces the loss of a %s forecaster', async (backbone) => {
    const train = sineWindows(128, { seed: 1 });
    const validation = sineWindows(32, { seed: 2 });
    const m = model(backbone);
    const before = await evaluate(m, validation);
    const result = await fitModel(
      m,
      { train, validation },
      {
        epochs: 12,
        batchSize: 16,
        optimizer: { lr: 1e-2 },
        schedule: 'warmupCosine',
        clipGradNorm: 1,
      },
    );
    const after = await evaluate(m, validation);
    expect(result.history).toHaveLength(12);
    expect(result.steps).toBe(96);
    expect(after.mse!).toBeLessThan(0.6 * before.mse!);
    expect(result.history[11]!.train.loss!).toBeLessThan(result.history[0]!.train.loss!);
    expect(result.history[11]!.validation!.mse).toBeCloseTo(after.mse!, 5);
    result.optimizer.dispose();
  });

  it('reports progress, follows the schedule, and is deterministic for a seed', async () => {
    const train = sineWindows(40);
    const events: FitProgress[] = [];
    const run = async () => {
      const m = model('aaren', 3);
      const r = await fitModel(
        m,
        { train },
        {
          epochs: 2,
          batchSize: 8,
          seed: 11,
          schedule: 'warmupCosine',
          warmupSteps: 3,
          optimizer: { lr: 1e-2 },
          progressEvery: 1,
          onProgress: (e) => {
            events.push(e);
          },
        },
      );
      r.optimizer.dispose();
      return {
        losses: r.history.map((h) => h.train.loss),
        weight: [...m.parameters().values()][0]!.dataSync(),
      };
    };
    const a = await run();
    const steps = events.filter((e) => e.type === 'step');
    expect(steps).toHaveLength(10);
    const rates = steps.map((e) => (e.type === 'step' ? e.learningRate : 0));
    for (const [i, r] of [0, 1e-2 / 3, 2e-2 / 3, 1e-2].entries()) expect(rates[i]).toBeCloseTo(r, 12);
    expect(rates[9]).toBeLessThan(rates[4]!);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);
    const b = await run();
    expect(b.losses).toEqual(a.losses);
    expect(b.weight).toEqual(a.weight);
  });

  it('stops early when validation stops improving and restores the best parameters', async () => {
    const train = sineWindows(32, { seed: 5 });
    const validation = sineWindows(16, { seed: 6 });
    const m = model('aaren', 4);
    // A huge learning rate makes validation worse after the first epochs.
    const result = await fitModel(
      m,
      { train, validation },
      {
        epochs: 30,
        batchSize: 8,
        optimizer: { lr: 0.3 },
        earlyStopping: { patience: 2 },
      },
    );
    expect(result.stopReason).toBe('early-stopping');
    expect(result.epochs).toBeLessThan(30);
    expect(result.epochs - result.bestEpoch).toBe(2);
    const restored = await evaluate(m, validation, { batchSize: 8 });
    expect(restored.loss).toBeCloseTo(result.best!, 4);
    result.optimizer.dispose();
  });

  it('rejects bad options with the option named', async () => {
    const train = sineWindows(4);
    await expect(fitModel(model('aaren'), { train }, { epochs: 1, batchSize: 0 })).rejects.toThrow(
      ModelConfigError,
    );
    await expect(
      fitModel(model('aaren'), { train }, { epochs: 1, schedule: 'linear' as never }),
    ).rejects.toThrow(/schedule/);
    await expect(
      fitModel(model('aaren'), { train }, { epochs: 1, earlyStopping: { patience: 1, monitor: 'accuracy' } }),
    ).rejects.toThrow(/'accuracy' is not a metric/);
  });
});
