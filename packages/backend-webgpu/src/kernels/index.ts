/**
 * The kernel table of the WebGPU backend: every kernel of the `Kernels` contract, bound to one context.
 * @packageDocumentation
 */
import type { Kernels } from '@aaren/core';
import type { GpuContext } from '../runtime/context.js';
import { binary, copy, fill, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './gather.js';
import { linearAttention, linearAttentionBackward } from './linear-attention/linear-attention.js';
import { matmul } from './matmul.js';
import { groupNorm, layerNorm, rmsNorm } from './norms.js';
import { argmax, reduce } from './reduce.js';
import { rope } from './rope.js';
import { attentionScan, attentionScanBackward } from './scan/attention-scan.js';
import { cumulative } from './scan/cumulative.js';
import { softmax } from './softmax.js';

/** Every contract kernel running on `ctx`. */
export function createKernels(ctx: GpuContext): Kernels {
  return Object.freeze({
    unary: (op, x, out) => unary(ctx, op, x, out),
    binary: (op, a, b, out) => binary(ctx, op, a, b, out),
    where: (cond, a, b, out) => where(ctx, cond, a, b, out),
    fill: (out, value) => fill(ctx, out, value),
    copy: (x, out) => copy(ctx, x, out),
    matmul: (a, b, out, options) => matmul(ctx, a, b, out, options),
    reduce: (op, x, out) => reduce(ctx, op, x, out),
    argmax: (x, out) => argmax(ctx, x, out),
    softmax: (x, out, log) => softmax(ctx, x, out, log),
    layerNorm: (x, gamma, beta, eps, out) => layerNorm(ctx, x, gamma, beta, eps, out),
    rmsNorm: (x, gamma, eps, out) => rmsNorm(ctx, x, gamma, eps, out),
    groupNorm: (x, groups, gamma, beta, eps, out) => groupNorm(ctx, x, groups, gamma, beta, eps, out),
    gather: (table, indices, out) => gather(ctx, table, indices, out),
    scatterAdd: (indices, src, out) => scatterAdd(ctx, indices, src, out),
    rope: (x, cos, sin, out, options) => rope(ctx, x, cos, sin, out, options),
    cumsum: (x, out, options) => cumulative(ctx, 'sum', x, out, options),
    cummax: (x, out, options) => cumulative(ctx, 'max', x, out, options),
    attentionScan: (scores, values, out, maxOut, denomOut) =>
      attentionScan(ctx, scores, values, out, maxOut, denomOut),
    attentionScanBackward: (scores, values, out, maxOut, denomOut, gradOut, gradScores, gradValues) =>
      attentionScanBackward(ctx, scores, values, out, maxOut, denomOut, gradOut, gradScores, gradValues),
    linearAttention: (q, k, v, decay, initialState, out, finalState) =>
      linearAttention(ctx, q, k, v, decay, initialState, out, finalState),
    linearAttentionBackward: (q, k, v, decay, gradOut, gradQ, gradK, gradV) =>
      linearAttentionBackward(ctx, q, k, v, decay, gradOut, gradQ, gradK, gradV),
  } satisfies Kernels);
}
