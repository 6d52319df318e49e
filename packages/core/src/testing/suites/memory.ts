/**
 * Conformance tests of a backend's identity and memory functions: alloc, write, read, readSync, free,
 * memoryInfo and sync.
 * @packageDocumentation
 */
import { expect, it } from 'vitest';
import { BACKEND_SPECIFICATION_VERSION, type Kernels } from '../../backend.js';
import type { SuiteContext } from '../harness.js';

/** Every kernel of the contract (a kernel missing here is a compile error). */
const KERNEL_NAMES: Record<keyof Kernels, true> = {
  unary: true,
  binary: true,
  where: true,
  fill: true,
  copy: true,
  matmul: true,
  reduce: true,
  argmax: true,
  softmax: true,
  layerNorm: true,
  rmsNorm: true,
  groupNorm: true,
  gather: true,
  scatterAdd: true,
  rope: true,
  cumsum: true,
  cummax: true,
  attentionScan: true,
  attentionScanBackward: true,
  linearAttention: true,
  linearAttentionBackward: true,
};

/** Registers the identity and memory tests. */
export function memorySuite(ctx: SuiteContext): void {
  it('implements the current contract version and every kernel', () => {
    const backend = ctx.backend();
    expect(backend.specificationVersion).toBe(BACKEND_SPECIFICATION_VERSION);
    expect(typeof backend.name).toBe('string');
    expect(backend.name.length).toBeGreaterThan(0);
    for (const name of Object.keys(KERNEL_NAMES)) {
      expect(typeof (backend.kernels as unknown as Record<string, unknown>)[name], `kernel ${name}`).toBe(
        'function',
      );
    }
  });

  it('write then read round-trips f32 and i32 data, with offsets', async () => {
    const backend = ctx.backend();
    const f = backend.alloc('f32', 8);
    const i = backend.alloc('i32', 6);
    try {
      expect(f.dtype).toBe('f32');
      expect(f.size).toBe(8);
      expect(i.dtype).toBe('i32');
      expect(i.size).toBe(6);
      const values = Float32Array.from([1.5, -2.25, 0, -0, Infinity, -Infinity, 3e38, 1e-40]);
      backend.write(f, values);
      const all = await backend.read(f);
      expect(all).toBeInstanceOf(Float32Array);
      expect(Array.from(all)).toEqual(Array.from(values));
      backend.write(f, Float32Array.from([7, 8, 9]), 4);
      expect(Array.from(await backend.read(f, 3, 4))).toEqual([-0, 7, 8, 9]);
      expect(Array.from(await backend.read(f, 6))).toEqual([9, Math.fround(1e-40)]);
      const ints = Int32Array.from([0, -1, 2147483647, -2147483648, 5, 6]);
      backend.write(i, ints);
      const readInts = await backend.read(i);
      expect(readInts).toBeInstanceOf(Int32Array);
      expect(Array.from(readInts)).toEqual(Array.from(ints));
      backend.write(i, Int32Array.from([42]), 5);
      expect(Array.from(await backend.read(i, 4, 2))).toEqual([5, 42]);
      expect((await backend.read(i, 2, 0)).length).toBe(0);
    } finally {
      backend.free(f);
      backend.free(i);
    }
  });

  it('readSync, when provided, agrees with read', async () => {
    const backend = ctx.backend();
    if (!backend.readSync) return;
    const b = backend.alloc('f32', 5);
    try {
      backend.write(b, Float32Array.from([1, 2, 3, 4, 5]));
      expect(Array.from(backend.readSync(b))).toEqual(Array.from(await backend.read(b)));
      expect(Array.from(backend.readSync(b, 1, 3))).toEqual([2, 3, 4]);
    } finally {
      backend.free(b);
    }
  });

  it('memoryInfo counts buffers and bytes up on alloc and back down on free', () => {
    const backend = ctx.backend();
    const before = backend.memoryInfo();
    const a = backend.alloc('f32', 10);
    const b = backend.alloc('i32', 3);
    const during = backend.memoryInfo();
    expect(during.liveBuffers - before.liveBuffers).toBe(2);
    expect(during.liveBytes - before.liveBytes).toBe(4 * 13);
    backend.free(a);
    expect(backend.memoryInfo().liveBuffers - before.liveBuffers).toBe(1);
    backend.free(b);
    expect(backend.memoryInfo()).toEqual(before);
  });

  it('allocates and frees empty buffers', async () => {
    const backend = ctx.backend();
    const before = backend.memoryInfo();
    const empty = backend.alloc('f32', 0);
    expect(empty.size).toBe(0);
    expect((await backend.read(empty)).length).toBe(0);
    backend.free(empty);
    expect(backend.memoryInfo()).toEqual(before);
  });

  it('sync resolves', async () => {
    await ctx.backend().sync();
  });
}
