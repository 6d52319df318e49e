import { describe, expect, it } from 'vitest';
import { gradients, requireGrad } from '../autograd.js';
import type { Backend } from '../backend.js';
import { cpuBackend } from '../cpu/index.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { add, square, sub } from '../ops/elementwise.js';
import { slice, transpose } from '../ops/layout.js';
import { matmul } from '../ops/matmul.js';
import { mean } from '../ops/reduce.js';
import { createRng } from '../random.js';
import { type Tensor, tidy } from '../tensor.js';
import { AdamW } from './adamw.js';
import { assign } from './assign.js';
import { clipGradNorm } from './clip.js';
import type { Optimizer, OptimizerStateDict } from './optimizer.js';
import { warmupCosine } from './schedules.js';
import { SGD } from './sgd.js';

/** A least-squares problem ‖A·x + b − y‖² with a known exact solution. */
function leastSquares(backend: Backend, seed: number) {
  const rng = createRng(seed);
  const n = 32;
  const d = 4;
  const a = Float32Array.from({ length: n * d }, () => rng.normal());
  const xTrue = Float32Array.from({ length: d }, () => rng.normal());
  const bTrue = 0.7;
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = bTrue;
    for (let j = 0; j < d; j++) s += a[i * d + j]! * xTrue[j]!;
    y[i] = s;
  }
  const A = tensor(backend, a, [n, d]);
  const Y = tensor(backend, y, [n, 1]);
  const loss = (x: Tensor, b: Tensor) => mean(square(sub(add(matmul(A, x), b), Y)));
  return { A, Y, loss, xTrue, bTrue, d };
}

function bits(x: Float32Array | Int32Array): number[] {
  return Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
}

describe('training with optimizers', () => {
  const backend = cpuBackend();

  for (const [name, make] of [
    ['AdamW', (p: Tensor[]) => new AdamW(p, { lr: 0.05, weightDecay: 0 })],
    ['SGD + Nesterov', (p: Tensor[]) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true })],
  ] as const) {
    it(`${name} converges on a least-squares problem using gradients()`, () => {
      const { loss, xTrue, bTrue, d } = leastSquares(backend, 1);
      const x = requireGrad(tensor(backend, new Float32Array(d), [d, 1]));
      const b = requireGrad(tensor(backend, [0], [1]));
      const opt: Optimizer = make([x, b]);
      let last = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 400; i++) {
        last = tidy(() => {
          const l = loss(x, b);
          opt.step(gradients(l, [x, b]));
          return l.dataSync()[0]!;
        });
      }
      expect(last).toBeLessThan(1e-6);
      Array.from(x.dataSync()).forEach((v, j) => {
        expect(v).toBeCloseTo(xTrue[j]!, 3);
      });
      expect(b.dataSync()[0]).toBeCloseTo(bTrue, 3);
      opt.dispose();
    });
  }

  /** Runs `steps` clipped, scheduled steps on the least-squares problem from the current parameters. */
  function train(opt: Optimizer, params: Tensor[], loss: (x: Tensor, b: Tensor) => Tensor, steps: number) {
    const schedule = warmupCosine({ warmupSteps: 3, totalSteps: 10, peakLr: 0.1, minLr: 0.01 });
    for (let i = 0; i < steps; i++) {
      tidy(() => {
        const { grads } = clipGradNorm(gradients(loss(params[0]!, params[1]!), params), 1);
        opt.step(grads, schedule(opt.stepCount));
      });
    }
  }

  for (const [name, make] of [
    ['AdamW (amsgrad)', (p: Tensor[]) => new AdamW(p, { amsgrad: true, weightDecay: 0.05 })],
    [
      'SGD (momentum, dampening, decay)',
      (p: Tensor[]) => new SGD(p, { momentum: 0.9, dampening: 0.2, weightDecay: 0.01 }),
    ],
  ] as const) {
    it(`${name}: 10 steps equal 5 steps + stateDict save/load into a new optimizer + 5 steps, bit for bit`, async () => {
      const { loss, d } = leastSquares(backend, 2);
      const init = Float32Array.from({ length: d }, (_, i) => 0.1 * i);
      const straightParams = [
        requireGrad(tensor(backend, init, [d, 1])),
        requireGrad(tensor(backend, [0.3], [1])),
      ];
      const straight = make(straightParams);
      train(straight, straightParams, loss, 10);

      const firstParams = [
        requireGrad(tensor(backend, init, [d, 1])),
        requireGrad(tensor(backend, [0.3], [1])),
      ];
      const first = make(firstParams);
      train(first, firstParams, loss, 5);
      // Save as a checkpoint would: JSON for the metadata, raw f32 data for tensors and parameters.
      const saved = first.stateDict();
      const json = JSON.stringify({ ...saved, tensors: undefined });
      const tensorData = await Promise.all(
        Object.entries(saved.tensors).map(async ([k, t]) => [k, await t.data(), t.shape] as const),
      );
      const paramData = await Promise.all(firstParams.map((p) => p.data()));
      first.dispose();
      for (const t of Object.values(saved.tensors)) t.dispose();

      const resumedParams = paramData.map((data, i) =>
        requireGrad(tensor(backend, data, firstParams[i]!.shape)),
      );
      const resumed = make(resumedParams);
      const restored: OptimizerStateDict = {
        ...JSON.parse(json),
        tensors: Object.fromEntries(tensorData.map(([k, data, shape]) => [k, tensor(backend, data, shape)])),
      };
      resumed.loadStateDict(restored);
      for (const t of Object.values(restored.tensors)) t.dispose();
      expect(resumed.stepCount).toBe(5);
      train(resumed, resumedParams, loss, 5);

      resumedParams.forEach((p, i) => {
        expect(bits(p.dataSync())).toEqual(bits(straightParams[i]!.dataSync()));
      });
      const a = straight.stateDict();
      const b = resumed.stateDict();
      expect(Object.keys(b.tensors).sort()).toEqual(Object.keys(a.tensors).sort());
      for (const k of Object.keys(a.tensors)) {
        expect(bits(b.tensors[k]!.dataSync())).toEqual(bits(a.tensors[k]!.dataSync()));
      }
      expect({ ...b, tensors: null }).toEqual({ ...a, tensors: null });
    });
  }

  it('50 training steps inside tidy hold the number of live buffers constant', () => {
    const { loss, d, A, Y } = leastSquares(backend, 3);
    const x = requireGrad(tensor(backend, new Float32Array(d), [d, 1]));
    const b = requireGrad(tensor(backend, [0], [1]));
    for (const opt of [
      new AdamW([x, b], { amsgrad: true }),
      new SGD([x, b], { momentum: 0.9, weightDecay: 0.1 }),
    ]) {
      const counts: number[] = [];
      for (let i = 0; i < 50; i++) {
        tidy(() => {
          const { grads, totalNorm } = clipGradNorm(gradients(loss(x, b), [x, b]), 0.5);
          opt.step(grads, 0.01);
          return totalNorm;
        }).dispose();
        counts.push(backend.memoryInfo().liveBuffers);
      }
      // Step 1 creates the optimizer state; afterwards nothing accumulates.
      expect(new Set(counts).size).toBe(1);
      const before = backend.memoryInfo().liveBuffers;
      opt.dispose();
      const stateBuffers = opt instanceof AdamW ? 3 * 2 : 2;
      expect(before - backend.memoryInfo().liveBuffers).toBe(stateBuffers);
    }
    // Only the problem data and the parameters are left.
    expect(A.isDisposed || Y.isDisposed).toBe(false);
  });

  it('loadStateDict validates before changing anything', () => {
    const p = requireGrad(tensor(backend, [1, 2, 3], [3]));
    const opt = new AdamW([p], { lr: 0.1 });
    opt.step([tensor(backend, [1, 1, 1], [3])]);
    const good = opt.stateDict();
    const sgd = new SGD([p]);
    expect(() => sgd.loadStateDict(good)).toThrow(InvalidArgumentError);
    const other = new AdamW([p]);
    const missing = { ...good, tensors: { '0.exp_avg': good.tensors['0.exp_avg']! } };
    expect(() => other.loadStateDict(missing)).toThrow(/missing state tensor '0.exp_avg_sq'/);
    const extra = { ...good, tensors: { ...good.tensors, '0.momentum_buffer': good.tensors['0.exp_avg']! } };
    expect(() => other.loadStateDict(extra)).toThrow(InvalidArgumentError);
    const wrongShape = { ...good, tensors: { ...good.tensors, '0.exp_avg': tensor(backend, [1, 2], [2]) } };
    expect(() => other.loadStateDict(wrongShape)).toThrow(ShapeError);
    const badHyper = { ...good, hyperparameters: { ...good.hyperparameters, beta1: 2 } };
    expect(() => other.loadStateDict(badHyper)).toThrow(InvalidArgumentError);
    const { eps: _eps, ...withoutEps } = good.hyperparameters;
    expect(() => other.loadStateDict({ ...good, hyperparameters: withoutEps })).toThrow(/'eps' is missing/);
    expect(() => other.loadStateDict({ ...good, paramSteps: [1, 1] })).toThrow(InvalidArgumentError);
    // Nothing was changed by the failed loads.
    expect(other.stepCount).toBe(0);
    expect(other.stateDict().tensors).toEqual({});
    other.loadStateDict(good);
    expect(other.learningRate).toBe(0.1);
    expect(other.stepCount).toBe(1);
    // The loaded state is a copy: disposing the dict does not affect the optimizer.
    for (const t of Object.values(good.tensors)) t.dispose();
    other.step([tensor(backend, [1, 1, 1], [3])]);
    expect(other.stepCount).toBe(2);
  });
});

describe('assign', () => {
  const backend = cpuBackend();

  it('writes into the target storage, through strided views', () => {
    const base = tensor(backend, [1, 2, 3, 4, 5, 6], [2, 3]);
    const view = transpose(base); // [3, 2], strided
    assign(view, tensor(backend, [10, 40, 20, 50, 30, 60], [3, 2]));
    expect(Array.from(base.dataSync())).toEqual([10, 20, 30, 40, 50, 60]);
    const part = slice(base, [1, 1], [1, 2]);
    assign(part, tensor(backend, [-1, -2], [1, 2]));
    expect(Array.from(base.dataSync())).toEqual([10, 20, 30, 40, -1, -2]);
  });

  it('handles a value that shares the target storage', () => {
    const base = tensor(backend, [1, 2, 3, 4], [2, 2]);
    assign(base, transpose(base));
    expect(Array.from(base.dataSync())).toEqual([1, 3, 2, 4]);
    assign(base, base);
    expect(Array.from(base.dataSync())).toEqual([1, 3, 2, 4]);
  });

  it('checks shapes and dtypes', () => {
    const t = tensor(backend, [1, 2], [2]);
    expect(() => assign(t, tensor(backend, [1, 2, 3], [3]))).toThrow(ShapeError);
    expect(() => assign(t, tensor(backend, [1], [1]))).toThrow(ShapeError);
    expect(() => assign(t, tensor(backend, [1, 2], [2], 'i32'))).toThrow(DTypeError);
  });
});
