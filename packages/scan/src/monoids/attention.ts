/**
 * The attention monoid of Aaren ("Attention as an RNN", Feng et al., arXiv 2405.13956, §3.2): softmax
 * attention of one query over a prefix of tokens as an associative scan.
 *
 * Notation used throughout this package: a state is `(m, u, w)` where
 * - `m` is the running max of the scores `s_i` seen so far,
 * - `u = Σ_i e^{s_i − m} v_i` is the running numerator (a vector of length `dim`),
 * - `w = Σ_i e^{s_i − m}` is the running denominator,
 *
 * and the attention output of the prefix is `u / w`. The paper's RNN form (§3.1) calls the numerator and
 * denominator `a_k` and `c_k`; its scan form (§3.2) uses `(m, u, w)` with `u` the vector numerator, as here.
 * @packageDocumentation
 */
import { ScanError } from '../errors.js';
import type { Monoid } from '../monoid.js';
import type { PackedArray, PackedCodec, PackedMonoid } from '../packed-monoid.js';
import { assertInteger } from '../validate.js';

/** A value-level attention state `(m, u, w)`; see the module docs for the meaning of each field. */
export interface AttentionState {
  /** Running max of the scores; `−Infinity` for the identity (no tokens, or only masked ones). */
  readonly m: number;
  /** Running numerator `Σ e^{s_i − m} v_i`, length `dim`. */
  readonly u: Float64Array;
  /** Running denominator `Σ e^{s_i − m}`. */
  readonly w: number;
}

/**
 * Offsets of the fields inside one packed attention element of width `dim + 2`: `[m, w, u_0 … u_{dim−1}]`.
 * Scalars first so that the vector part is contiguous whatever `dim` is.
 */
export const attentionLayout = Object.freeze({ m: 0, w: 1, u: 2 } as const);

/**
 * Scale factors `(e^{m1−m}, e^{m2−m})` for `m = max(m1, m2)`, written so that they are never NaN:
 * an operand equal to the max gets exactly 1 (this covers `+∞ = +∞`), a smaller one `e^{m_i − m}` (0 for
 * `−∞`). The caller handles `m = −∞` (both operands empty) separately.
 */
function scale(mi: number, m: number): number {
  return mi === m ? 1 : Math.exp(mi - m);
}

/**
 * The attention monoid on `(m, u, w)`:
 *
 * `(m1, u1, w1) ⊕ (m2, u2, w2) = (m, u1·e^{m1−m} + u2·e^{m2−m}, w1·e^{m1−m} + w2·e^{m2−m})`, `m = max(m1, m2)`
 *
 * with identity `(−∞, 0, 0)`. A state with `m = −∞` represents zero weight (`e^{−∞} = 0`), so
 * `(−∞, ·, ·) ⊕ (−∞, ·, ·)` returns the identity instead of computing `e^{−∞ − (−∞)} = NaN`; identity laws
 * hold exactly. Commutative, and associative up to rounding (relative error of a few ulps of `w` and of
 * `Σ |e^{s_i−m} v_i|`). The exponentials are always `≤ 1`, so scores of any magnitude (±1e4, ±1e30) neither
 * overflow nor underflow to a 0/0 output.
 *
 * @param dim - length of the value vectors `u` (positive integer)
 *
 * @example
 * ```ts
 * const states = scanSequential(attentionMonoid(1), attentionFromScores([0, 3, -1, 5], [[1], [2], [3], [4]]));
 * states.map((s) => attentionReadout(s)[0]); // ≈ [1, 1.95, 1.97, 3.74]
 * ```
 */
export function attentionMonoid(dim: number): Monoid<AttentionState> {
  assertInteger('attentionMonoid', 'dim', dim, 1);
  const name = `attention(${dim})`;
  const identity = (): AttentionState => ({ m: Number.NEGATIVE_INFINITY, u: new Float64Array(dim), w: 0 });
  return Object.freeze({
    name,
    identity,
    combine(earlier: AttentionState, later: AttentionState): AttentionState {
      if (earlier.u.length !== dim || later.u.length !== dim) {
        throw new ScanError(
          name,
          'combine',
          `expects u of length ${dim}, got lengths ${earlier.u.length} and ${later.u.length}`,
        );
      }
      const m = Math.max(earlier.m, later.m);
      if (m === Number.NEGATIVE_INFINITY) return identity();
      const s1 = scale(earlier.m, m);
      const s2 = scale(later.m, m);
      const u = new Float64Array(dim);
      for (let k = 0; k < dim; k++) u[k] = earlier.u[k]! * s1 + later.u[k]! * s2;
      return { m, u, w: earlier.w * s1 + later.w * s2 };
    },
  });
}

/**
 * Packed form of {@link attentionMonoid}: width `dim + 2`, layout `[m, w, u_0 … u_{dim−1}]`
 * (see {@link attentionLayout}). Identity `[−∞, 0, 0 … 0]`.
 *
 * @param dim - length of the value vectors (positive integer)
 */
export function packedAttentionMonoid(dim: number): PackedMonoid {
  assertInteger('packedAttentionMonoid', 'dim', dim, 1);
  const width = dim + 2;
  const monoid: PackedMonoid = {
    name: `attention(${dim})`,
    width,
    setIdentity(out, o) {
      out[o] = Number.NEGATIVE_INFINITY;
      out.fill(0, o + 1, o + width);
    },
    combine(a, ao, b, bo, out, oo) {
      const m1 = a[ao]!;
      const m2 = b[bo]!;
      const m = Math.max(m1, m2);
      if (m === Number.NEGATIVE_INFINITY) {
        out[oo] = m;
        out.fill(0, oo + 1, oo + width);
        return;
      }
      const s1 = scale(m1, m);
      const s2 = scale(m2, m);
      out[oo] = m;
      for (let k = 1; k < width; k++) out[oo + k] = a[ao + k]! * s1 + b[bo + k]! * s2;
    },
  };
  return Object.freeze(monoid);
}

/** Codec between {@link AttentionState} and the packed layout `[m, w, u_0 … u_{dim−1}]`. */
export function attentionCodec(dim: number): PackedCodec<AttentionState> {
  assertInteger('attentionCodec', 'dim', dim, 1);
  return Object.freeze({
    width: dim + 2,
    write(value: AttentionState, out: PackedArray, offset: number) {
      if (value.u.length !== dim) {
        throw new ScanError('attentionCodec', 'value.u', `has length ${value.u.length}, expected ${dim}`);
      }
      out[offset] = value.m;
      out[offset + 1] = value.w;
      out.set(value.u, offset + 2);
    },
    read(data: PackedArray, offset: number): AttentionState {
      return {
        m: data[offset]!,
        w: data[offset + 1]!,
        u: Float64Array.from(data.subarray(offset + 2, offset + 2 + dim)),
      };
    },
  });
}

/**
 * The leaf state of one token with score `s` and value `v`: `(m, u, w) = (s, v, 1)`, i.e. `e^{s−s}·v` and
 * `e^{s−s}`. A score of `−Infinity` (a masked token) gives the identity. NaN scores are rejected.
 */
export function attentionLeaf(score: number, value: ArrayLike<number>): AttentionState {
  if (Number.isNaN(score)) throw new ScanError('attentionLeaf', 'score', 'must not be NaN');
  if (value.length === 0) throw new ScanError('attentionLeaf', 'value', 'must have length >= 1, got 0');
  if (score === Number.NEGATIVE_INFINITY) {
    return { m: score, u: new Float64Array(value.length), w: 0 };
  }
  return { m: score, u: Float64Array.from(value), w: 1 };
}

/**
 * Leaf states for tokens with scores `s_i` (e.g. `q·k_i / √d`) and value vectors `v_i`; scanning them with
 * {@link attentionMonoid} gives softmax attention over every prefix.
 *
 * @param scores - one score per token
 * @param values - one value vector per token, all of the same length
 */
export function attentionFromScores(
  scores: ArrayLike<number>,
  values: readonly ArrayLike<number>[],
): AttentionState[] {
  if (scores.length !== values.length) {
    throw new ScanError(
      'attentionFromScores',
      'values',
      `has ${values.length} vectors but there are ${scores.length} scores`,
    );
  }
  const dim = values[0]?.length ?? 0;
  const states: AttentionState[] = [];
  for (let i = 0; i < scores.length; i++) {
    const v = values[i]!;
    if (v.length !== dim) {
      throw new ScanError('attentionFromScores', `values[${i}]`, `has length ${v.length}, expected ${dim}`);
    }
    states.push(attentionLeaf(scores[i]!, v));
  }
  return states;
}

/**
 * Packed leaves `[s_i, 1, v_i…]` (width `dim + 2`) for `n` tokens, written contiguously into a new
 * `Float64Array` or into `out`. `−Infinity` scores give identity elements; NaN scores are rejected.
 *
 * @param scores - `n` scores
 * @param values - `n × dim` values, row-major
 * @param dim - value dimension
 * @param out - optional destination with at least `n × (dim + 2)` entries
 */
export function packedAttentionFromScores(
  scores: ArrayLike<number>,
  values: ArrayLike<number>,
  dim: number,
  out?: PackedArray,
): PackedArray {
  assertInteger('packedAttentionFromScores', 'dim', dim, 1);
  const n = scores.length;
  if (values.length !== n * dim) {
    throw new ScanError(
      'packedAttentionFromScores',
      'values',
      `has length ${values.length} but ${n} scores × dim ${dim} need ${n * dim}`,
    );
  }
  const width = dim + 2;
  const target = out ?? new Float64Array(n * width);
  if (target.length < n * width) {
    throw new ScanError('packedAttentionFromScores', 'out', `has length ${target.length}, need ${n * width}`);
  }
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) throw new ScanError('packedAttentionFromScores', `scores[${i}]`, 'must not be NaN');
    const o = i * width;
    const masked = s === Number.NEGATIVE_INFINITY;
    target[o] = s;
    target[o + 1] = masked ? 0 : 1;
    for (let k = 0; k < dim; k++) target[o + 2 + k] = masked ? 0 : values[i * dim + k]!;
  }
  return target;
}

/**
 * The attention output `u / w` of a state. The identity (no unmasked tokens, `w = 0`) reads out as zeros
 * rather than `0/0 = NaN`.
 */
export function attentionReadout(state: AttentionState): Float64Array {
  const out = new Float64Array(state.u.length);
  if (state.w === 0) return out;
  for (let k = 0; k < out.length; k++) out[k] = state.u[k]! / state.w;
  return out;
}
