/**
 * Shape checks of linear-attention inputs.
 * @internal
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';
import { AttentionShapeError } from '../errors.js';
import { assertF32, assertSameBackend } from '../shapes.js';

/** Extents of linear-attention inputs `q, k: [B, H, N, dk]`, `v: [B, H, N, dv]`. */
export interface LinearDims {
  readonly batch: number;
  readonly heads: number;
  readonly length: number;
  readonly keyDim: number;
  readonly valueDim: number;
}

/** Checks `q, k: [B, H, N, dk]` and `v: [B, H, N, dv]` (f32, one backend) and returns the extents. */
export function checkLinearInputs(op: string, q: Tensor, k: Tensor, v: Tensor): LinearDims {
  for (const [name, t] of [
    ['q', q],
    ['k', k],
    ['v', v],
  ] as const) {
    assertF32(op, name, t);
  }
  assertSameBackend(op, [
    ['q', q],
    ['k', k],
    ['v', v],
  ]);
  if (q.rank !== 4) throw new AttentionShapeError(op, 'q', '[B, H, N, dk]', [q.shape]);
  const [batch = 0, heads = 0, length = 0, keyDim = 0] = q.shape;
  if (k.rank !== 4 || k.shape.some((d, i) => d !== q.shape[i])) {
    throw new AttentionShapeError(op, 'k', `the shape of q [${q.shape.join(', ')}]`, [k.shape, q.shape]);
  }
  if (v.rank !== 4 || v.shape[0] !== batch || v.shape[1] !== heads || v.shape[2] !== length) {
    throw new AttentionShapeError(op, 'v', `[B, H, N, dv] = [${batch}, ${heads}, ${length}, dv]`, [
      v.shape,
      q.shape,
    ]);
  }
  return { batch, heads, length, keyDim, valueDim: v.shape[3]! };
}
