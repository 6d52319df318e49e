/**
 * Blockwise many-to-many attention: the sequence is processed block by block, carrying the `(m, u, w)`
 * state between blocks, so the working memory beyond the output is O(blockSize) per head.
 * @packageDocumentation
 */
import { concat, dispose, isGradEnabled, sliceAxis, type Tensor, tidy, zeros } from '@aaren/core';
import type { AttentionScanOptions } from './attention-scan.js';
import { blockCell } from './cell/block.js';
import { type AttentionCellState, initCellState } from './cell/state.js';
import { assertPositiveInteger, checkKeysValues, checkMask, checkQuery } from './shapes.js';

/** Default number of tokens per block of {@link attentionScanBlockwise}. */
export const DEFAULT_ATTENTION_BLOCK_SIZE = 1024;

/** Options of {@link attentionScanBlockwise}. */
export interface AttentionScanBlockwiseOptions extends AttentionScanOptions {
  /** Tokens per block (positive integer). Default {@link DEFAULT_ATTENTION_BLOCK_SIZE}. */
  readonly blockSize?: number;
  /** State to continue from (e.g. after a previous chunk of the stream). Default: the empty state. */
  readonly initialState?: AttentionCellState;
}

/** Result of {@link attentionScanBlockwiseWithState}. */
export interface AttentionScanBlockwiseResult {
  /** Every prefix output, `[B, H, N, dv]`. */
  readonly output: Tensor;
  /** The state after the last token, to continue with `attentionCell.step` or another call. */
  readonly state: AttentionCellState;
}

/**
 * {@link attentionScanBlockwise} that also returns the final `(m, u, w)` state.
 *
 * @param q - per-head query `[H, d]` or `[B, H, d]`
 * @param k - keys `[B, H, N, d]`
 * @param v - values `[B, H, N, dv]`
 */
export function attentionScanBlockwiseWithState(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: AttentionScanBlockwiseOptions = {},
): AttentionScanBlockwiseResult {
  const op = 'attentionScanBlockwise';
  const dims = checkKeysValues(op, k, v);
  checkQuery(op, q, dims.batch, dims.heads, dims.dim);
  const blockSize = options.blockSize ?? DEFAULT_ATTENTION_BLOCK_SIZE;
  assertPositiveInteger(op, 'options.blockSize', blockSize);
  const mask = options.mask ?? null;
  if (mask) checkMask(op, 'options.mask', mask, [dims.batch, dims.length]);
  const initial =
    options.initialState ??
    initCellState(k.backend, { batch: dims.batch, heads: dims.heads, dim: dims.valueDim });
  // With gradients recorded the graph keeps every block alive anyway; without, free each block's temporaries.
  const recording = isGradEnabled() && [q, k, v, initial.u, initial.w].some((t) => t.requiresGrad);
  if (dims.length === 0) {
    return { output: zeros(k.backend, [dims.batch, dims.heads, 0, dims.valueDim]), state: initial };
  }
  let state = initial;
  const pieces: Tensor[] = [];
  // Without gradients, each block's outputs are copied into the preallocated output and freed at once.
  const output = recording ? null : zeros(k.backend, [dims.batch, dims.heads, dims.length, dims.valueDim]);
  for (let start = 0; start < dims.length; start += blockSize) {
    const len = Math.min(blockSize, dims.length - start);
    const current = state;
    const run = () =>
      blockCell(current, q, sliceAxis(k, 2, start, len), sliceAxis(v, 2, start, len), {
        mask: mask ? sliceAxis(mask, 1, start, len) : null,
        scale: options.scale,
      });
    const result = recording ? run() : tidy(run);
    if (!recording && (current !== initial || !options.initialState)) dispose(current);
    state = result.state;
    if (output) {
      writeAlongAxis2(output, result.outputs, start);
      result.outputs.dispose();
    } else {
      pieces.push(result.outputs);
    }
  }
  return { output: output ?? (pieces.length === 1 ? pieces[0]! : concat(pieces, 2)), state };
}

/** Copies `piece: [B, H, len, dv]` into `out: [B, H, N, dv]` at position `start` of axis 2 (not recorded). */
function writeAlongAxis2(out: Tensor, piece: Tensor, start: number): void {
  const op = 'attentionScanBlockwise';
  const target = out.view(op);
  out.backend.kernels.copy(piece.view(op), {
    ...target,
    shape: piece.shape,
    offset: target.offset + start * target.strides[2]!,
  });
}

/**
 * Many-to-many attention, equal to {@link attentionScan}, computed block by block with the attention cell
 * (`attentionCell.block`): each block of `blockSize` tokens is scanned with the carried `(m, u, w)` state
 * prepended, then the state is updated. Without gradients, the working memory beyond the inputs and the output
 * is O(B·H·blockSize·(d + dv)) (each block's outputs are written into the output and freed); the
 * bounded-memory form of §3.2 of arXiv 2405.13956. Differentiable like {@link attentionScan} (with gradients
 * recorded, the graph keeps every block). For a stream whose keys and values do not fit in memory at once,
 * call `attentionCell.block` in a loop.
 *
 * @param q - per-head query `[H, d]` or `[B, H, d]`
 * @param k - keys `[B, H, N, d]`
 * @param v - values `[B, H, N, dv]`
 * @returns `[B, H, N, dv]`
 *
 * @example
 * ```ts
 * const out = attentionScanBlockwise(q, k, v, { blockSize: 4096, mask });
 * ```
 */
export function attentionScanBlockwise(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: AttentionScanBlockwiseOptions = {},
): Tensor {
  const { output, state } = attentionScanBlockwiseWithState(q, k, v, options);
  if (!state.u.requiresGrad && state !== options.initialState) dispose(state);
  return output;
}
