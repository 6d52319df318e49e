import { describe, expect, it } from 'vitest';
import { AttentionOptionError } from '../errors.js';
import { alibiSlopes, supraDecay } from './decay.js';

describe('alibiSlopes', () => {
  it('is 2^{-8i/H} for a power of two', () => {
    expect(alibiSlopes(8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => 2 ** -i));
    expect(alibiSlopes(4)).toEqual([2 ** -2, 2 ** -4, 2 ** -6, 2 ** -8]);
    expect(alibiSlopes(1)).toEqual([2 ** -8]);
  });

  it('interleaves the slopes of the next power of two otherwise (as Press et al. do)', () => {
    expect(alibiSlopes(6)).toEqual([2 ** -2, 2 ** -4, 2 ** -6, 2 ** -8, 2 ** -1, 2 ** -3]);
    expect(alibiSlopes(12)).toHaveLength(12);
  });

  it('rejects a non-positive head count', () => {
    expect(() => alibiSlopes(0)).toThrow(AttentionOptionError);
  });
});

describe('supraDecay', () => {
  it('is e^{−slope} per head, in (0, 1)', () => {
    const decay = supraDecay(8);
    expect(decay).toHaveLength(8);
    decay.forEach((g, i) => {
      expect(g).toBeCloseTo(Math.exp(-(2 ** -(i + 1))), 15);
    });
    expect(decay.every((g) => g > 0 && g < 1)).toBe(true);
  });
});
