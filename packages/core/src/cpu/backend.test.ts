import { describe, expect, it } from 'vitest';
import { BACKEND_SPECIFICATION_VERSION } from '../backend.js';
import { InvalidArgumentError } from '../errors.js';
import { cpuBackend } from './backend.js';

describe('cpuBackend memory', () => {
  it('identifies itself', () => {
    const backend = cpuBackend();
    expect(backend.name).toBe('cpu');
    expect(backend.specificationVersion).toBe(BACKEND_SPECIFICATION_VERSION);
    expect(cpuBackend({ name: 'cpu-2' }).name).toBe('cpu-2');
  });

  it('writes, reads copies and reads ranges', async () => {
    const backend = cpuBackend();
    const buffer = backend.alloc('f32', 5);
    backend.write(buffer, new Float32Array([1, 2, 3]), 2);
    backend.write(buffer, new Float32Array([7, 8]));
    const all = await backend.read(buffer);
    expect(all).toBeInstanceOf(Float32Array);
    expect(Array.from(all)).toEqual([7, 8, 1, 2, 3]);
    all[0] = 100;
    expect(Array.from(backend.readSync!(buffer, 1, 3))).toEqual([8, 1, 2]);
    expect(Array.from(backend.readSync!(buffer, 3))).toEqual([2, 3]);
    const ints = backend.alloc('i32', 2);
    backend.write(ints, new Int32Array([-4, 9]));
    expect(backend.readSync!(ints)).toBeInstanceOf(Int32Array);
    await backend.sync();
  });

  it('rejects out-of-range reads and writes and bad sizes', async () => {
    const backend = cpuBackend();
    const buffer = backend.alloc('f32', 2);
    expect(() => backend.write(buffer, new Float32Array(3))).toThrow(InvalidArgumentError);
    expect(() => backend.readSync!(buffer, 1, 2)).toThrow(/outside the buffer of 2/);
    await expect(backend.read(buffer, 3)).rejects.toThrow(InvalidArgumentError);
    expect(() => backend.alloc('f32', -1)).toThrow(/non-negative integer/);
    expect(() => backend.alloc('f32', 1.5)).toThrow(/non-negative integer/);
  });

  it('counts live buffers and bytes; a double free changes nothing', () => {
    const backend = cpuBackend();
    const a = backend.alloc('f32', 10);
    const b = backend.alloc('i32', 3);
    backend.alloc('f32', 0);
    expect(backend.memoryInfo()).toEqual({ liveBuffers: 3, liveBytes: 52 });
    backend.free(a);
    expect(backend.memoryInfo()).toEqual({ liveBuffers: 2, liveBytes: 12 });
    backend.free(a);
    expect(backend.memoryInfo()).toEqual({ liveBuffers: 2, liveBytes: 12 });
    expect(() => backend.readSync!(a)).toThrow(/already freed/);
    backend.free(b);
    expect(backend.memoryInfo()).toEqual({ liveBuffers: 1, liveBytes: 0 });
  });

  it('rejects buffers of another backend instance', () => {
    const one = cpuBackend();
    const two = cpuBackend();
    const buffer = one.alloc('f32', 1);
    expect(() => two.free(buffer)).toThrow(/not allocated by this/);
    expect(() => two.readSync!(buffer)).toThrow(/not allocated by this/);
    expect(one.memoryInfo().liveBuffers).toBe(1);
  });

  it('dispose releases everything and refuses further allocation', () => {
    const backend = cpuBackend();
    backend.alloc('f32', 4);
    backend.dispose();
    expect(backend.memoryInfo()).toEqual({ liveBuffers: 0, liveBytes: 0 });
    expect(() => backend.alloc('f32', 1)).toThrow(/disposed/);
  });
});
