/**
 * Per-head decays of linear attention: ALiBi slopes (Press et al., "Train Short, Test Long", 2022) and the
 * SUPRA decay `γ_h = e^{−slope_h}` (arXiv 2405.06640), plus the conversion of user decays to a tensor.
 * @packageDocumentation
 */
import { type Backend, type Tensor, tensor } from '@aaren/core';
import { AttentionOptionError, AttentionShapeError } from '../errors.js';
import { assertPositiveInteger } from '../shapes.js';

/** A per-head decay `γ`: a tensor `[H]`, one number per head, or one number for every head. */
export type LinearAttentionDecay = Tensor | readonly number[] | Float32Array | Float64Array | number;

function powerOfTwoSlopes(n: number): number[] {
  // 2^{−8i/n} for i = 1..n: start = ratio = 2^{−8/n}.
  const start = 2 ** (-8 / n);
  return Array.from({ length: n }, (_, i) => start ** (i + 1));
}

/**
 * The ALiBi head slopes of Press et al. (2022): for a power of two `H`, `slope_i = 2^{−8i/H}` for
 * `i = 1..H`; otherwise the slopes of the largest power of two `P < H`, followed by every other slope of
 * `2P` heads (`slopes(2P)[0::2]`) up to `H` in all, exactly as the reference implementation does.
 *
 * @example
 * ```ts
 * alibiSlopes(8); // [0.5, 0.25, 0.125, …, 2^-8]
 * ```
 */
export function alibiSlopes(heads: number): number[] {
  assertPositiveInteger('alibiSlopes', 'heads', heads);
  const closest = 2 ** Math.floor(Math.log2(heads));
  if (closest === heads) return powerOfTwoSlopes(heads);
  const extra = alibiSlopes(2 * closest).filter((_, i) => i % 2 === 0);
  return [...powerOfTwoSlopes(closest), ...extra.slice(0, heads - closest)];
}

/**
 * SUPRA's fixed per-head decay (Mercat et al., arXiv 2405.06640): `γ_h = e^{−slope_h}` with the ALiBi slopes
 * of {@link alibiSlopes}, so that `γ_h^{t−i} = e^{−slope_h (t−i)}` is ALiBi's linear bias in the exponent.
 */
export function supraDecay(heads: number): number[] {
  return alibiSlopes(heads).map((s) => Math.exp(-s));
}

/**
 * `decay` as an f32 tensor `[H]` on `backend`. Numbers must lie in `[0, 1]`; a tensor must be `[H]` (its values
 * are not checked).
 * @internal
 */
export function decayTensor(
  op: string,
  backend: Backend,
  decay: LinearAttentionDecay,
  heads: number,
): Tensor {
  if (typeof decay === 'number' || !('shape' in decay)) {
    const values = typeof decay === 'number' ? new Array<number>(heads).fill(decay) : Array.from(decay);
    if (values.length !== heads) {
      throw new AttentionOptionError(
        op,
        'decay',
        `has ${values.length} entries but there are ${heads} heads`,
      );
    }
    values.forEach((g, h) => {
      if (!(g >= 0 && g <= 1))
        throw new AttentionOptionError(op, `decay[${h}]`, `must lie in [0, 1], got ${g}`);
    });
    return tensor(backend, Float32Array.from(values), [heads]);
  }
  if (decay.rank !== 1 || decay.shape[0] !== heads || decay.dtype !== 'f32') {
    throw new AttentionShapeError(op, 'decay', `an f32 tensor [H] = [${heads}]`, [decay.shape]);
  }
  if (decay.backend !== backend) {
    throw new AttentionOptionError(
      op,
      'decay',
      `lives on backend '${decay.backend.name}', not '${backend.name}'`,
    );
  }
  return decay;
}
