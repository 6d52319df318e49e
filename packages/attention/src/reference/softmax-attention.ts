/**
 * Float64 reference of causal softmax attention with padding masks, on plain arrays: quadratic, written
 * for clarity rather than speed, with its analytic backward. The oracle of this package's tests.
 * @packageDocumentation
 */

/** A softmax-attention problem on flat row-major arrays (read as float64). */
export interface ReferenceAttentionInput {
  /** Batch size `B`. */
  readonly batch: number;
  /** Heads `H`. */
  readonly heads: number;
  /** Sequence length `N`. */
  readonly length: number;
  /** Key dimension `d`. */
  readonly dim: number;
  /** Value dimension `dv`. */
  readonly valueDim: number;
  /** Query `[H, d]` (shared by the batch) or `[B, H, d]`, told apart by length. */
  readonly q: ArrayLike<number>;
  /** Keys `[B, H, N, d]`. */
  readonly k: ArrayLike<number>;
  /** Values `[B, H, N, dv]`. */
  readonly v: ArrayLike<number>;
  /** Padding mask `[B, N]`: nonzero keeps a token. Default: keep all. */
  readonly mask?: ArrayLike<number> | null;
  /** Score multiplier; default `1/√d`. */
  readonly scale?: number;
}

/** Gradients of a loss with respect to the inputs of {@link causalAttention}, in the inputs' layouts. */
export interface ReferenceAttentionGradients {
  /** `∂L/∂q`, same layout as `input.q`. */
  readonly q: Float64Array;
  /** `∂L/∂k`, `[B, H, N, d]`. */
  readonly k: Float64Array;
  /** `∂L/∂v`, `[B, H, N, dv]`. */
  readonly v: Float64Array;
}

function scaleOf(input: ReferenceAttentionInput): number {
  return input.scale ?? 1 / Math.sqrt(input.dim);
}

function queryOffset(input: ReferenceAttentionInput, b: number, h: number): number {
  const shared = input.q.length === input.heads * input.dim;
  return ((shared ? 0 : b * input.heads) + h) * input.dim;
}

/** Scores `s[b, h, i] = q·k_i · scale` (`−∞` where masked), `[B, H, N]`. */
export function referenceScores(input: ReferenceAttentionInput): Float64Array {
  const { batch, heads, length: n, dim } = input;
  const scale = scaleOf(input);
  const out = new Float64Array(batch * heads * n);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const qo = queryOffset(input, b, h);
      for (let i = 0; i < n; i++) {
        const row = (b * heads + h) * n + i;
        if (input.mask && input.mask[b * n + i] === 0) {
          out[row] = Number.NEGATIVE_INFINITY;
          continue;
        }
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += input.q[qo + j]! * input.k[row * dim + j]!;
        out[row] = dot * scale;
      }
    }
  }
  return out;
}

/**
 * Softmax attention of tokens `0..end` of one row: `Σ_{i≤end} softmax(s)_i v_i`, two passes (max, then
 * weights). `scores` holds the row's `N` scores from `scoreOffset`, `values` its `N × dim` values from
 * `valueOffset`. An all-masked prefix gives 0s.
 */
export function prefixAttention(
  scores: ArrayLike<number>,
  values: ArrayLike<number>,
  dim: number,
  end: number,
  scoreOffset = 0,
  valueOffset = 0,
): Float64Array {
  const out = new Float64Array(dim);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= end; i++) max = Math.max(max, scores[scoreOffset + i]!);
  if (max === Number.NEGATIVE_INFINITY) return out;
  let total = 0;
  for (let i = 0; i <= end; i++) {
    const p = Math.exp(scores[scoreOffset + i]! - max);
    total += p;
    for (let j = 0; j < dim; j++) out[j]! += p * values[valueOffset + i * dim + j]!;
  }
  for (let j = 0; j < dim; j++) out[j]! /= total;
  return out;
}

/**
 * Every prefix output of `rows` independent rows: `out[r, k] = Σ_{i≤k} softmax(s_{r, 0..k})_i v_{r, i}` for
 * `scores: [rows, n]` and `values: [rows, n, dim]`. O(rows·n²·dim).
 */
export function causalAttentionFromScores(
  scores: ArrayLike<number>,
  values: ArrayLike<number>,
  rows: number,
  n: number,
  dim: number,
): Float64Array {
  const out = new Float64Array(rows * n * dim);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < n; k++)
      out.set(prefixAttention(scores, values, dim, k, r * n, r * n * dim), (r * n + k) * dim);
  }
  return out;
}

/** Quadratic causal softmax attention with padding mask: `[B, H, N, dv]` (see {@link ReferenceAttentionInput}). */
export function causalAttention(input: ReferenceAttentionInput): Float64Array {
  const { batch, heads, length, valueDim } = input;
  return causalAttentionFromScores(referenceScores(input), input.v, batch * heads, length, valueDim);
}

/**
 * Backward of {@link causalAttentionFromScores} by the textbook formulas (O(n²·dim) per row): with
 * `P[k, i]` the softmax weights of prefix `k`, `∂L/∂v_i = Σ_{k≥i} P[k, i] g_k` and
 * `∂L/∂s_i = Σ_{k≥i} P[k, i] (g_k·v_i − g_k·o_k)`. Masked tokens get 0.
 */
export function causalAttentionFromScoresBackward(
  scores: ArrayLike<number>,
  values: ArrayLike<number>,
  gradOut: ArrayLike<number>,
  rows: number,
  n: number,
  dim: number,
): { scores: Float64Array; values: Float64Array } {
  const gs = new Float64Array(rows * n);
  const gv = new Float64Array(rows * n * dim);
  const p = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < n; k++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i <= k; i++) max = Math.max(max, scores[r * n + i]!);
      if (max === Number.NEGATIVE_INFINITY) continue;
      let total = 0;
      for (let i = 0; i <= k; i++) total += p[i] = Math.exp(scores[r * n + i]! - max);
      const go = (r * n + k) * dim;
      let gDotO = 0;
      const o = prefixAttention(scores, values, dim, k, r * n, r * n * dim);
      for (let j = 0; j < dim; j++) gDotO += gradOut[go + j]! * o[j]!;
      for (let i = 0; i <= k; i++) {
        const weight = p[i]! / total;
        if (weight === 0) continue;
        const vi = (r * n + i) * dim;
        let gDotV = 0;
        for (let j = 0; j < dim; j++) {
          gDotV += gradOut[go + j]! * values[vi + j]!;
          gv[vi + j]! += weight * gradOut[go + j]!;
        }
        gs[r * n + i]! += weight * (gDotV - gDotO);
      }
    }
  }
  return { scores: gs, values: gv };
}

/**
 * Gradients of `L = Σ gradOut ⊙ causalAttention(input)` with respect to `q`, `k` and `v`, through
 * {@link causalAttentionFromScoresBackward} and the chain rule of the scores
 * (`∂L/∂q = scale Σ_i ∂L/∂s_i k_i`, `∂L/∂k_i = scale ∂L/∂s_i q`).
 */
export function causalAttentionBackward(
  input: ReferenceAttentionInput,
  gradOut: ArrayLike<number>,
): ReferenceAttentionGradients {
  const { batch, heads, length: n, dim, valueDim } = input;
  const scale = scaleOf(input);
  const grads = causalAttentionFromScoresBackward(
    referenceScores(input),
    input.v,
    gradOut,
    batch * heads,
    n,
    valueDim,
  );
  const gq = new Float64Array(input.q.length);
  const gk = new Float64Array(batch * heads * n * dim);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const qo = queryOffset(input, b, h);
      for (let i = 0; i < n; i++) {
        const row = (b * heads + h) * n + i;
        const gs = grads.scores[row]! * scale;
        if (gs === 0) continue;
        for (let j = 0; j < dim; j++) {
          gq[qo + j]! += gs * input.k[row * dim + j]!;
          gk[row * dim + j] = gs * input.q[qo + j]!;
        }
      }
    }
  }
  return { q: gq, k: gk, v: grads.values };
}
