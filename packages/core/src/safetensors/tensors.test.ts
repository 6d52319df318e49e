import { describe, expect, it } from 'vitest';
import type { Backend, BackendBuffer, Kernels } from '../backend.js';
import type { DType, TensorData } from '../dtype.js';
import { tensor } from '../ops/creation.js';
import { SafetensorsError } from './errors.js';
import { parseSafetensors } from './parse.js';
import { serializeSafetensors } from './serialize.js';
import { loadSafetensors, saveSafetensorsBytes } from './tensors.js';

interface FakeBuffer extends BackendBuffer {
  readonly data: TensorData;
}

/** Test-only backend with host memory and no kernels: enough to create and read tensors. */
function fakeBackend(): Backend {
  const live = new Set<FakeBuffer>();
  return {
    specificationVersion: 'v1',
    name: 'fake',
    alloc(dtype: DType, size: number): BackendBuffer {
      const buffer: FakeBuffer = {
        dtype,
        size,
        data: dtype === 'f32' ? new Float32Array(size) : new Int32Array(size),
      };
      live.add(buffer);
      return buffer;
    },
    write(buffer, data, offset = 0) {
      (buffer as FakeBuffer).data.set(data, offset);
    },
    async read(buffer, offset = 0, size) {
      const data = (buffer as FakeBuffer).data;
      return data.slice(offset, offset + (size ?? data.length - offset));
    },
    free(buffer) {
      live.delete(buffer as FakeBuffer);
    },
    memoryInfo: () => ({ liveBuffers: live.size, liveBytes: [...live].reduce((a, b) => a + 4 * b.size, 0) }),
    kernels: new Proxy({} as Kernels, {
      get(_, key) {
        throw new Error(`fake backend has no kernel ${String(key)}`);
      },
    }),
    sync: async () => {},
    dispose: () => live.clear(),
  };
}

describe('loadSafetensors / saveSafetensorsBytes', () => {
  it('round-trips tensors through bytes', async () => {
    const backend = fakeBackend();
    const w = tensor(backend, new Float32Array([1, 2.5, -3, 0.1]), [2, 2]);
    const ids = tensor(backend, new Int32Array([3, -4, 5]), [3]);
    const s = tensor(backend, new Float32Array([9]), []);
    const bytes = await saveSafetensorsBytes({ w, ids, s }, { metadata: { format: 'pt' } });
    const file = parseSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.info('w').dtype).toBe('F32');
    expect(file.info('ids').dtype).toBe('I32');

    const loaded = loadSafetensors(backend, bytes);
    expect(Object.keys(loaded).sort()).toEqual(['ids', 's', 'w']);
    expect(loaded.w!.shape).toEqual([2, 2]);
    expect(loaded.w!.dtype).toBe('f32');
    expect([...(await loaded.w!.data())]).toEqual([1, 2.5, -3, Math.fround(0.1)]);
    expect(loaded.ids!.dtype).toBe('i32');
    expect([...(await loaded.ids!.data())]).toEqual([3, -4, 5]);
    expect(loaded.s!.shape).toEqual([]);
    expect(await loaded.s!.item()).toBe(9);
  });

  it('stores f32 tensors as BF16/F16 and i32 as I64 on request', async () => {
    const backend = fakeBackend();
    const w = tensor(backend, new Float32Array([1, 1 + 2 ** -9]), [2]);
    const ids = tensor(backend, new Int32Array([7]), [1]);
    const bytes = await saveSafetensorsBytes(
      { w, ids, h: w },
      { floatDType: 'BF16', dtypeOf: (name) => (name === 'ids' ? 'I64' : name === 'h' ? 'F16' : undefined) },
    );
    const file = parseSafetensors(bytes);
    expect(file.info('w').dtype).toBe('BF16');
    expect(file.info('h').dtype).toBe('F16');
    expect(file.info('ids').dtype).toBe('I64');
    expect([...file.readTensor('w').data]).toEqual([1, 1]);
    expect([...file.readTensor('h').data]).toEqual([1, 1 + 2 ** -9]);
    expect([...file.readTensor('ids').data]).toEqual([7]);
  });

  it('loads only the filtered tensors', () => {
    const bytes = serializeSafetensors({
      a: { shape: [1], data: new Float32Array([1]) },
      b: { shape: [1], data: new Float32Array([2]) },
    });
    const loaded = loadSafetensors(fakeBackend(), bytes, { filter: (name) => name === 'b' });
    expect(Object.keys(loaded)).toEqual(['b']);
  });

  it('disposes tensors already created when a later one fails', () => {
    const backend = fakeBackend();
    const bytes = serializeSafetensors({
      a: { shape: [2], data: new Float32Array([1, 2]) },
      z: { dtype: 'I64', shape: [1], data: new Int32Array([1]) },
    });
    // Make the I64 value 2^32, beyond int32 (z is stored first: larger dtypes come first).
    const file = parseSafetensors(bytes);
    bytes[file.info('z').byteOffset + 4] = 1;
    expect(() => loadSafetensors(backend, bytes, { fileName: 'x.safetensors' })).toThrow(SafetensorsError);
    expect(backend.memoryInfo().liveBuffers).toBe(0);
    const reversed = serializeSafetensors({
      a: { dtype: 'I64', shape: [1], data: new Int32Array([1]) },
      z: { dtype: 'I64', shape: [1], data: new Int32Array([1]) },
    });
    reversed[parseSafetensors(reversed).info('z').byteOffset + 4] = 1;
    expect(() => loadSafetensors(backend, reversed)).toThrow(/tensor 'z': I64 value 4294967297/);
    expect(backend.memoryInfo().liveBuffers).toBe(0);
  });
});
