import { describe, expect, it } from 'vitest';
import { requireGrad } from '../autograd.js';
import { cpuBackend } from '../cpu/index.js';
import { InvalidArgumentError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { createRng } from '../random.js';
import { expectAllClose } from '../testing/all-close.js';
import { SGD, type SGDOptions } from './sgd.js';

const backend = cpuBackend();

/**
 * torch.optim.SGD, written plainly in float64 from the algorithm box of the PyTorch documentation:
 *   g ← g + λθ (λ ≠ 0);  if μ ≠ 0: b ← (t > 1 ? μb + (1−τ)g : g), g ← nesterov ? g + μb : b;  θ ← θ − γg.
 * A parameter whose gradient is null is skipped (its buffer and t unchanged).
 */
function sgdReference(
  initial: Float32Array[],
  grads: (Float32Array | null)[][],
  lrs: number[],
  o: Required<Omit<SGDOptions, 'lr'>>,
): Float64Array[][] {
  const theta = initial.map((p) => Float64Array.from(p));
  const buf = initial.map((p) => new Float64Array(p.length));
  const t = initial.map(() => 0);
  const history: Float64Array[][] = [];
  grads.forEach((stepGrads, s) => {
    stepGrads.forEach((grad, i) => {
      if (!grad) return;
      t[i]!++;
      const th = theta[i]!;
      const b = buf[i]!;
      for (let k = 0; k < th.length; k++) {
        let g = grad[k]!;
        if (o.weightDecay !== 0) g = g + o.weightDecay * th[k]!;
        if (o.momentum !== 0) {
          b[k] = t[i]! > 1 ? o.momentum * b[k]! + (1 - o.dampening) * g : g;
          g = o.nesterov ? g + o.momentum * b[k]! : b[k]!;
        }
        th[k] = th[k]! - lrs[s]! * g;
      }
    });
    history.push(theta.map((p) => Float64Array.from(p)));
  });
  return history;
}

const shapes = [[3, 4], [5], [2, 2, 2]];

describe('SGD', () => {
  const configs: Required<Omit<SGDOptions, 'lr'>>[] = [
    { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
    { momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0.05 },
    { momentum: 0.8, dampening: 0, nesterov: true, weightDecay: 0.01 },
  ];
  configs.forEach((config, c) => {
    it(`matches a float64 reference of torch.optim.SGD over 8 steps (${JSON.stringify(config)})`, () => {
      const rng = createRng(100 + c);
      const steps = 8;
      const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
      const f32 = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
      const initial = sizes.map(f32);
      const grads = Array.from({ length: steps }, (_, s) =>
        sizes.map((n, i) => (s === 3 && i === 2 ? null : f32(n))),
      );
      const lrs = Array.from({ length: steps }, (_, s) => 0.1 / (1 + s));
      const expected = sgdReference(initial, grads, lrs, config);
      const params = initial.map((d, i) => requireGrad(tensor(backend, d, shapes[i]!)));
      const opt = new SGD(params, { lr: 1, ...config });
      for (let s = 0; s < steps; s++) {
        opt.setLearningRate(lrs[s]!);
        const g = grads[s]!.map((d, i) => (d ? tensor(backend, d, shapes[i]!) : null));
        opt.step(g);
        params.forEach((p, i) => {
          expectAllClose(
            p.dataSync(),
            expected[s]![i]!,
            { rtol: 1e-5, atol: 1e-6 },
            `step ${s + 1} param ${i}`,
          );
        });
        // The caller's gradients are not modified.
        g.forEach((t, i) => {
          if (t) expect(t.dataSync()).toEqual(grads[s]![i]);
        });
      }
      opt.dispose();
    });
  });

  it('rejects Nesterov without momentum or with dampening', () => {
    const p = requireGrad(tensor(backend, [1], [1]));
    expect(() => new SGD([p], { nesterov: true })).toThrow(InvalidArgumentError);
    expect(() => new SGD([p], { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new SGD([p], { momentum: -0.1 })).toThrow(InvalidArgumentError);
  });
});
