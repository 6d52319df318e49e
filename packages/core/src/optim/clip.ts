/**
 * Gradient clipping by global L2 norm, as `torch.nn.utils.clip_grad_norm_`, kept entirely on the device.
 * @packageDocumentation
 */
import { noGrad } from '../autograd.js';
import { BackendMismatchError, DTypeError, InvalidArgumentError } from '../errors.js';
import { add, div, minimum, mul, sqrt, square } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { type Tensor, tidy } from '../tensor.js';

/** Result of {@link clipGradNorm}. */
export interface ClipGradNormResult {
  /** The clipped gradients: new tensors (owned by the caller), `null` where the input was `null`. */
  readonly grads: (Tensor | null)[];
  /**
   * The global L2 norm of the gradients before clipping, as a scalar f32 tensor on their backend (owned by
   * the caller). Read it with `await totalNorm.item()` only when you need the number (e.g. for logging):
   * that read waits for the device.
   */
  readonly totalNorm: Tensor;
}

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm`, as `torch.nn.utils.clip_grad_norm_`:
 * `norm = √(Σᵢ ‖gᵢ‖²)` over all gradients together, `scale = min(1, maxNorm / (norm + 1e-6))`, and every
 * gradient is multiplied by `scale` (also when it is 1).
 *
 * Design: the norm and the scale stay tensors on the device, so clipping needs no read-back and no `await`,
 * and a training step stays synchronous (it can run inside `tidy`). The norm is returned as a tensor; read
 * it only when needed (`await totalNorm.item()`, or `totalNorm.dataSync()` on backends with host memory).
 * The inputs are not modified or disposed. Runs under `noGrad`.
 * The squares are summed in f32, so gradients with elements above ~1e19 overflow the norm to +∞; the scale
 * is then 0.
 * @param grads - Gradients, e.g. from `gradients()`; `null` entries are skipped and passed through.
 * @param maxNorm - Largest allowed norm (≥ 0; `Infinity` disables clipping but still measures the norm).
 * @throws {@link InvalidArgumentError} when `maxNorm` is negative or NaN, or no gradient is given;
 * {@link DTypeError} for non-f32 gradients; {@link BackendMismatchError} when they live on different backends.
 * @example
 * ```ts
 * tidy(() => {
 *   const { grads } = clipGradNorm(gradients(loss(), params), 1.0);
 *   opt.step(grads);
 * });
 * ```
 */
export function clipGradNorm(
  grads: readonly (Tensor | null | undefined)[],
  maxNorm: number,
): ClipGradNormResult {
  const op = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) {
    throw new InvalidArgumentError(op, `maxNorm must be ≥ 0, got ${maxNorm}`);
  }
  const present = grads.filter((g): g is Tensor => g != null);
  const first = present[0];
  if (!first) throw new InvalidArgumentError(op, 'no gradients were given (all are null)');
  for (const g of present) {
    g.storage(op);
    if (g.dtype !== 'f32') throw new DTypeError(op, `gradients must be f32, got ${g.dtype}`);
    if (g.backend !== first.backend) throw new BackendMismatchError(op, first.backend.name, g.backend.name);
  }
  return noGrad(() =>
    tidy(() => {
      let total = sum(square(first));
      for (const g of present.slice(1)) total = add(total, sum(square(g)));
      const totalNorm = sqrt(total);
      const scale = minimum(div(maxNorm, add(totalNorm, 1e-6)), 1);
      return { grads: grads.map((g) => (g ? mul(g, scale) : null)), totalNorm };
    }),
  );
}
