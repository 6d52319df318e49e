import { describe, expect, it } from 'vitest';
import { valueAlgorithms } from '../../test/algorithms.js';
import { logAddExp, logSumExpMonoid } from './log-sum-exp.js';

describe('logsumexp monoid', () => {
  it('is stable for huge and tiny inputs and never NaN at the identity', () => {
    const ninf = Number.NEGATIVE_INFINITY;
    expect(logAddExp(ninf, ninf)).toBe(ninf);
    expect(logAddExp(ninf, 3)).toBe(3);
    expect(logAddExp(3, ninf)).toBe(3);
    expect(logAddExp(0, 0)).toBeCloseTo(Math.LN2, 15);
    expect(logAddExp(1e4, 1e4)).toBeCloseTo(1e4 + Math.LN2, 10);
    expect(logAddExp(-1e4, -1e4)).toBeCloseTo(-1e4 + Math.LN2, 10);
    expect(logAddExp(1e30, -1e30)).toBe(1e30);
    expect(logAddExp(Number.POSITIVE_INFINITY, ninf)).toBe(Number.POSITIVE_INFINITY);
    expect(logAddExp(1e-30, 0)).toBeCloseTo(Math.LN2 + 0.5e-30, 15);
  });

  it.each(valueAlgorithms)('$name gives running log Σ e^x', ({ scan }) => {
    const out = scan(logSumExpMonoid, [0, 0, Math.log(2)]);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(Math.LN2, 14);
    expect(out[2]).toBeCloseTo(Math.log(4), 14);
  });
});
