/**
 * Shared helpers of the tests: fixture paths, reading expected logits, comparing arrays.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Backend, type Tensor, tensor } from '@aaren/core';

/** The fixtures folder. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');

/** `expected.json` of a fixture model. */
export interface ExpectedLogits {
  readonly input_ids: number[][];
  readonly logits: number[][][];
}

/** Reads `expected.json` of fixture `name`. */
export function readExpected(name: string): ExpectedLogits {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as ExpectedLogits;
}

/** Token ids `[B, T]` as an i32 tensor. */
export function idsTensor(backend: Backend, ids: readonly (readonly number[])[]): Tensor {
  const b = ids.length;
  const t = ids[0]?.length ?? 0;
  return tensor(backend, Int32Array.from(ids.flat()), [b, t], 'i32');
}

/** Largest absolute difference between `actual` and the nested `expected`. */
export function maxAbsDiff(actual: ArrayLike<number>, expected: readonly unknown[]): number {
  const flat = (expected as number[]).flat(3) as number[];
  if (flat.length !== actual.length) throw new Error(`length ${actual.length} vs ${flat.length}`);
  let worst = 0;
  for (let i = 0; i < flat.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - flat[i]!));
  return worst;
}
