/**
 * A source of named checkpoint tensors (a safetensors file, a sharded checkpoint, or tensors in memory),
 * read lazily so that shapes can be checked before any data is read.
 * @packageDocumentation
 */
import type { DecodedTensor } from '@aaren/core';

/** Named tensors of a checkpoint, with shapes known before the data is read. */
export interface WeightSource {
  /** Name used in error messages (the file or index path). */
  readonly fileName: string;
  /** Every tensor name, in checkpoint order. */
  names(): readonly string[];
  /** The stored shape of `name`, or `undefined` if absent. */
  shape(name: string): readonly number[] | undefined;
  /** Reads and decodes `name` (floating dtypes as f32, integers as i32). */
  read(name: string): Promise<DecodedTensor>;
}

/**
 * A {@link WeightSource} over decoded tensors in memory (e.g. from `parseSafetensors` in a browser, or a test).
 * @example
 * ```ts
 * const file = parseSafetensors(bytes);
 * const source = weightSourceFromDecoded('model.safetensors', new Map([...file.tensors.keys()].map((n) => [n, file.readTensor(n)])));
 * ```
 */
export function weightSourceFromDecoded(
  fileName: string,
  tensors: ReadonlyMap<string, DecodedTensor>,
): WeightSource {
  return {
    fileName,
    names: () => [...tensors.keys()],
    shape: (name) => tensors.get(name)?.shape,
    read: async (name) => {
      const t = tensors.get(name);
      if (t === undefined) throw new Error(`${fileName}: no tensor '${name}'`);
      return t;
    },
  };
}
