/**
 * Sequence pooling for per-sequence heads: the last (unmasked) token, or the mean over unmasked tokens.
 * @packageDocumentation
 */
import {
  cast,
  concat,
  div,
  maximum,
  mul,
  notEqual,
  reshape,
  slice,
  sub,
  sum,
  type Tensor,
  zeros,
} from '@aaren/core';

/** How a per-sequence head reads the encoder's outputs. */
export type Pooling = 'last' | 'mean';

/** `mask` as f32 ones and zeros `[B, N]`. */
export function maskAsFloat(mask: Tensor): Tensor {
  return cast(notEqual(mask, 0), 'f32');
}

/**
 * The output at each sequence's last unmasked position, `h: [B, N, d]` → `[B, d]`. Without a mask, the last
 * position. With a right-padded mask (ones then zeros), the last one; computed on the device as
 * `Σ_n h[n]·(mask[n] − mask[n+1])`, so it needs no read-back.
 */
export function lastToken(h: Tensor, mask?: Tensor | null): Tensor {
  const [b = 0, n = 0, d = 0] = h.shape;
  if (!mask) return reshape(slice(h, [0, n - 1, 0], [b, 1, d]), [b, d]);
  const m = maskAsFloat(mask);
  const next = concat([slice(m, [0, 1], [b, n - 1]), zeros(h.backend, [b, 1])], 1);
  const pick = maximum(sub(m, next), 0);
  return sum(mul(h, reshape(pick, [b, n, 1])), 1);
}

/** Mean of `h: [B, N, d]` over the unmasked positions → `[B, d]`. */
export function meanPool(h: Tensor, mask?: Tensor | null): Tensor {
  const [b = 0, n = 0] = h.shape;
  if (!mask) return div(sum(h, 1), n);
  const m = reshape(maskAsFloat(mask), [b, n, 1]);
  return div(sum(mul(h, m), 1), maximum(sum(m, 1), 1));
}
