/**
 * The contract's linear-attention kernels (SUPRA, arXiv 2405.06640 eq. 4 with decay) composed from the
 * chunked building blocks. Forward: chunk states of `kᵀv`, a scan over chunks (from the initial state, writing
 * the final one) and chunk outputs for `q`. Backward (zero initial state): `∂L/∂q` is the forward form with
 * `(g, v, k)` against the transposed states `S`; `∂L/∂k` and `∂L/∂v` are reverse forms against the states
 * `G_t = Σ_{u≥t} γ^{u−t} q_uᵀ g_u` of a reverse chunk scan.
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import { DTypeError, ShapeError } from '@aaren/core';
import { WebGPULimitError } from '../../errors.js';
import type { GpuContext } from '../../runtime/context.js';
import { copy, fill } from '../elementwise.js';
import {
  type ChunkProblem,
  type ChunkStates,
  chunkOutputs,
  chunkScan,
  chunkStates,
  MAX_CHUNK,
} from './chunked.js';

/** Default chunk length. */
const CHUNK = 16;

function checkViews(op: string, expected: Record<string, [TensorView | null, readonly number[]]>): void {
  for (const [name, [view, shape]] of Object.entries(expected)) {
    if (!view) continue;
    if (view.dtype !== 'f32') throw new DTypeError(op, `${name} must be f32, got ${view.dtype}`);
    if (view.shape.length !== shape.length || view.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(op, `${name} must be [${shape.join(', ')}]`, [view.shape]);
    }
  }
}

/** The chunk length for a problem: 16, or 32 when the chunk states would not fit one binding. */
function chunkLength(ctx: GpuContext, op: string, R: number, N: number, size: number): number {
  const max = ctx.limits.maxStorageBufferBindingSize;
  for (let C = CHUNK; C <= MAX_CHUNK; C *= 2) {
    if (R * Math.ceil(N / C) * size * 4 <= max) return C;
  }
  const bytes = R * Math.ceil(N / MAX_CHUNK) * size * 4;
  throw new WebGPULimitError(
    op,
    'maxStorageBufferBindingSize',
    bytes,
    max,
    'chunk states of linear attention',
  );
}

function withStates<T>(
  ctx: GpuContext,
  op: string,
  p: ChunkProblem,
  rows: number,
  cols: number,
  fn: (s: ChunkStates) => T,
): T {
  const gpu = ctx.scratch(op, p.R * Math.max(1, Math.ceil(p.N / p.C)) * rows * cols * 4);
  try {
    return fn({ gpu, rows, cols });
  } finally {
    ctx.recycle(gpu);
  }
}

/** The contract's `linearAttention`. */
export function linearAttention(
  ctx: GpuContext,
  q: TensorView,
  k: TensorView,
  v: TensorView,
  decay: TensorView,
  initialState: TensorView | null,
  out: TensorView,
  finalState: TensorView | null,
): void {
  const op = 'linearAttention';
  const [R = 0, N = 0, Dk = 0] = q.shape;
  const Dv = v.shape[2] ?? 0;
  checkViews(op, {
    q: [q, [R, N, Dk]],
    k: [k, [R, N, Dk]],
    v: [v, [R, N, Dv]],
    decay: [decay, [R]],
    initialState: [initialState, [R, Dk, Dv]],
    out: [out, [R, N, Dv]],
    finalState: [finalState, [R, Dk, Dv]],
  });
  if (R === 0) return;
  if (N === 0 || Dk === 0 || Dv === 0) {
    // No token or an empty state: outputs are zeros, the final state is the initial one.
    if (N > 0 && Dv > 0) fill(ctx, out, 0);
    if (finalState) {
      if (initialState) copy(ctx, initialState, finalState);
      else fill(ctx, finalState, 0);
    }
    return;
  }
  const p: ChunkProblem = { R, N, C: chunkLength(ctx, op, R, N, Dk * Dv), decay, reverse: false };
  withStates(ctx, op, p, Dk, Dv, (states) => {
    chunkStates(ctx, p, { view: k, dim: Dk }, { view: v, dim: Dv }, states);
    chunkScan(ctx, p, states, initialState, finalState);
    chunkOutputs(
      ctx,
      p,
      { view: q, dim: Dk },
      { view: k, dim: Dk },
      { view: v, dim: Dv },
      states,
      false,
      out,
    );
  });
}

/** The contract's `linearAttentionBackward` (zero initial state). */
export function linearAttentionBackward(
  ctx: GpuContext,
  q: TensorView,
  k: TensorView,
  v: TensorView,
  decay: TensorView,
  gradOut: TensorView,
  gradQ: TensorView,
  gradK: TensorView,
  gradV: TensorView,
): void {
  const op = 'linearAttentionBackward';
  const [R = 0, N = 0, Dk = 0] = q.shape;
  const Dv = v.shape[2] ?? 0;
  checkViews(op, {
    q: [q, [R, N, Dk]],
    k: [k, [R, N, Dk]],
    v: [v, [R, N, Dv]],
    decay: [decay, [R]],
    gradOut: [gradOut, [R, N, Dv]],
    gradQ: [gradQ, [R, N, Dk]],
    gradK: [gradK, [R, N, Dk]],
    gradV: [gradV, [R, N, Dv]],
  });
  if (R === 0 || N === 0) return;
  if (Dk === 0 || Dv === 0) {
    for (const g of [gradQ, gradK, gradV]) fill(ctx, g, 0);
    return;
  }
  const C = chunkLength(ctx, op, R, N, Dk * Dv);
  const forward: ChunkProblem = { R, N, C, decay, reverse: false };
  const reverse: ChunkProblem = { ...forward, reverse: true };
  const seq = (view: TensorView, dim: number) => ({ view, dim });
  withStates(ctx, op, forward, Dk, Dv, (S) => {
    chunkStates(ctx, forward, seq(k, Dk), seq(v, Dv), S);
    chunkScan(ctx, forward, S, null, null);
    chunkOutputs(ctx, forward, seq(gradOut, Dv), seq(v, Dv), seq(k, Dk), S, true, gradQ);
  });
  withStates(ctx, op, reverse, Dk, Dv, (G) => {
    chunkStates(ctx, reverse, seq(q, Dk), seq(gradOut, Dv), G);
    chunkScan(ctx, reverse, G, null, null);
    chunkOutputs(ctx, reverse, seq(v, Dv), seq(gradOut, Dv), seq(q, Dk), G, true, gradK);
    chunkOutputs(ctx, reverse, seq(k, Dk), seq(q, Dk), seq(gradOut, Dv), G, false, gradV);
  });
}
