/**
 * Argument checks shared by the attention ops: ranks, extents and dtypes of queries, keys, values and
 * masks, and the default score scale. Every check throws an {@link AttentionShapeError} or
 * {@link AttentionOptionError} naming the op and the argument.
 * @internal
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';
import { AttentionOptionError, AttentionShapeError } from './errors.js';

/** Extents of a `[B, H, N, d]` key tensor and the value dimension. */
export interface SequenceDims {
  /** Batch size `B`. */
  readonly batch: number;
  /** Heads `H`. */
  readonly heads: number;
  /** Sequence length `N`. */
  readonly length: number;
  /** Key (and query) dimension `d`. */
  readonly dim: number;
  /** Value dimension `dv`. */
  readonly valueDim: number;
}

/** Throws unless `t` is an f32 tensor. */
export function assertF32(op: string, name: string, t: Tensor): void {
  if (t.dtype !== 'f32') {
    throw new AttentionShapeError(op, name, `an f32 tensor (got dtype ${t.dtype})`, [t.shape]);
  }
}

/**
 * Checks keys `k: [B, H, N, d]` and values `v: [B, H, N, dv]` and returns their extents.
 * @param kName - name of the key argument in messages (`'k'`, `'kBlock'`...)
 * @param vName - name of the value argument in messages
 */
export function checkKeysValues(op: string, k: Tensor, v: Tensor, kName = 'k', vName = 'v'): SequenceDims {
  assertF32(op, kName, k);
  assertF32(op, vName, v);
  if (k.rank !== 4) throw new AttentionShapeError(op, kName, '[B, H, N, d]', [k.shape, v.shape]);
  const [batch = 0, heads = 0, length = 0, dim = 0] = k.shape;
  if (v.rank !== 4 || v.shape[0] !== batch || v.shape[1] !== heads || v.shape[2] !== length) {
    throw new AttentionShapeError(op, vName, `[B, H, N, dv] = [${batch}, ${heads}, ${length}, dv]`, [
      v.shape,
      k.shape,
    ]);
  }
  return { batch, heads, length, dim, valueDim: v.shape[3]! };
}

/**
 * Checks a query of shape `[H, d]` (one learned query per head, shared by the batch) or `[B, H, d]`.
 */
export function checkQuery(op: string, q: Tensor, batch: number, heads: number, dim: number): void {
  assertF32(op, 'q', q);
  const ok =
    (q.rank === 2 && q.shape[0] === heads && q.shape[1] === dim) ||
    (q.rank === 3 && q.shape[0] === batch && q.shape[1] === heads && q.shape[2] === dim);
  if (!ok) {
    throw new AttentionShapeError(
      op,
      'q',
      `[H, d] = [${heads}, ${dim}] or [B, H, d] = [${batch}, ${heads}, ${dim}]`,
      [q.shape],
    );
  }
}

/** Checks a padding mask of shape `shape` (f32 or i32; nonzero keeps a token, 0 masks it). */
export function checkMask(op: string, name: string, mask: Tensor, shape: readonly number[]): void {
  const ok = mask.rank === shape.length && mask.shape.every((d, i) => d === shape[i]);
  if (!ok) {
    const expected = `[${shape.join(', ')}] (${shape.length === 1 ? '[B]' : '[B, N]'}, 1 keeps a token, 0 masks it)`;
    throw new AttentionShapeError(op, name, expected, [mask.shape]);
  }
}

/** The score scale: `options.scale` when given (finite), else `1/√d`. */
export function resolveScale(op: string, scale: number | undefined, dim: number): number {
  if (scale === undefined) return dim > 0 ? 1 / Math.sqrt(dim) : 1;
  if (!Number.isFinite(scale))
    throw new AttentionOptionError(op, 'options.scale', `must be finite, got ${scale}`);
  return scale;
}

/** Throws unless `value` is a positive integer. */
export function assertPositiveInteger(op: string, option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new AttentionOptionError(op, option, `must be a positive integer, got ${value}`);
  }
}

/** Throws unless `a` and `b` live on the same backend. */
export function assertSameBackend(op: string, tensors: readonly (readonly [string, Tensor])[]): void {
  const first = tensors[0];
  if (!first) return;
  for (const [name, t] of tensors) {
    if (t.backend !== first[1].backend) {
      throw new AttentionOptionError(
        op,
        name,
        `lives on backend '${t.backend.name}' but ${first[0]} lives on '${first[1].backend.name}'; move one first`,
      );
    }
  }
}
