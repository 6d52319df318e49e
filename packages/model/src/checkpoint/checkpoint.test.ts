import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend, createRng } from '@aaren/core';
import { afterAll, describe, expect, it } from 'vitest';
import { sineWindows } from '../../test/helpers/synthetic.js';
import { CheckpointError } from '../errors.js';
import { Classifier } from '../models/classifier.js';
import { Forecaster } from '../models/forecaster.js';
import { fit as fitModel } from '../train/fit.js';
import { disposeSnapshot, loadCheckpoint, saveCheckpoint } from './node-checkpoint.js';

const backend = cpuBackend();
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'aaren-ckpt-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function params(model: { parameters(): Map<string, { dataSync(): ArrayLike<number> }> }): number[][] {
  return [...model.parameters().values()].map((t) => Array.from(t.dataSync()));
}

describe('checkpoints', () => {
  it('round-trips a model: config.json rebuilds it and model.safetensors restores its outputs', async () => {
    const dir = await tempDir();
    const model = new Classifier({
      backbone: 'transformer',
      encoder: { dModel: 8, heads: 2, dFF: 16, layers: 2, norm: 'pre' },
      classes: 3,
      input: { vocabSize: 11 },
      pooling: 'mean',
    }).init(backend, createRng(5));
    await saveCheckpoint(dir, { model });
    const loaded = await loadCheckpoint(dir, backend);
    expect(loaded.config).toEqual(model.config);
    expect(loaded.snapshot).toBeNull();
    expect(params(loaded.model)).toEqual(params(model));
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config.paramCount).toBe(model.paramCount());
    expect(config.parameters['encoder.layers.1.attn.q.weight']).toEqual([8, 8]);
  });

  it('resumes exactly: 4 epochs equal 2 epochs + save + load + 2 epochs (losses and parameters)', async () => {
    const dir = await tempDir();
    const train = sineWindows(40, { seed: 3 });
    const validation = sineWindows(12, { seed: 4 });
    const config = {
      backbone: 'aaren' as const,
      encoder: { dModel: 8, heads: 2, dFF: 16, layers: 2 },
      channels: 2,
      lookback: 24,
      horizon: 8,
    };
    const options = {
      epochs: 4,
      batchSize: 8,
      seed: 9,
      optimizer: { lr: 5e-3, weightDecay: 0.05 },
      schedule: 'warmupCosine' as const,
      warmupSteps: 4,
      clipGradNorm: 0.5,
      earlyStopping: { patience: 10 },
    };
    const straight = new Forecaster(config).init(backend, createRng(1));
    const full = await fitModel(
      straight,
      { train, validation },
      {
        ...options,
        checkpoint: async (snapshot) => {
          if (snapshot.epoch === 2) await saveCheckpoint(dir, { model: straight, snapshot });
        },
      },
    );
    full.optimizer.dispose();

    const loaded = await loadCheckpoint(dir, backend);
    expect(loaded.epoch).toBe(2);
    expect(loaded.snapshot?.history).toHaveLength(2);
    expect(loaded.snapshot?.bestParameters?.size).toBe(straight.parameters().size);
    const resumed = await fitModel(
      loaded.model as Forecaster,
      { train, validation },
      { ...options, resume: loaded.snapshot },
    );
    resumed.optimizer.dispose();
    disposeSnapshot(loaded.snapshot);

    const strip = (h: typeof full.history) => h.map(({ seconds: _, ...rest }) => rest);
    expect(strip(resumed.history)).toEqual(strip(full.history));
    expect(resumed.steps).toBe(full.steps);
    expect(params(loaded.model)).toEqual(params(straight));
  });

  it('detects a torn checkpoint (files from two saves) and a missing one', async () => {
    const a = await tempDir();
    const b = await tempDir();
    const make = (seed: number) =>
      new Classifier({
        backbone: 'aaren',
        encoder: { dModel: 8, heads: 2, dFF: 8, layers: 1 },
        classes: 2,
        input: { features: 3 },
      }).init(backend, createRng(seed));
    await saveCheckpoint(a, { model: make(1) });
    await saveCheckpoint(b, { model: make(2) });
    await copyFile(join(b, 'model.safetensors'), join(a, 'model.safetensors'));
    await expect(loadCheckpoint(a, backend)).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(a, backend)).rejects.toThrow(/a save was interrupted/);
    await expect(loadCheckpoint(join(a, 'nowhere'), backend)).rejects.toThrow(/config.json: cannot be read/);
  });
});
