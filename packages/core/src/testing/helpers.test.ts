import { describe, expect, it } from 'vitest';
import { allClose, expectAllClose } from './all-close.js';
import { skipDecision } from './describe-backend.js';
import { forEachElement, resolveLayout } from './harness.js';
import { createTestRng, randomShape } from './test-rng.js';
import { DEFAULT_TOLERANCES, resolveTolerances } from './tolerances.js';

describe('allClose / expectAllClose', () => {
  it('reports max errors and the first mismatch', () => {
    const report = allClose([1, 2.1, 3, 5], [1, 2, 3, 4], { rtol: 0, atol: 0.2 });
    expect(report.ok).toBe(false);
    expect(report.mismatches).toBe(1);
    expect(report.firstMismatch).toBe(3);
    expect(report.maxAbsError).toBeCloseTo(1, 12);
    expect(report.maxRelError).toBeCloseTo(0.25, 12);
  });

  it('treats infinities exactly and NaN as equal to NaN by default', () => {
    expect(allClose([Infinity, -Infinity, Number.NaN], [Infinity, -Infinity, Number.NaN]).ok).toBe(true);
    expect(allClose([1e30], [Infinity], { rtol: 1 }).ok).toBe(false);
    expect(allClose([Number.NaN], [Number.NaN], { equalNan: false }).ok).toBe(false);
    expect(allClose([Number.NaN], [0], { atol: 1 }).ok).toBe(false);
    expect(allClose([1, 2], [1]).ok).toBe(false);
  });

  it('throws a message with the label, shape, index and values', () => {
    expect(() => expectAllClose([0, 0, 0, 9], [0, 0, 0, 1], { shape: [2, 2] }, 'thing')).toThrow(
      /thing of shape \[2, 2\]: 1 of 4 elements .* flat index 3 \(index \[1, 1\]\): actual 9\.0+, expected 1\.0+/,
    );
    expect(() => expectAllClose([1, 2], [1, 2.0000001])).not.toThrow();
  });
});

describe('createTestRng / randomShape', () => {
  it('is deterministic and covers its ranges', () => {
    const a = createTestRng(7);
    const b = createTestRng(7);
    expect(Array.from(a.floats(5))).toEqual(Array.from(b.floats(5)));
    const rng = createTestRng(11);
    const ints = rng.ints(2000, -2, 2);
    expect(Math.min(...ints)).toBe(-2);
    expect(Math.max(...ints)).toBe(2);
    const normals = rng.normals(4000);
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    const variance = normals.reduce((s, x) => s + (x - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
    expect(rng.permutation(6).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('randomShape draws zeros only when allowed', () => {
    const rng = createTestRng(3);
    const withZero = Array.from({ length: 200 }, () => randomShape(rng, 3, { allowZero: true })).flat();
    const without = Array.from({ length: 200 }, () => randomShape(rng, 3)).flat();
    expect(withZero).toContain(0);
    expect(withZero).toContain(1);
    expect(without).not.toContain(0);
    expect(Math.max(...without)).toBeLessThanOrEqual(5);
  });
});

describe('harness layouts', () => {
  it('resolves transposed, padded and broadcast layouts', () => {
    expect(resolveLayout([2, 3], { order: [1, 0] })).toEqual({ strides: [1, 2], offset: 0, extent: 6 });
    expect(resolveLayout([2, 3], { padding: [0, 4], offset: 2 })).toEqual({
      strides: [7, 1],
      offset: 2,
      extent: 16,
    });
    expect(resolveLayout([2, 3], { broadcast: [true, false] }).strides).toEqual([0, 1]);
    const addresses: number[] = [];
    forEachElement([2, 2], [1, 2], 1, (_, address) => addresses.push(address));
    expect(addresses).toEqual([1, 3, 2, 4]);
  });
});

describe('describeBackend skip rule', () => {
  it('runs without a reason, skips with one, and fails with one in CI', () => {
    expect(skipDecision(undefined, true)).toBe('run');
    expect(skipDecision(false, true)).toBe('run');
    expect(skipDecision('no adapter', false)).toBe('skip');
    expect(skipDecision('no adapter', true)).toBe('fail');
  });

  it('merges tolerance overrides field by field', () => {
    const t = resolveTolerances({ matmul: { rtol: 1e-3 } });
    expect(t.matmul).toEqual({ rtol: 1e-3, atol: DEFAULT_TOLERANCES.matmul.atol });
    expect(t.norm).toEqual(DEFAULT_TOLERANCES.norm);
  });
});
