import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, requireGrad } from './autograd.js';
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';
import {
  BackendMismatchError,
  DisposedTensorError,
  InvalidArgumentError,
  NotSupportedError,
} from './errors.js';
import { tensor, zeros } from './ops/creation.js';
import { add, mul, sub, tanh } from './ops/elementwise.js';
import { broadcastTo, expandDims, reshape, slice, transpose, transposeLast2 } from './ops/layout.js';
import { linear, matmul } from './ops/matmul.js';
import { crossEntropy, layerNorm, softmax } from './ops/nn.js';
import { sum } from './ops/reduce.js';
import type { Shape } from './shape.js';
import { dispose, keep, type Tensor, tidy } from './tensor.js';
import { createTestRng } from './testing/test-rng.js';

const rng = createTestRng(0x7e);
const sizeOf = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const iota = (backend: Backend, shape: Shape) =>
  tensor(
    backend,
    Float32Array.from({ length: sizeOf(shape) }, (_, i) => i),
    shape,
  );
const live = (backend: Backend) => backend.memoryInfo().liveBuffers;

describe('Tensor basics', () => {
  const backend = cpuBackend();

  it('exposes shape, dtype, size, rank, backend and a readable toString', () => {
    const t = iota(backend, [2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expect(Object.isFrozen(t.shape)).toBe(true);
    expect(t.dtype).toBe('f32');
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(t.backend).toBe(backend);
    expect(t.isContiguous).toBe(true);
    expect(String(t)).toBe('Tensor(f32, [2, 3])');
    expect(iota(backend, []).rank).toBe(0);
  });

  it('data() and dataSync() read non-contiguous views in row-major order', async () => {
    const x = iota(backend, [3, 4]);
    const cases: [Tensor, number[]][] = [
      [transpose(x), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]],
      [slice(x, [1, 1], [2, 2]), [5, 6, 9, 10]],
      [slice(x, [2, 0]), [8, 9, 10, 11]],
      [slice(transpose(x), [1, 1], [2, 2]), [5, 9, 6, 10]],
      [broadcastTo(slice(x, [0, 3], [3, 1]), [2, 3, 2]), [3, 3, 7, 7, 11, 11, 3, 3, 7, 7, 11, 11]],
      // Column 2 of the transpose is row 2 of x.
      [expandDims(slice(transpose(x), [0, 2], [4, 1]), 0), [8, 9, 10, 11]],
      [slice(x, [1, 4], [2, 0]), []],
    ];
    for (const [t, expected] of cases) {
      expect(Array.from(t.dataSync())).toEqual(expected);
      expect(Array.from(await t.data())).toEqual(expected);
    }
    expect(transpose(x).isContiguous).toBe(false);
    expect(slice(x, [1, 0], [2, 4]).isContiguous).toBe(true);
  });

  it('data() returns a copy', async () => {
    const t = iota(backend, [3]);
    const d = await t.data();
    d[0] = 42;
    const s = t.dataSync();
    s[1] = 42;
    expect(Array.from(t.dataSync())).toEqual([0, 1, 2]);
  });

  it('reading a view does not leak the temporary contiguous copy', async () => {
    const t = transpose(iota(backend, [2, 3]));
    const before = live(backend);
    t.dataSync();
    await t.data();
    expect(live(backend)).toBe(before);
  });

  it('item() reads a one-element tensor and rejects others', async () => {
    expect(await tensor(backend, [[2.5]]).item()).toBe(2.5);
    await expect(iota(backend, [2]).item()).rejects.toThrow(InvalidArgumentError);
  });

  it('dataSync() throws NotSupportedError on backends without synchronous reads', async () => {
    const asyncOnly: Backend = { ...cpuBackend(), readSync: undefined };
    const t = iota(asyncOnly, [2, 2]);
    expect(() => t.dataSync()).toThrow(NotSupportedError);
    expect(Array.from(await transpose(t).data())).toEqual([0, 2, 1, 3]);
  });

  it('mixing backends throws BackendMismatchError', () => {
    const other = cpuBackend({ name: 'cpu2' });
    expect(() => add(iota(backend, [2]), iota(other, [2]))).toThrow(BackendMismatchError);
    expect(() => matmul(iota(backend, [2, 2]), iota(other, [2, 2]))).toThrow(/cpu2/);
  });
});

describe('dispose', () => {
  it('frees the buffer once; dispose is idempotent', () => {
    const backend = cpuBackend();
    const t = iota(backend, [4]);
    expect(live(backend)).toBe(1);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(live(backend)).toBe(0);
    t.dispose();
    expect(live(backend)).toBe(0);
  });

  it('views share storage: the buffer lives until the last view is disposed', () => {
    const backend = cpuBackend();
    const base = iota(backend, [2, 3]);
    const view = transpose(base);
    const view2 = slice(base, [1]);
    expect(live(backend)).toBe(1);
    base.dispose();
    expect(live(backend)).toBe(1);
    expect(Array.from(view.dataSync())).toEqual([0, 3, 1, 4, 2, 5]);
    view.dispose();
    expect(Array.from(view2.dataSync())).toEqual([3, 4, 5]);
    view2.dispose();
    expect(live(backend)).toBe(0);
  });

  it('using a disposed tensor throws DisposedTensorError', async () => {
    const backend = cpuBackend();
    const t = iota(backend, [2, 2]);
    t.dispose();
    expect(() => t.dataSync()).toThrow(DisposedTensorError);
    await expect(t.data()).rejects.toThrow(DisposedTensorError);
    expect(() => add(t, 1)).toThrow(DisposedTensorError);
    // The error names the op that was called, not an internal accessor.
    expect(() => add(t, 1)).toThrow(/^add: tensor of shape \[2, 2\] was already disposed/);
    expect(() => reshape(t, [4])).toThrow(DisposedTensorError);
    expect(() => transpose(t)).toThrow(DisposedTensorError);
    // The backend stays readable after dispose (it is immutable and needed for error messages).
    expect(t.backend).toBe(backend);
  });

  it('dispose() disposes tensors found in nested arrays and objects', () => {
    const backend = cpuBackend();
    const a = iota(backend, [1]);
    const b = iota(backend, [1]);
    const c = iota(backend, [1]);
    dispose({ list: [a, { b }], c, n: 3, s: 'x', nothing: null });
    expect([a, b, c].every((t) => t.isDisposed)).toBe(true);
    expect(live(backend)).toBe(0);
  });
});

describe('tidy and keep', () => {
  it('disposes intermediates and keeps the returned tensor', () => {
    const backend = cpuBackend();
    const x = iota(backend, [2, 3]);
    const before = live(backend);
    const y = tidy(() => sum(mul(add(x, 1), transpose(transpose(x)))));
    expect(live(backend)).toBe(before + 1);
    expect(y.isDisposed).toBe(false);
    expect(x.isDisposed).toBe(false);
    expect(Array.from(y.dataSync())).toEqual([70]);
  });

  it('keeps tensors returned in arrays and plain objects; passes other values through', () => {
    const backend = cpuBackend();
    const x = iota(backend, [2]);
    const before = live(backend);
    const result = tidy(() => {
      const a = add(x, 1);
      const b = mul(x, 2);
      const c = sub(x, 3);
      mul(a, b);
      return { pair: [a, b], nested: { c }, label: 'ok', count: 2 };
    });
    expect(live(backend)).toBe(before + 3);
    expect(result.label).toBe('ok');
    expect(result.count).toBe(2);
    expect(Array.from(result.nested.c.dataSync())).toEqual([-3, -2]);
    expect(tidy(() => 7)).toBe(7);
    expect(tidy(() => undefined)).toBeUndefined();
  });

  it('keeps a view returned from tidy alive after its base is disposed', () => {
    const backend = cpuBackend();
    const before = live(backend);
    const v = tidy(() => transpose(iota(backend, [2, 2])));
    expect(live(backend)).toBe(before + 1);
    expect(Array.from(v.dataSync())).toEqual([0, 2, 1, 3]);
  });

  it('nested tidy: the inner result belongs to the outer scope', () => {
    const backend = cpuBackend();
    const x = iota(backend, [2]);
    const before = live(backend);
    let inner: Tensor | undefined;
    let innerTemp: Tensor | undefined;
    const outer = tidy(() => {
      inner = tidy(() => {
        innerTemp = add(x, 1);
        return mul(innerTemp, 2);
      });
      expect(innerTemp!.isDisposed).toBe(true);
      expect(inner.isDisposed).toBe(false);
      return add(inner, 1);
    });
    expect(inner!.isDisposed).toBe(true);
    expect(outer.isDisposed).toBe(false);
    expect(live(backend)).toBe(before + 1);
    expect(Array.from(outer.dataSync())).toEqual([3, 5]);
  });

  it('keep() exempts a tensor from every enclosing scope', () => {
    const backend = cpuBackend();
    const before = live(backend);
    let kept: Tensor | undefined;
    tidy(() => {
      tidy(() => {
        kept = keep(iota(backend, [3]));
        iota(backend, [3]);
      });
    });
    expect(kept!.isDisposed).toBe(false);
    expect(live(backend)).toBe(before + 1);
    kept!.dispose();
    expect(live(backend)).toBe(before);
  });

  it('does not dispose tensors created outside the scope, even when a nested tidy returns them', () => {
    const backend = cpuBackend();
    const param = iota(backend, [2]);
    expect(tidy(() => param)).toBe(param);
    expect(param.isDisposed).toBe(false);
    tidy(() => {
      const same = tidy(() => param);
      add(same, 1);
    });
    expect(param.isDisposed).toBe(false);
  });

  it('does not dispose a keep()-ed tensor that a nested tidy returns', () => {
    const backend = cpuBackend();
    let kept: Tensor | undefined;
    tidy(() => {
      kept = tidy(() => keep(iota(backend, [2])));
    });
    expect(kept!.isDisposed).toBe(false);
  });

  it('disposes the tensors of the scope when fn throws', () => {
    const backend = cpuBackend();
    const x = iota(backend, [2]);
    const before = live(backend);
    expect(() =>
      tidy(() => {
        add(x, 1);
        throw new Error('step failed');
      }),
    ).toThrow('step failed');
    expect(live(backend)).toBe(before);
    expect(x.isDisposed).toBe(false);
  });

  it('rejects async functions', () => {
    const backend = cpuBackend();
    const x = iota(backend, [1]);
    expect(() => tidy(async () => add(x, 1))).toThrow(TypeError);
  });

  it('tensors disposed explicitly inside tidy are fine', () => {
    const backend = cpuBackend();
    const before = live(backend);
    const y = tidy(() => {
      const t = iota(backend, [2]);
      t.dispose();
      return iota(backend, [1]);
    });
    expect(live(backend)).toBe(before + 1);
    y.dispose();
  });
});

describe('FinalizationRegistry safety net', () => {
  it('frees the storage of tensors that become unreachable without dispose()', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const backend = cpuBackend();
    const keepAlive = iota(backend, [2]);
    const view = transpose(iota(backend, [2, 2]));
    (() => {
      for (let i = 0; i < 8; i++) zeros(backend, [16]);
    })();
    expect(live(backend)).toBe(10);
    for (let attempt = 0; attempt < 50 && live(backend) > 2; attempt++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // The unreachable tensors are gone; the referenced tensor and the view's shared storage remain.
    expect(live(backend)).toBe(2);
    expect(Array.from(keepAlive.dataSync())).toEqual([0, 1]);
    expect(Array.from(view.dataSync())).toEqual([0, 2, 1, 3]);
  });
});

describe('training loop', () => {
  it('100 tidy steps of forward, gradients and an in-place SGD update hold memory constant', () => {
    const backend = cpuBackend();
    const init = (shape: Shape, scale: number) =>
      requireGrad(tensor(backend, rng.floats(sizeOf(shape), -scale, scale), shape));
    const w1 = init([8, 4], 0.5);
    const b1 = init([8], 0.1);
    const gamma = requireGrad(tensor(backend, new Float32Array(8).fill(1), [8]));
    const beta = requireGrad(tensor(backend, new Float32Array(8), [8]));
    const w2 = init([3, 8], 0.5);
    const b2 = init([3], 0.1);
    const params = [w1, b1, gamma, beta, w2, b2];
    const x = tensor(backend, rng.floats(6 * 4, -1, 1), [6, 4]);
    const labels = tensor(backend, new Int32Array([0, 1, 2, 0, 1, 2]), [6]);
    const before = live(backend);
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      tidy(() => {
        const h = layerNorm(tanh(linear(x, w1, b1)), gamma, beta);
        // A softmax-weighted mixing of the rows (attention-like), then the classifier.
        const mixed = matmul(softmax(matmul(h, transposeLast2(h))), h);
        const logits = linear(add(h, mixed), w2, b2);
        const loss = crossEntropy(logits, labels);
        const grads = gradients(loss, params);
        noGrad(() => {
          params.forEach((p, i) => {
            const updated = sub(p, mul(grads[i]!, 0.1));
            p.backend.kernels.copy(updated.view('x'), p.view('x'));
          });
        });
        losses.push(loss.dataSync()[0]!);
      });
      if (step === 0) expect(live(backend)).toBe(before);
    }
    expect(live(backend)).toBe(before);
    expect(params.every((p) => !p.isDisposed && p.requiresGrad)).toBe(true);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[99]!).toBeLessThan(losses[0]! * 0.5);
  });
});
