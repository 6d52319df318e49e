import { cpuBackend } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, multiHeadExample, workedExample } from './demo.js';

describe('demo computations', () => {
  it('worked example: the scan equals quadratic attention and the paper numbers; the cummax shortcut does not', () => {
    const { scan, quadratic, cummaxShortcut } = workedExample(cpuBackend());
    // Numbers from the issue/paper pitfall list, to 2 decimals.
    expect(scan.map((x) => Number(x.toFixed(2)))).toEqual([1, 1.95, 1.97, 3.74]);
    expect(maxAbsDiff(scan, quadratic)).toBeLessThan(1e-6);
    expect(maxAbsDiff(cummaxShortcut, quadratic)).toBeGreaterThan(0.1);
  });

  it('multi-head example: RNN steps, scan and quadratic attention agree within f32 tolerance (1e-5)', () => {
    const r = multiHeadExample(cpuBackend(), { heads: 3, length: 17, dim: 5, seed: 3 });
    expect(maxAbsDiff(r.scan, r.quadratic)).toBeLessThan(1e-5);
    expect(maxAbsDiff(r.streamed, r.quadratic)).toBeLessThan(1e-5);
    expect(new Set(r.stateSizes).size).toBe(1);
  });
});
