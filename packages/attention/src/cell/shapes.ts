/**
 * Shape checks of the cell's per-token and per-block inputs.
 * @internal
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';
import { AttentionShapeError } from '../errors.js';
import { assertF32 } from '../shapes.js';

/** Checks one token's key `[B, H, d]` and value `[B, H, dv]` against the state; returns `d`. */
export function checkToken(
  op: string,
  k: Tensor,
  v: Tensor,
  batch: number,
  heads: number,
  dim: number,
): number {
  assertF32(op, 'k', k);
  assertF32(op, 'v', v);
  if (k.rank !== 3 || k.shape[0] !== batch || k.shape[1] !== heads) {
    throw new AttentionShapeError(op, 'k', `[B, H, d] = [${batch}, ${heads}, d]`, [k.shape]);
  }
  if (v.rank !== 3 || v.shape[0] !== batch || v.shape[1] !== heads || v.shape[2] !== dim) {
    throw new AttentionShapeError(op, 'v', `[B, H, dv] = [${batch}, ${heads}, ${dim}]`, [v.shape]);
  }
  return k.shape[2]!;
}
