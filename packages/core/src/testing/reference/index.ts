/**
 * Float64 reference implementations of every kernel: the oracle of the conformance suite. Written as plain
 * index loops over logical row-major arrays, for clarity rather than speed.
 * @packageDocumentation
 */
export {
  type AttentionScanResult,
  attentionScanBackwardReference,
  attentionScanReference,
} from './attention-scan.js';
export { cumulativeReference } from './cumulative.js';
export {
  binaryReference,
  convertReference,
  erfReference,
  sigmoidReference,
  unaryReference,
  whereReference,
} from './elementwise.js';
export { gatherReference, ropeReference, scatterAddReference } from './indexing.js';
export {
  type LinearAttentionProblem,
  linearAttentionBackwardReference,
  linearAttentionReference,
} from './linear-attention.js';
export { type MatmulProblem, matmulReference } from './matmul.js';
export { groupNormReference, layerNormReference, rmsNormReference } from './norm.js';
export { argmaxReference, reduceReference } from './reduce.js';
export { softmaxReference } from './softmax.js';
