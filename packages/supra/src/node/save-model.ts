/**
 * Saving a model as a Hugging Face model folder (`config.json` + safetensors), each file written atomically.
 * @packageDocumentation
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tensor } from '@aaren/core';
import { saveSafetensorsFile, writeFileAtomic } from '@aaren/core/node';
import { SupraOptionError } from '../errors.js';
import type { CausalLM } from '../models/causal-lm.js';
import { SupraLM } from '../supra/supra-lm.js';
import { supraSettingsToJson } from '../supra/supra-options.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** Stored dtype of the weights. Default `'F32'`. */
  readonly dtype?: 'F32' | 'F16' | 'BF16';
  /**
   * Largest shard in bytes: above it, weights go to `model-0000i-of-0000n.safetensors` files listed by
   * `model.safetensors.index.json` (as `transformers` writes them). Default: one `model.safetensors`.
   */
  readonly maxShardBytes?: number;
  /** Copy `tokenizer.json` and `tokenizer_config.json` (when present) from this folder. */
  readonly tokenizerFrom?: string;
  /** Extra top-level `config.json` fields (e.g. training metadata). */
  readonly configExtra?: Readonly<Record<string, unknown>>;
}

const BYTES: Record<NonNullable<SaveModelOptions['dtype']>, number> = { F32: 4, F16: 2, BF16: 2 };
const TORCH_DTYPE = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' } as const;

/** The `config.json` object a saved model gets: its source config, `torch_dtype`, and the `supra` section. */
export function savedConfigJson(model: CausalLM, options: SaveModelOptions = {}): Record<string, unknown> {
  const json: Record<string, unknown> = {
    ...model.config.raw,
    torch_dtype: TORCH_DTYPE[options.dtype ?? 'F32'],
  };
  if (model instanceof SupraLM) json.supra = supraSettingsToJson(model.settings);
  else delete json.supra;
  return { ...json, ...options.configExtra };
}

/**
 * Writes `model` to the folder `dir` in the Hugging Face layout: the weights (`model.safetensors`, or shards
 * with `model.safetensors.index.json`), then `config.json` (the source config plus a `supra` section for a
 * SUPRA model, so that `loadPretrained` rebuilds it). Every file is written atomically (temporary file,
 * fsync, rename): a reader sees the old file or the new one, never a partial one.
 *
 * @example
 * ```ts
 * await saveModel('out/supra-tiny', supra, { tokenizerFrom: 'models/tiny' });
 * ```
 */
export async function saveModel(dir: string, model: CausalLM, options: SaveModelOptions = {}): Promise<void> {
  const dtype = options.dtype ?? 'F32';
  const max = options.maxShardBytes;
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    throw new SupraOptionError('saveModel', 'maxShardBytes', `must be a positive integer, got ${max}`);
  }
  await mkdir(dir, { recursive: true });
  const entries = [...model.weights];
  const total = entries.reduce((sum, [, t]) => sum + t.size * BYTES[dtype], 0);
  if (max === undefined || total <= max) {
    await saveSafetensorsFile(join(dir, 'model.safetensors'), new Map(entries), {
      floatDType: dtype,
      metadata: { format: 'pt' },
    });
  } else {
    const shards: [string, Tensor][][] = [[]];
    let size = 0;
    for (const entry of entries) {
      const bytes = entry[1].size * BYTES[dtype];
      if (size > 0 && size + bytes > max) {
        shards.push([]);
        size = 0;
      }
      shards[shards.length - 1]!.push(entry);
      size += bytes;
    }
    const weightMap: Record<string, string> = {};
    const n = String(shards.length).padStart(5, '0');
    for (const [i, shard] of shards.entries()) {
      const file = `model-${String(i + 1).padStart(5, '0')}-of-${n}.safetensors`;
      await saveSafetensorsFile(join(dir, file), new Map(shard), {
        floatDType: dtype,
        metadata: { format: 'pt' },
      });
      for (const [name] of shard) weightMap[name] = file;
    }
    const index = { metadata: { total_size: total }, weight_map: weightMap };
    await writeFileAtomic(join(dir, 'model.safetensors.index.json'), `${JSON.stringify(index, null, 2)}\n`);
  }
  if (options.tokenizerFrom !== undefined) {
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(join(options.tokenizerFrom, file));
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw cause;
      }
      await writeFileAtomic(join(dir, file), bytes);
    }
  }
  await writeFileAtomic(
    join(dir, 'config.json'),
    `${JSON.stringify(savedConfigJson(model, options), null, 2)}\n`,
  );
}
