import {
  cpuBackend,
  createRng,
  noGrad,
  randomNormal,
  slice,
  squeeze,
  type Tensor,
  tensor,
  tidy,
} from '@aaren/core';
import { expectAllClose } from '@aaren/core/testing';
import { describe, expect, it } from 'vitest';
import { AarenStack } from './aaren-stack.js';
import { TransformerStack } from './transformer-stack.js';

const backend = cpuBackend();

function streamAll(
  model: AarenStack | TransformerStack,
  x: Tensor,
  mask?: Float32Array,
): { outputs: Float32Array; bytes: number[] } {
  const [b = 0, n = 0, d = 0] = x.shape;
  const state = model instanceof AarenStack ? model.createState(b) : model.createCache(b, { capacity: 4 });
  const outputs = new Float32Array(b * n * d);
  const bytes: number[] = [];
  for (let t = 0; t < n; t++) {
    const y = tidy(() => {
      const xt = squeeze(slice(x, [0, t, 0], [b, 1, d]), [1]);
      const m = mask
        ? tensor(
            backend,
            mask.filter((_, i) => i % n === t),
            [b],
          )
        : null;
      return (model as AarenStack).step(state as never, xt, { mask: m }).dataSync();
    });
    for (let i = 0; i < b; i++) outputs.set(y.subarray(i * d, (i + 1) * d), (i * n + t) * d);
    bytes.push(state.stateBytes());
  }
  state.dispose();
  return { outputs, bytes };
}

describe.each([
  ['aaren', (c: ConstructorParameters<typeof AarenStack>[0]) => new AarenStack(c)],
  ['transformer', (c: ConstructorParameters<typeof AarenStack>[0]) => new TransformerStack(c)],
] as const)('%s stack: streaming equals the parallel forward', (kind, make) => {
  for (const norm of ['post', 'pre'] as const) {
    it(`N = 50 tokens, B = 2, ${norm}-norm`, () => {
      const model = make({ dModel: 16, heads: 4, dFF: 32, layers: 3, norm }).init(backend, createRng(7));
      const x = randomNormal(backend, [2, 50, 16], createRng(8));
      const parallel = noGrad(() => model.forward(x)).dataSync() as Float32Array;
      const { outputs, bytes } = streamAll(model, x);
      expectAllClose(outputs, parallel, { atol: 1e-5, rtol: 1e-5 });
      if (kind === 'aaren') {
        // Constant state: (m, u, w) per layer and head.
        expect(new Set(bytes).size).toBe(1);
        expect(bytes[0]).toBe(3 * 2 * 4 * (4 + 2) * 4);
      } else {
        expect(bytes[49]).toBe(50 * bytes[0]!);
      }
    });
  }

  it('many streams at once (B·H = 20: the KV cache attends in one batched product)', () => {
    const model = make({ dModel: 8, heads: 4, dFF: 16, layers: 2 }).init(backend, createRng(3));
    const x = randomNormal(backend, [5, 9, 8], createRng(4));
    const parallel = noGrad(() => model.forward(x)).dataSync() as Float32Array;
    expectAllClose(streamAll(model, x).outputs, parallel, { atol: 1e-5, rtol: 1e-5 });
  });

  it('prefill (parallel blocks) and step can be mixed: 20 + 10 steps + 20 equals the forward over 50', () => {
    const model = make({ dModel: 16, heads: 4, dFF: 32, layers: 2 }).init(backend, createRng(5));
    const x = randomNormal(backend, [2, 50, 16], createRng(6));
    const parallel = noGrad(() => model.forward(x)).dataSync() as Float32Array;
    const state = model instanceof AarenStack ? model.createState(2) : model.createCache(2, { capacity: 8 });
    const pre = (from: number, n: number) =>
      tidy(() =>
        (model as AarenStack).prefill(state as never, slice(x, [0, from, 0], [2, n, 16])).dataSync(),
      );
    const got = new Float32Array(2 * 50 * 16);
    const put = (data: ArrayLike<number>, from: number, n: number) => {
      for (let b = 0; b < 2; b++)
        for (let t = 0; t < n; t++)
          for (let c = 0; c < 16; c++) got[(b * 50 + from + t) * 16 + c] = data[(b * n + t) * 16 + c]!;
    };
    put(pre(0, 20), 0, 20);
    for (let t = 20; t < 30; t++) {
      put(
        tidy(() =>
          (model as AarenStack)
            .step(state as never, squeeze(slice(x, [0, t, 0], [2, 1, 16]), [1]))
            .dataSync(),
        ),
        t,
        1,
      );
    }
    put(pre(30, 20), 30, 20);
    expect(state.position).toBe(50);
    state.dispose();
    expectAllClose(got, parallel, { atol: 1e-5, rtol: 1e-5 });
  });

  it('padding masks give the same outputs in both forms', () => {
    const model = make({ dModel: 8, heads: 2, dFF: 16, layers: 2 }).init(backend, createRng(1));
    const x = randomNormal(backend, [2, 12, 8], createRng(2));
    const maskData = new Float32Array(24).fill(1);
    for (const i of [0, 1, 5, 12 + 3, 12 + 11]) maskData[i] = 0;
    const mask = tensor(backend, maskData, [2, 12]);
    const parallel = noGrad(() => model.forward(x, { mask })).dataSync() as Float32Array;
    const { outputs } = streamAll(model, x, maskData);
    expectAllClose(outputs, parallel, { atol: 1e-5, rtol: 1e-5 });
  });
});
