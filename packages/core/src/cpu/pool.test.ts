import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { cpuBackend } from './backend.js';
import type { CpuBuffer } from './buffer.js';

const storageOf = (buffer: unknown) => (buffer as CpuBuffer).data;

describe('cpu backend buffer reuse', () => {
  it('reuses the array of a freed buffer for the next allocation of the same dtype and size', () => {
    const backend = cpuBackend();
    const first = backend.alloc('f32', 8);
    const array = storageOf(first);
    backend.free(first);
    const other = backend.alloc('f32', 9); // another size: a fresh array
    expect(storageOf(other)).not.toBe(array);
    const again = backend.alloc('f32', 8);
    expect(storageOf(again)).toBe(array);
    expect(backend.memoryInfo()).toEqual({ liveBuffers: 2, liveBytes: 4 * (8 + 9) });
    // The freed handle stays dead even though its memory lives on in another buffer.
    expect(() => storageOf(first)).toThrow(InvalidArgumentError);
  });

  it('does not mix dtypes, and poolBytes: 0 turns reuse off', () => {
    const backend = cpuBackend();
    const f = backend.alloc('f32', 4);
    const array = storageOf(f);
    backend.free(f);
    expect(storageOf(backend.alloc('i32', 4))).not.toBe(array);

    const noPool = cpuBackend({ poolBytes: 0 });
    const g = noPool.alloc('f32', 4);
    const gArray = storageOf(g);
    noPool.free(g);
    expect(storageOf(noPool.alloc('f32', 4))).not.toBe(gArray);
  });

  it('keeps at most poolBytes of freed memory', () => {
    const backend = cpuBackend({ poolBytes: 64 });
    const a = backend.alloc('f32', 16); // 64 bytes: fits
    const b = backend.alloc('f32', 16); // would exceed the limit once a is pooled
    const [aArray, bArray] = [storageOf(a), storageOf(b)];
    backend.free(a);
    backend.free(b);
    expect(storageOf(backend.alloc('f32', 16))).toBe(aArray);
    expect(storageOf(backend.alloc('f32', 16))).not.toBe(bArray);
  });
});
