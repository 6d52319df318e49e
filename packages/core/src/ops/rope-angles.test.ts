import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../cpu/index.js';
import { InvalidArgumentError } from '../errors.js';
import { expectAllClose } from '../testing/all-close.js';
import { ropeAngles, ropeInverseFrequencies } from './rope-angles.js';

// Tables are computed in float64 and stored as f32: |actual − expected| ≤ 1e-7 + 1e-6·|expected|.
const TABLE = { rtol: 1e-6, atol: 1e-7 };

const backend = cpuBackend();

describe('ropeInverseFrequencies', () => {
  it('is base^(−2j/D) for j < D/2', () => {
    const inv = ropeInverseFrequencies(8, 10000);
    expect(inv.length).toBe(4);
    expectAllClose(inv, [1, 10000 ** -0.25, 10000 ** -0.5, 10000 ** -0.75], { rtol: 1e-15, atol: 0 });
    expect(Array.from(ropeInverseFrequencies(4))).toEqual(Array.from(ropeInverseFrequencies(4, 10000)));
  });
});

describe('ropeAngles', () => {
  it('cos/sin tables [T, D/2] of (start + t)·θ_j', () => {
    const { cos, sin } = ropeAngles(backend, { length: 3, dim: 4, base: 100, start: 5 });
    expect(cos.shape).toEqual([3, 2]);
    expect(sin.shape).toEqual([3, 2]);
    const angles = [0, 1, 2].flatMap((t) => [0, 1].map((j) => (5 + t) * 100 ** ((-2 * j) / 4)));
    expectAllClose(cos.dataSync(), angles.map(Math.cos), TABLE);
    expectAllClose(sin.dataSync(), angles.map(Math.sin), TABLE);
  });

  it('defaults to start 0 and base 10000; position 0 is the identity', () => {
    const { cos, sin } = ropeAngles(backend, { length: 2, dim: 4 });
    const angles = [0, 1].flatMap((t) => [0, 1].map((j) => t * 10000 ** ((-2 * j) / 4)));
    expectAllClose(cos.dataSync(), angles.map(Math.cos), TABLE);
    expectAllClose(sin.dataSync(), angles.map(Math.sin), TABLE);
    expect(Array.from(cos.dataSync().subarray(0, 2))).toEqual([1, 1]);
    expect(Array.from(sin.dataSync().subarray(0, 2))).toEqual([0, 0]);
  });

  it('uses inverseFrequencies when given (rope scaling)', () => {
    const { sin } = ropeAngles(backend, { length: 2, dim: 4, inverseFrequencies: [0.5, 0.25], base: 3 });
    expectAllClose(sin.dataSync(), [0, 0, Math.sin(0.5), Math.sin(0.25)], TABLE);
  });

  it('handles zero positions and rejects odd dims and wrong frequency counts', () => {
    expect(ropeAngles(backend, { length: 0, dim: 4 }).cos.shape).toEqual([0, 2]);
    expect(() => ropeAngles(backend, { length: 2, dim: 3 })).toThrow(InvalidArgumentError);
    expect(() => ropeAngles(backend, { length: 2, dim: 0 })).toThrow(/dim must be a positive even integer/);
    expect(() => ropeAngles(backend, { length: 2, dim: 4, inverseFrequencies: [1] })).toThrow(
      /inverseFrequencies has 1 entries, expected 2/,
    );
  });
});
