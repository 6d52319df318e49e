/**
 * Float64 references on plain arrays, for tests (this package's and yours): quadratic causal softmax
 * attention with padding masks and its analytic backward, the same outputs through the attention monoid of
 * `@aaren/scan`, and the decayed linear-attention recurrence. Written for clarity, not speed; never used by
 * the ops themselves.
 * @packageDocumentation
 */

export {
  linearAttentionRecurrence,
  type ReferenceLinearAttentionInput,
  type ReferenceLinearAttentionResult,
} from './linear-attention.js';
export { attentionScanMonoid, type MonoidScanAlgorithm, type MonoidScanOptions } from './monoid-scan.js';
export {
  causalAttention,
  causalAttentionBackward,
  causalAttentionFromScores,
  causalAttentionFromScoresBackward,
  prefixAttention,
  type ReferenceAttentionGradients,
  type ReferenceAttentionInput,
  referenceScores,
} from './softmax-attention.js';
