/**
 * Float64 references on plain arrays, for tests (this package's and yours): quadratic causal softmax
 * attention with padding masks and its analytic backward, and the decayed linear-attention recurrence.
 * Quadratic and slow on purpose; never used by the ops themselves.
 * @packageDocumentation
 */
export {
  linearAttentionRecurrence,
  type ReferenceLinearAttentionInput,
  type ReferenceLinearAttentionResult,
} from './linear-attention.js';
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
