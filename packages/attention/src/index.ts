/**
 * `@aaren/attention`: softmax attention as an exact RNN (Aaren: "Attention as an RNN", Feng et al.,
 * arXiv 2405.13956) and decayed linear attention (SUPRA: "Linearizing Large Language Models", Mercat et al.,
 * arXiv 2405.06640), as differentiable ops on `@aaren/core` tensors (any backend).
 *
 * Notation used throughout (one query `q` per head, tokens `(k_i, v_i)`, scores `s_i = q·k_i / √d`): the
 * RNN state after token `k` is `(m_k, u_k, w_k)` with
 * - `m_k = max_{i≤k} s_i`, the running max (`−∞` before the first token),
 * - `u_k = Σ_{i≤k} e^{s_i − m_k} v_i`, the running numerator (a vector; the paper's `a_k` in §3.1),
 * - `w_k = Σ_{i≤k} e^{s_i − m_k}`, the running denominator (the paper's `c_k` in §3.1),
 *
 * and the output is `o_k = u_k / w_k`. States combine with the attention monoid of §3.2 (see
 * `attentionMonoid` in `@aaren/scan`).
 *
 * - Many-to-one RNN: {@link attentionCell} (`init`, `step`, `block`, `readout`).
 * - Many-to-many: {@link attentionScan} (parallel scan), {@link attentionScanBlockwise} (bounded memory),
 *   {@link attentionScanFromScores} (the primitive), {@link quadraticAttention} (the O(N²) oracle).
 * - Linear attention: {@link linearAttention} (recurrent or chunked), {@link linearAttentionWithState},
 *   {@link linearAttentionState} / {@link linearAttentionStep} (decoding), {@link alibiSlopes},
 *   {@link supraDecay}.
 * - {@link reference}: float64 references on plain arrays, for tests.
 * @packageDocumentation
 */
export { type AttentionScanOptions, attentionScan } from './attention-scan.js';
export {
  type AttentionScanBlockwiseOptions,
  type AttentionScanBlockwiseResult,
  attentionScanBlockwise,
  attentionScanBlockwiseWithState,
  DEFAULT_ATTENTION_BLOCK_SIZE,
} from './blockwise.js';
export {
  type AttentionCellBlockOptions,
  type AttentionCellBlockResult,
  type AttentionCellDims,
  type AttentionCellState,
  type AttentionCellStepOptions,
  type AttentionCellStepResult,
  attentionCell,
  blockCell,
  initCellState,
  readoutCellState,
  stepCell,
} from './cell/index.js';
export { AttentionOptionError, AttentionShapeError } from './errors.js';
export { alibiSlopes, type LinearAttentionDecay, supraDecay } from './linear/decay.js';
export { DEFAULT_LINEAR_CHUNK_SIZE, DEFAULT_LINEAR_EPS } from './linear/defaults.js';
export {
  type LinearAttentionOptions,
  type LinearAttentionResult,
  type LinearAttentionWithStateOptions,
  linearAttention,
  linearAttentionWithState,
} from './linear/linear-attention.js';
export {
  type LinearAttentionState,
  type LinearAttentionStateDims,
  type LinearAttentionStepOptions,
  type LinearAttentionStepResult,
  linearAttentionState,
  linearAttentionStep,
} from './linear/step.js';
export { quadraticAttention } from './quadratic-attention.js';
export * as reference from './reference/index.js';
export { attentionScanFromScores } from './scan-primitive.js';
export { type AttentionScoresOptions, attentionScores } from './scores.js';
