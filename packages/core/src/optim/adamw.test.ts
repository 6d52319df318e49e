import { describe, expect, it } from 'vitest';
import { requireGrad } from '../autograd.js';
import { cpuBackend } from '../cpu/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { createRng } from '../random.js';
import { expectAllClose } from '../testing/all-close.js';
import { AdamW, type AdamWOptions } from './adamw.js';

const backend = cpuBackend();

interface RefConfig {
  lr: number[];
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

/**
 * torch.optim.AdamW, written plainly in float64 from the algorithm box of the PyTorch documentation:
 *   θ ← θ − γλθ;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);
 *   amsgrad: vmax ← max(vmax, v), v̂ = vmax/(1−β₂ᵗ)  else  v̂ = v/(1−β₂ᵗ);  θ ← θ − γ·m̂/(√v̂ + ε).
 * A parameter whose gradient is null is skipped and its step count t does not advance.
 */
function adamwReference(
  initial: Float32Array[],
  grads: (Float32Array | null)[][],
  c: RefConfig,
): Float64Array[][] {
  const theta = initial.map((p) => Float64Array.from(p));
  const m = initial.map((p) => new Float64Array(p.length));
  const v = initial.map((p) => new Float64Array(p.length));
  const vmax = initial.map((p) => new Float64Array(p.length));
  const t = initial.map(() => 0);
  const history: Float64Array[][] = [];
  grads.forEach((stepGrads, s) => {
    const lr = c.lr[s]!;
    stepGrads.forEach((g, i) => {
      if (!g) return;
      t[i]!++;
      const th = theta[i]!;
      for (let k = 0; k < th.length; k++) {
        th[k] = th[k]! - lr * c.weightDecay * th[k]!;
        m[i]![k] = c.beta1 * m[i]![k]! + (1 - c.beta1) * g[k]!;
        v[i]![k] = c.beta2 * v[i]![k]! + (1 - c.beta2) * g[k]! * g[k]!;
        const mHat = m[i]![k]! / (1 - c.beta1 ** t[i]!);
        let vHat: number;
        if (c.amsgrad) {
          vmax[i]![k] = Math.max(vmax[i]![k]!, v[i]![k]!);
          vHat = vmax[i]![k]! / (1 - c.beta2 ** t[i]!);
        } else {
          vHat = v[i]![k]! / (1 - c.beta2 ** t[i]!);
        }
        th[k] = th[k]! - (lr * mHat) / (Math.sqrt(vHat) + c.eps);
      }
    });
    history.push(theta.map((p) => Float64Array.from(p)));
  });
  return history;
}

const shapes = [[4, 5], [7], [2, 3, 2]];

function randomProblem(seed: number, steps: number) {
  const rng = createRng(seed);
  const f32 = (n: number, std: number) => Float32Array.from({ length: n }, () => rng.normal(0, std));
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const initial = sizes.map((n) => f32(n, 1));
  // Gradients of varied scales; parameter 1 gets no gradient at step 2 (skipped, as grad = None).
  const grads = Array.from({ length: steps }, (_, s) =>
    sizes.map((n, i) => (s === 2 && i === 1 ? null : f32(n, 10 ** (i - 1)))),
  );
  return { initial, grads };
}

describe('AdamW', () => {
  const configs: [string, AdamWOptions, RefConfig][] = [
    ['defaults', {}, { lr: [1e-3], beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, amsgrad: false }],
    [
      'amsgrad, custom betas, strong decay, eps',
      { betas: [0.8, 0.99], weightDecay: 0.1, amsgrad: true, eps: 1e-3 },
      { lr: [1e-3], beta1: 0.8, beta2: 0.99, eps: 1e-3, weightDecay: 0.1, amsgrad: true },
    ],
    [
      'no weight decay',
      { weightDecay: 0 },
      { lr: [1e-3], beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false },
    ],
  ];

  for (const [label, options, ref] of configs) {
    it(`matches a float64 reference of torch.optim.AdamW over 8 steps (${label})`, () => {
      const steps = 8;
      const { initial, grads } = randomProblem(label.length, steps);
      // A learning rate that changes every step, as a schedule would.
      const lrs = Array.from({ length: steps }, (_, s) => 0.05 * (1 + s) ** -0.5);
      const expected = adamwReference(initial, grads, { ...ref, lr: lrs });
      const params = initial.map((d, i) => requireGrad(tensor(backend, d, shapes[i]!)));
      const opt = new AdamW(params, options);
      for (let s = 0; s < steps; s++) {
        const g = grads[s]!.map((d, i) => (d ? tensor(backend, d, shapes[i]!) : null));
        opt.step(g, lrs[s]);
        params.forEach((p, i) => {
          expectAllClose(
            p.dataSync(),
            expected[s]![i]!,
            { rtol: 1e-5, atol: 1e-6 },
            `step ${s + 1} param ${i}`,
          );
        });
        for (const t of g) t?.dispose();
      }
      expect(opt.stepCount).toBe(steps);
      expect(opt.stateDict().paramSteps).toEqual([steps, steps - 1, steps]);
      // The parameters really moved (the comparison is not vacuous).
      const moved = Math.max(...params[0]!.dataSync().map((x, k) => Math.abs(x - initial[0]![k]!)));
      expect(moved).toBeGreaterThan(0.05);
      opt.dispose();
    });
  }

  it('updates in place: the same tensor objects and views see the new values', () => {
    const p = requireGrad(tensor(backend, [1, 2, 3, 4], [4]));
    const opt = new AdamW([p], { lr: 0.1, weightDecay: 0 });
    opt.step([tensor(backend, [1, -1, 1, -1], [4])]);
    // First Adam step moves each element by lr·sign(g) (up to ε).
    expectAllClose(p.dataSync(), [0.9, 2.1, 2.9, 4.1], { rtol: 1e-6, atol: 1e-6 });
  });

  it('validates options and gradients', () => {
    const p = requireGrad(tensor(backend, [1, 2], [2]));
    expect(() => new AdamW([p], { betas: [1, 0.9] })).toThrow(InvalidArgumentError);
    expect(() => new AdamW([p], { lr: -1 })).toThrow(InvalidArgumentError);
    expect(() => new AdamW([p, p])).toThrow(InvalidArgumentError);
    expect(() => new AdamW([tensor(backend, [1], [1], 'i32')])).toThrow();
    const opt = new AdamW([p]);
    expect(() => opt.step([])).toThrow(InvalidArgumentError);
    expect(() => opt.step([tensor(backend, [1, 2, 3], [3])])).toThrow(ShapeError);
    expect(() => opt.setLearningRate(Number.NaN)).toThrow(InvalidArgumentError);
    expect(Array.from(p.dataSync())).toEqual([1, 2]);
    opt.dispose();
    expect(() => opt.step([null])).toThrow(InvalidArgumentError);
  });
});
