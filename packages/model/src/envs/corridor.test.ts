import { cpuBackend, createRng } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { DecisionModel } from '../models/decision-model.js';
import { decisionDataset } from '../train/dataset.js';
import { fit as fitModel } from '../train/fit.js';
import { Corridor, corridorTrajectories, randomPolicyReturn, rolloutDecisionModel } from './corridor.js';

const backend = cpuBackend();

describe('Corridor', () => {
  it('is deterministic and pays at the ends', () => {
    const env = new Corridor({ length: 5, horizon: 4 });
    expect(env.reset()).toEqual(new Float32Array([0, 0, 1, 0, 0]));
    expect(env.step(1).reward).toBe(0);
    expect(env.step(1)).toMatchObject({ reward: 2, done: false });
    expect(env.step(1)).toMatchObject({ reward: 2, done: false });
    expect(env.step(0)).toMatchObject({ reward: 0, done: true });
    expect(env.maxReturn).toBe(6);
  });

  it('scripted trajectories have returns-to-go that sum the rewards', () => {
    const data = corridorTrajectories({ count: 20, seed: 3 });
    for (let e = 0; e < 20; e++) {
      let sum = 0;
      for (let t = 0; t < data.steps; t++) sum += data.rewards[e * data.steps + t]!;
      expect(data.returnsToGo[e * data.steps]).toBeCloseTo(sum, 5);
      expect(data.returns[e]).toBeCloseTo(sum, 5);
    }
  });
});

describe.each(['aaren', 'transformer'] as const)('return-conditioned decisions (%s)', (backbone) => {
  it('beat the random policy when conditioned on the maximum return, and follow a lower target', async () => {
    const env = new Corridor();
    const data = corridorTrajectories({ count: 256, seed: 1 });
    const train = decisionDataset({ ...data, steps: data.steps, stateDim: data.stateDim });
    const model = new DecisionModel({
      backbone,
      encoder: { dModel: 16, heads: 2, dFF: 32, layers: 1 },
      stateDim: env.stateDim,
      actions: env.actions,
      returnScale: env.maxReturn,
    }).init(backend, createRng(0));
    const result = await fitModel(model, { train }, { epochs: 8, batchSize: 32, optimizer: { lr: 3e-3 } });
    result.optimizer.dispose();
    const random = randomPolicyReturn(env, 500, 7);
    const best = await rolloutDecisionModel(model, env, env.maxReturn);
    expect(best).toBeGreaterThan(random);
    expect(best).toBeGreaterThanOrEqual(0.9 * env.maxReturn);
    // Asking for about what the left end pays (9 steps · 1) makes it go left instead.
    const modest = await rolloutDecisionModel(model, env, 9);
    expect(modest).toBeLessThan(best);
  });
});
