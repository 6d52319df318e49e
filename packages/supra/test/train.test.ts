import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend } from '@aaren/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  convertToSupra,
  evaluatePerplexity,
  SupraLM,
  TokenWindows,
  Trainer,
  type TrainProgress,
} from '../src/index.js';
import { loadPretrained, resumeTrainer, saveTrainerCheckpoint } from '../src/node/index.js';
import { FIXTURES } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A stream the models can learn: a fixed random phrase of 11 tokens repeated. */
function patternTokens(length: number, vocab: number): Int32Array {
  const phrase = [5, 17, 3, 42, 8, 8, 30, 1, 59, 12, 26].map((t) => t % vocab);
  return Int32Array.from({ length }, (_, i) => phrase[i % phrase.length]!);
}

describe('TokenWindows', () => {
  it('visits every window once per epoch in a seeded order', () => {
    const tokens = Int32Array.from({ length: 41 }, (_, i) => i);
    const w = new TokenWindows(tokens, 4, 9);
    expect(w.count).toBe(10);
    const starts = Array.from({ length: 10 }, (_, k) => w.windowStart(k));
    expect([...starts].sort((a, b) => a - b)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
    const batch = w.batch(0, 2);
    expect([...batch.targets.subarray(0, 4)]).toEqual([...batch.inputs.subarray(0, 4)].map((x) => x + 1));
    expect(new TokenWindows(tokens, 4, 9).batch(3, 2)).toEqual(w.batch(3, 2));
  });
});

describe('Trainer', () => {
  it('uptrains a SUPRA model: the loss and the held-out perplexity fall', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'gpt2'), { backend: cpu });
    const supra = convertToSupra(model, { chunkSize: 8 });
    const tokens = patternTokens(2000, 64);
    const before = await evaluatePerplexity(supra, tokens, { seqLength: 16, maxWindows: 8 });
    const events: TrainProgress[] = [];
    const trainer = new Trainer(supra, new TokenWindows(tokens, 16, 1), {
      steps: 40,
      batchSize: 4,
      lr: 3e-3,
      warmupSteps: 4,
    });
    await trainer.run({ onProgress: (p) => events.push(p) });
    expect(events).toHaveLength(40);
    expect(events[39]).toMatchObject({ step: 40, totalSteps: 40, tokens: 40 * 4 * 16 });
    expect(events[0]!.lr).toBe(0);
    expect(events[4]!.lr).toBeCloseTo(3e-3, 12);
    expect(events[39]!.loss).toBeLessThan(events[0]!.loss / 2);
    const after = await evaluatePerplexity(supra, tokens, { seqLength: 16, maxWindows: 8 });
    expect(after.perplexity).toBeLessThan(before.perplexity / 4);
    expect(after.tokens).toBe(8 * 16);
  });

  it('trains only the selected weights', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'llama-gqa-llama3'), { backend: cpu });
    const supra = convertToSupra(model);
    const frozen = supra.weights.get('model.norm.weight')!.dataSync().slice();
    const phi = supra.weights.get('model.layers.0.self_attn.feature_map.weight')!.dataSync().slice();
    const trainer = new Trainer(supra, new TokenWindows(patternTokens(400, 64), 8), {
      steps: 2,
      batchSize: 2,
      warmupSteps: 0,
      trainable: (n) => n.includes('feature_map'),
    });
    expect(trainer.trainable).toHaveLength(8);
    await trainer.run();
    expect(supra.weights.get('model.norm.weight')!.dataSync()).toEqual(frozen);
    expect(supra.weights.get('model.layers.0.self_attn.feature_map.weight')!.dataSync()).not.toEqual(phi);
  });

  it('resumes exactly from a checkpoint', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'llama-gqa-llama3'), { backend: cpu });
    const tokens = patternTokens(600, 64);
    const options = { steps: 6, batchSize: 2, lr: 2e-3, warmupSteps: 2 };
    const straight = convertToSupra(model, { seed: 4 });
    const losses: number[] = [];
    await new Trainer(straight, new TokenWindows(tokens, 12, 5), options).run({
      onProgress: (p) => losses.push(p.loss),
    });

    const dir = mkdtempSync(join(tmpdir(), 'supra-train-'));
    dirs.push(dir);
    const first = new Trainer(convertToSupra(model, { seed: 4 }), new TokenWindows(tokens, 12, 5), options);
    await first.run({ until: 3, checkpointEvery: 3, onCheckpoint: (t) => saveTrainerCheckpoint(dir, t) });
    const state = JSON.parse(readFileSync(join(dir, 'trainer_state.json'), 'utf8'));
    expect(state.step).toBe(3);
    const { trainer, model: resumed } = await resumeTrainer(dir, cpu, tokens);
    expect(resumed).toBeInstanceOf(SupraLM);
    expect(trainer.step).toBe(3);
    const resumedLosses: number[] = [];
    await trainer.run({ onProgress: (p) => resumedLosses.push(p.loss) });
    expect(resumedLosses).toEqual(losses.slice(3));
    for (const [name, t] of straight.weights) {
      expect(resumed.weights.get(name)!.dataSync(), name).toEqual(t.dataSync());
    }
  });
});
