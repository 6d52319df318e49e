/**
 * The CPU kernel table: every kernel of the {@link Kernels} contract, each implemented in its own module.
 * The table is stateless and shared by all CPU backend instances.
 * @packageDocumentation
 */
import type { Kernels } from '../../backend.js';
import { attentionScan, attentionScanBackward } from './attention-scan.js';
import { cummax, cumsum } from './cumulative.js';
import { binary, copy, fill, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './gather.js';
import { linearAttention, linearAttentionBackward } from './linear-attention.js';
import { matmul } from './matmul.js';
import { groupNorm, layerNorm, rmsNorm } from './norms.js';
import { argmax, reduce } from './reduce.js';
import { rope } from './rope.js';
import { softmax } from './softmax.js';

/** The CPU implementation of every kernel in {@link Kernels}. */
export const cpuKernels: Kernels = Object.freeze({
  unary,
  binary,
  where,
  fill,
  copy,
  matmul,
  reduce,
  argmax,
  softmax,
  layerNorm,
  rmsNorm,
  groupNorm,
  gather,
  scatterAdd,
  rope,
  cumsum,
  cummax,
  attentionScan,
  attentionScanBackward,
  linearAttention,
  linearAttentionBackward,
});
