import { describe, expect, it } from 'vitest';
import { cpuBackend, gradients, matmul, requireGrad, softmax, sum, tensor, tidy } from '../src/index.js';

describe('README example', () => {
  it('runs and yields the gradient of a softmax sum (which is zero: rows of a softmax sum to 1)', () => {
    const cpu = cpuBackend();
    const w = requireGrad(
      tensor(cpu, [
        [0.5, -1],
        [2, 0.25],
      ]),
    );
    const x = tensor(cpu, [
      [1, 2],
      [3, 4],
    ]);
    const grad = tidy(() => {
      const loss = sum(softmax(matmul(x, w)));
      const [gw] = gradients(loss, [w]);
      return Array.from(gw!.dataSync());
    });
    // Σ softmax = 1 per row, so the loss is constant and its gradient vanishes (within f32 rounding).
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-6);
  });
});
