/**
 * Sharded safetensors checkpoints (Node only): a `model.safetensors.index.json` of the form
 * `{ "metadata": {...}, "weight_map": { tensorName: shardFileName } }` beside its shard files, as written
 * by Hugging Face `transformers`.
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { Backend } from '../backend.js';
import type { DecodedTensor } from '../safetensors/decode.js';
import { SafetensorsError } from '../safetensors/errors.js';
import type { SafetensorsParseOptions, SafetensorsTensorInfo } from '../safetensors/header.js';
import { findDuplicateKey } from '../safetensors/json-keys.js';
import { type LoadSafetensorsOptions, tensorFromDecoded } from '../safetensors/tensors.js';
import type { Tensor } from '../tensor.js';
import { openSafetensorsFile, type SafetensorsFileReader } from './safetensors-file.js';

/** An open, validated sharded checkpoint; tensors are read from their shards when asked for. Call `close()`. */
export interface ShardedSafetensorsReader {
  /** The index file's path. */
  readonly indexPath: string;
  /** The index's `metadata` object (e.g. `{ total_size: 123 }`; empty when absent). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Tensor name → shard file name, as written in the index, in index order. */
  readonly weightMap: ReadonlyMap<string, string>;
  /** Shard file name (as in the index) → its open reader. */
  readonly shards: ReadonlyMap<string, SafetensorsFileReader>;
  /** Whether the index maps a tensor called `name`. */
  has(name: string): boolean;
  /** The location and type of tensor `name` in its shard. @throws {@link SafetensorsError} `missing-tensor`. */
  info(name: string): SafetensorsTensorInfo;
  /** Reads and decodes tensor `name` from its shard. */
  readTensor(name: string): Promise<DecodedTensor>;
  /** Closes every shard. Idempotent. */
  close(): Promise<void>;
}

/** Every tensor of a sharded checkpoint, decoded. */
export interface ShardedSafetensorsContents {
  /** The index file's path. */
  readonly indexPath: string;
  /** The index's `metadata` object. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Every tensor of the weight map, decoded, in index order. */
  readonly tensors: Map<string, DecodedTensor>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface ParsedIndex {
  readonly metadata: Record<string, unknown>;
  readonly weightMap: Map<string, string>;
}

function parseIndex(indexPath: string, text: string): ParsedIndex {
  const fail = (detail: string, tensorName?: string): never => {
    throw new SafetensorsError('invalid-index', indexPath, tensorName, detail);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SafetensorsError('invalid-json', indexPath, undefined, 'index is not valid JSON', { cause });
  }
  if (!isPlainObject(json)) return fail('index must be a JSON object');
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) {
    const [first, second] = duplicate;
    if (first === 'weight_map' && second !== undefined && duplicate.length === 2) {
      throw new SafetensorsError(
        'duplicate-name',
        indexPath,
        second,
        'weight_map lists this tensor more than once',
      );
    }
    fail(`duplicate key ${duplicate.map((k) => JSON.stringify(k)).join(' → ')}`);
  }
  const metadata = json.metadata ?? {};
  if (!isPlainObject(metadata)) return fail('"metadata" must be an object');
  const rawMap = json.weight_map;
  if (!isPlainObject(rawMap)) return fail('"weight_map" must be an object of tensor name → shard file name');
  const weightMap = new Map<string, string>();
  for (const [name, shard] of Object.entries(rawMap)) {
    if (typeof shard !== 'string' || shard.length === 0) {
      fail(`weight_map value must be a shard file name, got ${JSON.stringify(shard)}`, name);
    }
    const normalized = normalize(shard as string);
    if (isAbsolute(shard as string) || normalized === '..' || normalized.startsWith(`..${sep}`)) {
      fail(`shard file ${JSON.stringify(shard)} must be a path relative to the index's directory`, name);
    }
    weightMap.set(name, shard as string);
  }
  return { metadata: Object.fromEntries(Object.entries(metadata)), weightMap };
}

/**
 * Opens a sharded checkpoint from its index file and validates it: the index is a JSON object with a
 * `weight_map` of tensor names to shard files (relative to the index's directory, no duplicate names);
 * every shard exists and is a valid safetensors file; and every mapped tensor is in its shard. Tensors in
 * shards that the index does not list are ignored, as `transformers` does.
 * @example
 * const ckpt = await openShardedSafetensors('llama/model.safetensors.index.json');
 * try { const embed = await ckpt.readTensor('model.embed_tokens.weight'); } finally { await ckpt.close(); }
 * @throws {@link SafetensorsError} naming the index (or the shard) and the tensor.
 */
export async function openShardedSafetensors(
  indexPath: string,
  options?: Omit<SafetensorsParseOptions, 'fileName'>,
): Promise<ShardedSafetensorsReader> {
  let text: string;
  try {
    text = await readFile(indexPath, 'utf8');
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new SafetensorsError('invalid-index', indexPath, undefined, `cannot read the index: ${why}`, {
      cause,
    });
  }
  const { metadata, weightMap } = parseIndex(indexPath, text);
  const directory = dirname(indexPath);
  const shards = new Map<string, SafetensorsFileReader>();
  const closeAll = async (): Promise<void> => {
    await Promise.all([...shards.values()].map((s) => s.close()));
  };
  try {
    for (const [name, shard] of weightMap) {
      let reader = shards.get(shard);
      if (reader === undefined) {
        const shardPath = join(directory, shard);
        try {
          reader = await openSafetensorsFile(shardPath, options);
        } catch (cause) {
          if (cause instanceof SafetensorsError) throw cause;
          const why = cause instanceof Error ? cause.message : String(cause);
          throw new SafetensorsError(
            'invalid-index',
            indexPath,
            name,
            `shard '${shard}' (${shardPath}) cannot be opened: ${why}`,
            { cause },
          );
        }
        shards.set(shard, reader);
      }
      if (!reader.has(name)) {
        throw new SafetensorsError(
          'missing-tensor',
          indexPath,
          name,
          `weight_map puts this tensor in shard '${shard}', which does not hold it`,
        );
      }
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const shardOf = (name: string): SafetensorsFileReader => {
    const shard = weightMap.get(name);
    const reader = shard === undefined ? undefined : shards.get(shard);
    if (reader === undefined) {
      throw new SafetensorsError('missing-tensor', indexPath, name, 'the index does not list this tensor');
    }
    return reader;
  };
  return {
    indexPath,
    metadata,
    weightMap,
    shards,
    has: (name) => weightMap.has(name),
    info: (name) => shardOf(name).info(name),
    readTensor: async (name) => shardOf(name).readTensor(name),
    close: closeAll,
  };
}

/**
 * Opens and validates a sharded checkpoint (see {@link openShardedSafetensors}) and decodes every tensor.
 * @throws {@link SafetensorsError} naming the index or shard and the tensor.
 */
export async function readShardedSafetensors(
  indexPath: string,
  options?: Omit<SafetensorsParseOptions, 'fileName'>,
): Promise<ShardedSafetensorsContents> {
  const reader = await openShardedSafetensors(indexPath, options);
  try {
    const tensors = new Map<string, DecodedTensor>();
    for (const name of reader.weightMap.keys()) tensors.set(name, await reader.readTensor(name));
    return { indexPath, metadata: reader.metadata, tensors };
  } finally {
    await reader.close();
  }
}

/**
 * Loads a sharded checkpoint into tensors on `backend`, one tensor at a time. On error, tensors already
 * created are disposed.
 * @throws {@link SafetensorsError} naming the index or shard and the tensor.
 */
export async function loadShardedSafetensors(
  backend: Backend,
  indexPath: string,
  options?: Omit<LoadSafetensorsOptions, 'fileName'>,
): Promise<Record<string, Tensor>> {
  const reader = await openShardedSafetensors(indexPath, options);
  const loaded: [string, Tensor][] = [];
  try {
    for (const name of reader.weightMap.keys()) {
      if (options?.filter && !options.filter(name, reader.info(name))) continue;
      loaded.push([name, tensorFromDecoded(backend, await reader.readTensor(name))]);
    }
  } catch (error) {
    for (const [, t] of loaded) t.dispose();
    throw error;
  } finally {
    await reader.close();
  }
  return Object.fromEntries(loaded);
}
