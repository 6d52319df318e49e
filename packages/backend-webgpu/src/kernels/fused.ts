/**
 * Kernels beyond the contract, on `backend.fused`: the fused Aaren attention scan that computes its scores
 * from a query and the keys inside the scan kernel (and its backward), the linear-attention decoding step,
 * and the linear recurrence scan.
 * @packageDocumentation
 */
import { contiguousStrides, DTypeError, ShapeError, type TensorView } from '@aaren/core';
import type { GpuContext } from '../runtime/context.js';
import { copy, scale } from './elementwise.js';
import { type LinearAttentionStepArgs, linearAttentionStep } from './linear-attention/step.js';
import { matmul } from './matmul.js';
import {
  type AttentionScanFusedArgs,
  attentionScanBackward,
  attentionScanFused,
} from './scan/attention-scan.js';
import { type LinearRecurrenceArgs, linearRecurrence } from './scan/linear-recurrence.js';

export type { LinearAttentionStepArgs } from './linear-attention/step.js';
export type { AttentionScanFusedArgs } from './scan/attention-scan.js';
export type { LinearRecurrenceArgs } from './scan/linear-recurrence.js';

/** Arguments of {@link WebGPUFusedKernels.attentionScanFusedBackward}. */
export interface AttentionScanFusedBackwardArgs {
  /** The forward's query `[R, Dk]`. */
  readonly q: TensorView;
  /** The forward's keys `[R, N, Dk]`. */
  readonly keys: TensorView;
  /** The forward's values `[R, N, D]`. */
  readonly values: TensorView;
  /** The forward's score scale. */
  readonly scale: number;
  /** The forward's `scoresOut` `[R, N]`. */
  readonly scores: TensorView;
  /** The forward's `out` `[R, N, D]`. */
  readonly out: TensorView;
  /** The forward's `maxOut` `[R, N]`. */
  readonly maxOut: TensorView;
  /** The forward's `denomOut` `[R, N]`. */
  readonly denomOut: TensorView;
  /** `[R, N, D]`: gradient of the loss with respect to `out`. */
  readonly gradOut: TensorView;
  /** `[R, Dk]`: receives the gradient for each row's query (sum rows that share a query yourself). */
  readonly gradQ: TensorView;
  /** `[R, N, Dk]`: receives the gradient for the keys. */
  readonly gradKeys: TensorView;
  /** `[R, N, D]`: receives the gradient for the values. */
  readonly gradValues: TensorView;
}

/** Kernels of the WebGPU backend beyond the `Kernels` contract (views as in the contract). */
export interface WebGPUFusedKernels {
  /**
   * Aaren attention of a query against every prefix of keys and values, with the scores
   * `s_i = scale · q·k_i` computed inside the scan kernel (a prologue per tile) instead of being materialised
   * first; writes the scores too, for the backward pass. No masking.
   */
  attentionScanFused(args: AttentionScanFusedArgs): void;
  /**
   * Backward of {@link WebGPUFusedKernels.attentionScanFused}: the attention-scan backward for the score and
   * value gradients, then `∂L/∂q = scale Σ_i (∂L/∂s_i) k_i` and `∂L/∂k_i = scale (∂L/∂s_i) q` as batched
   * matrix products.
   */
  attentionScanFusedBackward(args: AttentionScanFusedBackwardArgs): void;
  /** One step of decayed linear attention for decoding, the state updated in place. */
  linearAttentionStep(args: LinearAttentionStepArgs): void;
  /**
   * Every state of the linear recurrence `h_t = a_t h_{t−1} + b_t` along the middle axis of `b: [outer, n,
   * inner]`, with one decay `a: [outer, n]` per position — a scan of the `(a, b)` monoid.
   */
  linearRecurrence(args: LinearRecurrenceArgs): void;
}

function view(
  buffer: TensorView['buffer'],
  shape: number[],
  strides = contiguousStrides(shape),
  offset = 0,
): TensorView {
  return { buffer, dtype: buffer.dtype, shape, strides, offset };
}

/** The fused kernels running on `ctx`. */
export function createFusedKernels(
  ctx: GpuContext,
  alloc: (size: number) => TensorView['buffer'],
  free: (b: TensorView['buffer']) => void,
): WebGPUFusedKernels {
  return {
    attentionScanFused: (args) => attentionScanFused(ctx, args),
    attentionScanFusedBackward(args) {
      const op = 'attentionScanFusedBackward';
      const [R = 0, N = 0] = args.scores.shape;
      const Dk = args.q.shape[1] ?? 0;
      if (args.gradQ.shape.join() !== [R, Dk].join() || args.gradKeys.shape.join() !== [R, N, Dk].join()) {
        throw new ShapeError(op, 'gradQ must be [R, Dk] and gradKeys [R, N, Dk]', [
          args.gradQ.shape,
          args.gradKeys.shape,
        ]);
      }
      if (args.q.dtype !== 'f32') throw new DTypeError(op, 'f32 tensors only');
      if (R === 0) return;
      const temps: TensorView['buffer'][] = [];
      try {
        const gsBuffer = alloc(R * N);
        temps.push(gsBuffer);
        const gs = view(gsBuffer, [R, N]);
        attentionScanBackward(
          ctx,
          args.scores,
          args.values,
          args.out,
          args.maxOut,
          args.denomOut,
          args.gradOut,
          gs,
          args.gradValues,
        );
        scale(ctx, gs, args.scale, gs);
        let q = args.q;
        if (Dk > 1 && q.strides[1] !== 1) {
          const qBuffer = alloc(R * Dk);
          temps.push(qBuffer);
          const dense = view(qBuffer, [R, Dk]);
          copy(ctx, q, dense);
          q = dense;
        }
        const noT = { transposeA: false, transposeB: false };
        // ∂L/∂q[r] = gs[r] (1×N) · K[r] (N×Dk); ∂L/∂K[r] = gs[r]ᵀ (N×1) · q[r] (1×Dk).
        matmul(
          ctx,
          view(gsBuffer, [R, 1, N]),
          args.keys,
          view(args.gradQ.buffer, [R, 1, Dk], [Dk, Dk, 1], args.gradQ.offset),
          noT,
        );
        matmul(
          ctx,
          view(gsBuffer, [R, N, 1]),
          { ...q, shape: [R, 1, Dk], strides: [q.strides[0] ?? 0, Dk, 1] },
          view(args.gradKeys.buffer, [R, N, Dk], [N * Dk, Dk, 1], args.gradKeys.offset),
          noT,
        );
      } finally {
        for (const b of temps) free(b);
      }
    },
    linearAttentionStep: (args) => linearAttentionStep(ctx, args),
    linearRecurrence: (args) => linearRecurrence(ctx, args),
  };
}
