import { describe, expect, it } from 'vitest';
import { add, cpuBackend, keep, ones, tidy, zeros } from '../src/index.js';

describe('tidy when the step throws', () => {
  it('disposes the tensors the failed step created, but not tensors kept or created outside', () => {
    const backend = cpuBackend();
    const outside = ones(backend, [3]);
    const start = backend.memoryInfo().liveBuffers;
    let kept: ReturnType<typeof zeros> | null = null;
    for (let i = 0; i < 20; i++) {
      expect(() =>
        tidy(() => {
          add(outside, zeros(backend, [1000]).size);
          if (i === 0) kept = keep(zeros(backend, [2]));
          throw new Error(`step ${i} failed`);
        }),
      ).toThrow(`step ${i} failed`);
    }
    // Only the kept tensor survives; the 20 failed steps left nothing else behind.
    expect(backend.memoryInfo().liveBuffers).toBe(start + 1);
    expect(outside.isDisposed).toBe(false);
    expect(kept!.isDisposed).toBe(false);
  });
});
