import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../cpu/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { arange, empty, full, ones, onesLike, scalar, tensor, zeros, zerosLike } from './creation.js';

const backend = cpuBackend();

describe('tensor', () => {
  it('infers the shape of nested arrays (f32 by default)', () => {
    const t = tensor(backend, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('f32');
    expect(t.backend).toBe(backend);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor(backend, 7).shape).toEqual([]);
    expect(tensor(backend, []).shape).toEqual([0]);
  });

  it('takes flat arrays and typed arrays with a shape; the typed array sets the dtype', () => {
    expect(tensor(backend, [1, 2, 3, 4], [2, 2]).shape).toEqual([2, 2]);
    const i = tensor(backend, new Int32Array([1, -2]), [2]);
    expect(i.dtype).toBe('i32');
    expect(Array.from(i.dataSync())).toEqual([1, -2]);
    expect(tensor(backend, new Float32Array([1, 2])).shape).toEqual([2]);
    const converted = tensor(backend, new Float32Array([1.9, -1.9]), [2], 'i32');
    expect(converted.dtype).toBe('i32');
    expect(Array.from(converted.dataSync())).toEqual([1, -1]);
    expect(tensor(backend, [[1, 2]], undefined, 'i32').dtype).toBe('i32');
  });

  it('copies its input: later changes to the array do not affect the tensor', () => {
    const data = new Float32Array([1, 2]);
    const t = tensor(backend, data, [2]);
    data[0] = 9;
    expect(Array.from(t.dataSync())).toEqual([1, 2]);
  });

  it('rejects ragged arrays, size mismatches and invalid extents', () => {
    expect(() => tensor(backend, [[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor(backend, [1, 2, 3], [2, 2])).toThrow(
      /tensor: data has 3 elements but the shape needs 4/,
    );
    expect(() => tensor(backend, [1, 2], [-1, -2])).toThrow(ShapeError);
    expect(() => tensor(backend, [1, 2], [2.5])).toThrow(ShapeError);
  });
});

describe('constants', () => {
  it('full, zeros, ones, scalar, zerosLike, onesLike', () => {
    expect(Array.from(full(backend, [2, 2], 1.5).dataSync())).toEqual([1.5, 1.5, 1.5, 1.5]);
    expect(Array.from(zeros(backend, [3]).dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(ones(backend, [2], 'i32').dataSync())).toEqual([1, 1]);
    const s = scalar(backend, 4, 'i32');
    expect(s.shape).toEqual([]);
    expect(s.dtype).toBe('i32');
    const like = tensor(backend, new Int32Array([5, 6, 7]), [3, 1]);
    const z = zerosLike(like);
    expect(z.shape).toEqual([3, 1]);
    expect(z.dtype).toBe('i32');
    expect(Array.from(onesLike(like).dataSync())).toEqual([1, 1, 1]);
    expect(zeros(backend, [2, 0]).size).toBe(0);
  });

  it('rejects a non-integer value for i32 and invalid shapes', () => {
    expect(() => full(backend, [2], 0.5, 'i32')).toThrow(InvalidArgumentError);
    expect(() => zeros(backend, [-1])).toThrow(ShapeError);
  });

  it('full with ±∞ and NaN', () => {
    const t = full(backend, [2], Number.NEGATIVE_INFINITY);
    expect(Array.from(t.dataSync())).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(Number.isNaN(full(backend, [1], Number.NaN).dataSync()[0])).toBe(true);
  });
});

describe('arange', () => {
  it('counts up, down, with fractional steps and in i32', () => {
    expect(Array.from(arange(backend, 0, 4).dataSync())).toEqual([0, 1, 2, 3]);
    expect(Array.from(arange(backend, 5, 1, -2).dataSync())).toEqual([5, 3]);
    expect(Array.from(arange(backend, 0, 1, 0.25).dataSync())).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(backend, 3, 3).shape).toEqual([0]);
    expect(arange(backend, 3, 1).shape).toEqual([0]);
    const i = arange(backend, -2, 2, 1, 'i32');
    expect(i.dtype).toBe('i32');
    expect(Array.from(i.dataSync())).toEqual([-2, -1, 0, 1]);
    expect(() => arange(backend, 0, 1, 0)).toThrow(InvalidArgumentError);
  });
});

describe('empty', () => {
  it('allocates one buffer of the right shape and dtype, and rejects invalid shapes', () => {
    const backend = cpuBackend();
    const before = backend.memoryInfo().liveBuffers;
    const t = empty(backend, [2, 3], 'i32');
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('i32');
    expect(t.dataSync()).toHaveLength(6);
    expect(backend.memoryInfo().liveBuffers).toBe(before + 1);
    t.dispose();
    expect(backend.memoryInfo().liveBuffers).toBe(before);
    expect(() => empty(backend, [2, -1])).toThrow(ShapeError);
  });
});
