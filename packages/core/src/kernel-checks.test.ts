import { describe, expect, it } from 'vitest';
import type { TensorView } from './backend.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { bufferRange, checkGroupNormGroups, matmulExtents } from './kernel-checks.js';
import { contiguousStrides } from './shape.js';

const view = (shape: number[]): TensorView => ({
  buffer: { dtype: 'f32', size: shape.reduce((a, b) => a * b, 1) },
  dtype: 'f32',
  shape,
  strides: contiguousStrides(shape),
  offset: 0,
});

describe('matmulExtents', () => {
  it('reads batch, M, N, K for every transpose combination', () => {
    const plain = { transposeA: false, transposeB: false };
    expect(matmulExtents(view([2, 3, 4]), view([2, 4, 5]), view([2, 3, 5]), plain)).toEqual({
      batch: 2,
      M: 3,
      N: 5,
      K: 4,
    });
    const both = { transposeA: true, transposeB: true };
    expect(matmulExtents(view([2, 4, 3]), view([2, 5, 4]), view([2, 3, 5]), both)).toEqual({
      batch: 2,
      M: 3,
      N: 5,
      K: 4,
    });
  });

  it('names the op and all three shapes when they do not fit', () => {
    const call = () =>
      matmulExtents(view([1, 3, 4]), view([1, 5, 5]), view([1, 3, 5]), {
        transposeA: false,
        transposeB: false,
      });
    expect(call).toThrow(ShapeError);
    expect(call).toThrow('matmul: inner or batch extents do not match');
    expect(call).toThrow('[1, 3, 4], [1, 5, 5], [1, 3, 5]');
  });
});

describe('bufferRange', () => {
  it('defaults the size to the rest of the buffer and rejects ranges outside it', () => {
    expect(bufferRange('read', 10, 4, undefined)).toBe(6);
    expect(bufferRange('read', 10, 10, 0)).toBe(0);
    expect(() => bufferRange('write', 10, 8, 3)).toThrow(InvalidArgumentError);
    expect(() => bufferRange('write', 10, 8, 3)).toThrow(
      'write: range [8, 11) is outside the buffer of 10 elements',
    );
    expect(() => bufferRange('read', 10, -1, 2)).toThrow(InvalidArgumentError);
  });
});

describe('checkGroupNormGroups', () => {
  it('accepts positive divisors of the channels and names both numbers otherwise', () => {
    expect(() => checkGroupNormGroups(12, 4)).not.toThrow();
    expect(() => checkGroupNormGroups(12, 12)).not.toThrow();
    for (const groups of [5, 0, -3, 1.5])
      expect(() => checkGroupNormGroups(12, groups)).toThrow(InvalidArgumentError);
    expect(() => checkGroupNormGroups(12, 5)).toThrow(
      'groupNorm: groups = 5 must be a positive divisor of the 12 channels',
    );
  });
});
