import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, BackendBuffer, Kernels } from '../backend.js';
import type { DType, TensorData } from '../dtype.js';
import { tensor } from '../ops/creation.js';
import { SafetensorsError } from '../safetensors/errors.js';
import { parseSafetensors } from '../safetensors/parse.js';
import {
  loadSafetensorsFile,
  openSafetensorsFile,
  readSafetensorsFile,
  saveSafetensorsFile,
  writeSafetensorsFile,
} from './safetensors-file.js';

const FIXTURE = fileURLToPath(new URL('../safetensors/__fixtures__/reference.safetensors', import.meta.url));

/** Test-only backend with host memory and no kernels. */
function fakeBackend(): Backend {
  const live = new Set<BackendBuffer & { data: TensorData }>();
  return {
    specificationVersion: 'v1',
    name: 'fake',
    alloc(dtype: DType, size: number) {
      const buffer = { dtype, size, data: dtype === 'f32' ? new Float32Array(size) : new Int32Array(size) };
      live.add(buffer);
      return buffer;
    },
    write: (buffer, data, offset = 0) =>
      (buffer as BackendBuffer & { data: TensorData }).data.set(data, offset),
    read: async (buffer, offset = 0, size) => {
      const data = (buffer as BackendBuffer & { data: TensorData }).data;
      return data.slice(offset, offset + (size ?? data.length - offset));
    },
    free: (buffer) => void live.delete(buffer as BackendBuffer & { data: TensorData }),
    memoryInfo: () => ({ liveBuffers: live.size, liveBytes: 0 }),
    kernels: {} as Kernels,
    sync: async () => {},
    dispose: () => live.clear(),
  };
}

/** Open file descriptors of this process (Linux), to check that readers close their files. */
function openFds(): number | undefined {
  return existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : undefined;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aaren-st-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('safetensors files on disk', () => {
  it('writes, opens lazily, and reads back', async () => {
    const path = join(dir, 'model.safetensors');
    await writeSafetensorsFile(
      path,
      {
        'a.weight': { dtype: 'BF16', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
        'a.ids': { dtype: 'I64', shape: [3], data: new Int32Array([-1, 0, 1]) },
        scalar: { shape: [], data: new Float32Array([5]) },
        empty: { shape: [0], data: new Float32Array(0) },
      },
      { metadata: { format: 'pt' } },
    );
    const file = await openSafetensorsFile(path);
    try {
      expect(file.path).toBe(path);
      expect(file.fileName).toBe(path);
      expect(file.metadata).toEqual({ format: 'pt' });
      // Larger dtypes first, then by name (like the reference writer); empty tensors sort before others at their offset.
      expect([...file.tensors.keys()]).toEqual(['a.ids', 'empty', 'scalar', 'a.weight']);
      expect(await file.readTensor('a.weight')).toMatchObject({
        dtype: 'f32',
        shape: [2, 2],
        data: new Float32Array([1, 2, 3, 4]),
      });
      expect(await file.readTensor('a.ids')).toMatchObject({
        dtype: 'i32',
        data: new Int32Array([-1, 0, 1]),
      });
      expect(await file.readTensor('empty')).toMatchObject({ shape: [0], data: new Float32Array(0) });
      await expect(file.readTensor('nope')).rejects.toMatchObject({
        reason: 'missing-tensor',
        tensorName: 'nope',
      });
    } finally {
      await file.close();
      await file.close();
    }
    await expect(file.readTensor('scalar')).rejects.toBeInstanceOf(SafetensorsError);
  });

  it('reads the Python fixture exactly as the in-memory parser does', async () => {
    const fromDisk = await openSafetensorsFile(FIXTURE);
    const inMemory = parseSafetensors(new Uint8Array(await readFile(FIXTURE)));
    try {
      expect(fromDisk.metadata).toEqual(inMemory.metadata);
      for (const name of inMemory.tensors.keys()) {
        if (name === 'i64_big') continue;
        expect(await fromDisk.readTensor(name), name).toEqual(inMemory.readTensor(name));
      }
      await expect(fromDisk.readTensor('i64_big')).rejects.toMatchObject({
        reason: 'value-out-of-range',
        fileName: FIXTURE,
      });
    } finally {
      await fromDisk.close();
    }
    await expect(readSafetensorsFile(FIXTURE)).rejects.toThrow(/tensor 'i64_big'/);
  });

  it('readSafetensorsFile decodes everything', async () => {
    const path = join(dir, 'x.safetensors');
    await writeSafetensorsFile(
      path,
      { w: { shape: [2], data: new Float32Array([1, 2]) } },
      { metadata: { k: 'v' } },
    );
    const contents = await readSafetensorsFile(path);
    expect(contents.metadata).toEqual({ k: 'v' });
    expect([...contents.tensors.get('w')!.data]).toEqual([1, 2]);
  });

  it('saves and loads tensors', async () => {
    const backend = fakeBackend();
    const path = join(dir, 'ckpt.safetensors');
    const w = tensor(backend, new Float32Array([0.5, -1, 2, 8]), [2, 2]);
    const step = tensor(backend, new Int32Array([100]), []);
    await saveSafetensorsFile(path, { w, step }, { metadata: { step: '100' }, floatDType: 'F16' });
    const loaded = await loadSafetensorsFile(backend, path);
    expect(loaded.w!.shape).toEqual([2, 2]);
    expect([...(await loaded.w!.data())]).toEqual([0.5, -1, 2, 8]);
    expect(await loaded.step!.item()).toBe(100);
    const only = await loadSafetensorsFile(backend, path, { filter: (name) => name === 'step' });
    expect(Object.keys(only)).toEqual(['step']);
  });

  it('names the file in errors, and closes it', async () => {
    const path = join(dir, 'bad.safetensors');
    const good = await readFile(FIXTURE);
    await writeFile(path, good.subarray(0, good.length - 1));
    const before = openFds();
    const error = await openSafetensorsFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetensorsError);
    expect((error as SafetensorsError).message.startsWith(`${path}: tensor '`)).toBe(true);
    expect(error).toMatchObject({ reason: 'offset-out-of-range', fileName: path });
    expect(openFds()).toBe(before);

    await writeFile(path, new Uint8Array([1, 2, 3]));
    await expect(openSafetensorsFile(path, { fileName: 'label' })).rejects.toMatchObject({
      reason: 'header-out-of-range',
      fileName: 'label',
    });
    await expect(openSafetensorsFile(join(dir, 'missing.safetensors'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('reports a file truncated after it was opened', async () => {
    const path = join(dir, 'shrinking.safetensors');
    await writeSafetensorsFile(path, { w: { shape: [1000], data: new Float32Array(1000) } });
    const file = await openSafetensorsFile(path);
    try {
      await truncate(path, file.dataByteOffset + 10);
      await expect(file.readTensor('w')).rejects.toMatchObject({
        reason: 'offset-out-of-range',
        tensorName: 'w',
      });
    } finally {
      await file.close();
    }
  });

  it('disposes loaded tensors when a later tensor fails', async () => {
    const backend = fakeBackend();
    const path = join(dir, 'partial.safetensors');
    const bytes = new Uint8Array(await readFile(FIXTURE));
    await writeFile(path, bytes);
    await expect(loadSafetensorsFile(backend, path)).rejects.toMatchObject({ reason: 'value-out-of-range' });
    expect(backend.memoryInfo().liveBuffers).toBe(0);
  });
});
