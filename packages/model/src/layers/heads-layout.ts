/**
 * Moving between the token layout `[B, N, d_model]` and the multi-head layout `[B, H, N, d_head]`.
 * @packageDocumentation
 */
import { reshape, type Tensor, transpose } from '@aaren/core';

/** `[B, N, H·dh]` → `[B, H, N, dh]` (a view; kernels that need contiguous input copy it). */
export function splitHeads(x: Tensor, heads: number): Tensor {
  const [b = 0, n = 0, d = 0] = x.shape;
  return transpose(reshape(x, [b, n, heads, d / heads]), [0, 2, 1, 3]);
}

/** `[B, H, N, dh]` → `[B, N, H·dh]`. */
export function mergeHeads(x: Tensor): Tensor {
  const [b = 0, h = 0, n = 0, dh = 0] = x.shape;
  return reshape(transpose(x, [0, 2, 1, 3]), [b, n, h * dh]);
}
