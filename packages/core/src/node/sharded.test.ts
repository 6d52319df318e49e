import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, Kernels } from '../backend.js';
import { SafetensorsError, type SafetensorsErrorReason } from '../safetensors/errors.js';
import { writeSafetensorsFile } from './safetensors-file.js';
import { loadShardedSafetensors, openShardedSafetensors, readShardedSafetensors } from './sharded.js';

let dir: string;
let indexPath: string;

function openFds(): number | undefined {
  return existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : undefined;
}

async function writeIndex(index: unknown): Promise<void> {
  await writeFile(indexPath, typeof index === 'string' ? index : JSON.stringify(index));
}

const SHARD1 = 'model-00001-of-00002.safetensors';
const SHARD2 = 'model-00002-of-00002.safetensors';
const WEIGHT_MAP = {
  'model.embed_tokens.weight': SHARD1,
  'model.layers.0.mlp.weight': SHARD1,
  'model.norm.weight': SHARD2,
  'lm_head.weight': SHARD2,
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aaren-shards-'));
  indexPath = join(dir, 'model.safetensors.index.json');
  await writeSafetensorsFile(join(dir, SHARD1), {
    'model.embed_tokens.weight': { dtype: 'BF16', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
    'model.layers.0.mlp.weight': { shape: [2], data: new Float32Array([5, 6]) },
    'unlisted.weight': { shape: [1], data: new Float32Array([0]) },
  });
  await writeSafetensorsFile(join(dir, SHARD2), {
    'model.norm.weight': { dtype: 'F16', shape: [2], data: new Float32Array([1, 0.5]) },
    'lm_head.weight': { shape: [2, 2], data: new Float32Array([7, 8, 9, 10]) },
  });
  await writeIndex({ metadata: { total_size: 40 }, weight_map: WEIGHT_MAP });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectIndexError(
  reason: SafetensorsErrorReason,
  fileName: string,
  tensorName: string | undefined,
  message: RegExp,
) {
  const before = openFds();
  const error = await openShardedSafetensors(indexPath).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SafetensorsError);
  expect(error).toMatchObject({ reason, fileName, tensorName });
  expect((error as Error).message.startsWith(fileName)).toBe(true);
  expect((error as Error).message).toMatch(message);
  expect(openFds()).toBe(before);
}

describe('sharded checkpoints', () => {
  it('opens, validates and reads every tensor from its shard', async () => {
    const ckpt = await openShardedSafetensors(indexPath);
    try {
      expect(ckpt.metadata).toEqual({ total_size: 40 });
      expect([...ckpt.weightMap.keys()]).toEqual(Object.keys(WEIGHT_MAP));
      expect([...ckpt.shards.keys()]).toEqual([SHARD1, SHARD2]);
      expect(ckpt.has('unlisted.weight')).toBe(false);
      expect(ckpt.info('lm_head.weight').dtype).toBe('F32');
      expect(await ckpt.readTensor('model.norm.weight')).toMatchObject({
        dtype: 'f32',
        shape: [2],
        data: new Float32Array([1, 0.5]),
      });
      await expect(ckpt.readTensor('unlisted.weight')).rejects.toMatchObject({
        reason: 'missing-tensor',
        fileName: indexPath,
      });
    } finally {
      await ckpt.close();
    }
  });

  it('reads and loads all tensors', async () => {
    const contents = await readShardedSafetensors(indexPath);
    expect([...contents.tensors.keys()]).toEqual(Object.keys(WEIGHT_MAP));
    expect([...contents.tensors.get('model.embed_tokens.weight')!.data]).toEqual([1, 2, 3, 4]);

    const buffers: Float32Array[] = [];
    const backend = {
      specificationVersion: 'v1',
      name: 'fake',
      alloc: (dtype, size) => ({ dtype, size }),
      write: (_, data) => void buffers.push(data as Float32Array),
      read: async () => new Float32Array(0),
      free: () => {},
      memoryInfo: () => ({ liveBuffers: 0, liveBytes: 0 }),
      kernels: {} as Kernels,
      sync: async () => {},
      dispose: () => {},
    } satisfies Backend;
    const loaded = await loadShardedSafetensors(backend, indexPath, {
      filter: (name) => name.startsWith('model.'),
    });
    expect(Object.keys(loaded)).toEqual([
      'model.embed_tokens.weight',
      'model.layers.0.mlp.weight',
      'model.norm.weight',
    ]);
    expect(loaded['model.norm.weight']!.shape).toEqual([2]);
    expect(buffers.map((b) => [...b])).toEqual([
      [1, 2, 3, 4],
      [5, 6],
      [1, 0.5],
    ]);
  });

  it('rejects a missing shard, naming the index, shard and tensor', async () => {
    await rm(join(dir, SHARD2));
    await expectIndexError(
      'invalid-index',
      indexPath,
      'model.norm.weight',
      new RegExp(`shard '${SHARD2}' .* cannot be opened: ENOENT`),
    );
  });

  it('rejects a tensor that its shard does not hold', async () => {
    await writeIndex({ weight_map: { ...WEIGHT_MAP, 'lm_head.weight': SHARD1 } });
    await expectIndexError(
      'missing-tensor',
      indexPath,
      'lm_head.weight',
      new RegExp(`puts this tensor in shard '${SHARD1}', which does not hold it`),
    );
  });

  it('rejects a corrupt shard with the shard error', async () => {
    await writeFile(join(dir, SHARD2), new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0, 1]));
    await expectIndexError('header-too-large', join(dir, SHARD2), undefined, /exceeds the limit/);
  });

  it('rejects malformed indexes', async () => {
    await writeIndex('{"weight_map": ');
    await expectIndexError('invalid-json', indexPath, undefined, /not valid JSON/);
    await writeIndex({ metadata: {} });
    await expectIndexError('invalid-index', indexPath, undefined, /"weight_map" must be an object/);
    await writeIndex({ weight_map: { a: 3 } });
    await expectIndexError('invalid-index', indexPath, 'a', /must be a shard file name/);
    await writeIndex({ metadata: 'x', weight_map: {} });
    await expectIndexError('invalid-index', indexPath, undefined, /"metadata" must be an object/);
    await writeIndex(`{"weight_map":{"lm_head.weight":"${SHARD2}","lm_head.weight":"${SHARD1}"}}`);
    await expectIndexError('duplicate-name', indexPath, 'lm_head.weight', /more than once/);
    await writeIndex({ weight_map: { a: '../outside.safetensors' } });
    await expectIndexError('invalid-index', indexPath, 'a', /relative to the index's directory/);
    await writeIndex({ weight_map: { a: '/etc/passwd' } });
    await expectIndexError('invalid-index', indexPath, 'a', /relative/);
    await rm(indexPath);
    await expectIndexError('invalid-index', indexPath, undefined, /cannot read the index: ENOENT/);
  });
});
