import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../cpu/index.js';
import { InvalidArgumentError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { createRng } from '../random.js';
import { expectAllClose } from '../testing/all-close.js';
import { clipGradNorm } from './clip.js';

const backend = cpuBackend();

describe('clipGradNorm', () => {
  const rng = createRng(1);
  const data = [12, 7, 30].map((n) => Float32Array.from({ length: n }, () => rng.normal(0, 2)));
  const manualNorm = Math.sqrt(data.reduce((acc, d) => acc + d.reduce((a, x) => a + x * x, 0), 0));

  it('scales by maxNorm / (norm + 1e-6) when the global norm is larger, as clip_grad_norm_', async () => {
    const grads = [
      tensor(backend, data[0]!, [3, 4]),
      null,
      tensor(backend, data[1]!, [7]),
      tensor(backend, data[2]!, [30]),
    ];
    const maxNorm = 1.5;
    const { grads: clipped, totalNorm } = clipGradNorm(grads, maxNorm);
    expect(totalNorm.shape).toEqual([]);
    expect(Math.abs((await totalNorm.item()) - manualNorm) / manualNorm).toBeLessThan(1e-6);
    expect(clipped[1]).toBeNull();
    const scale = maxNorm / (manualNorm + 1e-6);
    [0, 2, 3].forEach((i, j) => {
      expect(clipped[i]!.shape).toEqual(grads[i]!.shape);
      expectAllClose(
        clipped[i]!.dataSync(),
        Array.from(data[j]!, (x) => x * scale),
        { rtol: 1e-6, atol: 1e-7 },
      );
    });
    // The clipped set has norm maxNorm; the inputs are untouched.
    let sq = 0;
    for (const c of clipped) if (c) for (const x of c.dataSync()) sq += x * x;
    expect(Math.sqrt(sq)).toBeCloseTo(maxNorm, 5);
    expect(grads[0]!.dataSync()).toEqual(data[0]);
  });

  it('leaves gradients unchanged (scale exactly 1) when the norm is below maxNorm', () => {
    const grads = data.map((d) => tensor(backend, d, [d.length]));
    const { grads: clipped, totalNorm } = clipGradNorm(grads, manualNorm * 2);
    clipped.forEach((c, i) => {
      expect(c!.dataSync()).toEqual(data[i]);
    });
    expect(totalNorm.dataSync()[0]).toBeCloseTo(manualNorm, 4);
    const { grads: unclipped } = clipGradNorm(grads, Number.POSITIVE_INFINITY);
    expect(unclipped[0]!.dataSync()).toEqual(data[0]);
  });

  it('frees its temporaries', () => {
    const grads = data.map((d) => tensor(backend, d, [d.length]));
    const before = backend.memoryInfo().liveBuffers;
    const result = clipGradNorm(grads, 1);
    // Only the results remain: one clipped tensor per gradient and the norm.
    expect(backend.memoryInfo().liveBuffers - before).toBe(grads.length + 1);
    for (const g of result.grads) g?.dispose();
    result.totalNorm.dispose();
    expect(backend.memoryInfo().liveBuffers).toBe(before);
  });

  it('validates its arguments', () => {
    const g = tensor(backend, [1, 2], [2]);
    expect(() => clipGradNorm([g], -1)).toThrow(InvalidArgumentError);
    expect(() => clipGradNorm([g], Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => clipGradNorm([null], 1)).toThrow(InvalidArgumentError);
  });
});
