/**
 * Rotary position embedding: rotates pairs of features of `x: [rows, T, D]` by per-position angles given
 * as `cos`/`sin` tables `[T, D/2]`.
 * @packageDocumentation
 */
import type { RopeOptions, TensorView } from '../../backend.js';
import { InvalidArgumentError } from '../../errors.js';
import { arrayOf } from '../buffer.js';

/**
 * RoPE of `x: [rows, T, D]` into `out` (same shape; may be the same memory as `x`). Pair j of position t
 * `(x₁, x₂)` becomes `(x₁ cos θ − x₂ sin θ, x₁ sin θ + x₂ cos θ)` with `θ = θ_{t,j}` (or −θ when
 * `inverse`). Pairs are `(j, j + D/2)`, or `(2j, 2j + 1)` when `interleaved`.
 * @throws {@link InvalidArgumentError} when `D` is odd.
 */
export function rope(
  x: TensorView,
  cos: TensorView,
  sin: TensorView,
  out: TensorView,
  options: RopeOptions,
): void {
  const [rows = 0, T = 0, D = 0] = x.shape;
  if (D % 2 !== 0) throw new InvalidArgumentError('rope', `the feature extent D = ${D} must be even`);
  if (rows === 0 || T === 0 || D === 0) return;
  const xd = arrayOf(x);
  const od = arrayOf(out);
  const cd = arrayOf(cos);
  const sd = arrayOf(sin);
  const half = D / 2;
  const sign = options.inverse ? -1 : 1;
  // Offset between the two members of a pair, and step between consecutive pairs.
  const partner = options.interleaved ? 1 : half;
  const pairStep = options.interleaved ? 2 : 1;
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < T; t++) {
      const xi = x.offset + (r * T + t) * D;
      const oi = out.offset + (r * T + t) * D;
      const ci = cos.offset + t * half;
      const si = sin.offset + t * half;
      for (let j = 0; j < half; j++) {
        const c = cd[ci + j]!;
        const s = sign * sd[si + j]!;
        const p = j * pairStep;
        const x1 = xd[xi + p]!;
        const x2 = xd[xi + p + partner]!;
        od[oi + p] = x1 * c - x2 * s;
        od[oi + p + partner] = x1 * s + x2 * c;
      }
    }
  }
}
