/**
 * The attention RNN cell as one object: `init`, `step` (one token), `block` (b tokens) and `readout`.
 * @packageDocumentation
 */
import { blockCell } from './block.js';
import { initCellState, readoutCellState } from './state.js';
import { stepCell } from './step.js';

export type { AttentionCellBlockOptions, AttentionCellBlockResult } from './block.js';
export type { AttentionCellDims, AttentionCellState } from './state.js';
export type { AttentionCellStepOptions, AttentionCellStepResult } from './step.js';
export { blockCell, initCellState, readoutCellState, stepCell };

/**
 * Softmax attention of a fixed per-head query as a many-to-one RNN (Aaren, arXiv 2405.13956 §3.1): a
 * constant-size state `(m, u, w)` (see {@link AttentionCellState}) absorbs tokens one at a time
 * (`step` = {@link stepCell}, O(1) memory) or a block at a time (`block` = {@link blockCell}, O(b) memory);
 * `init` = {@link initCellState} gives the empty state and `readout` = {@link readoutCellState} the output
 * `o = u / w`. Every output equals quadratic softmax attention over the tokens seen so far.
 *
 * @example
 * ```ts
 * const cpu = cpuBackend();
 * let state = attentionCell.init(cpu, { batch: 1, heads: 2, dim: 8 });
 * ({ state } = attentionCell.block(state, q, kPrompt, vPrompt));           // prefill b tokens
 * const { state: next, output } = attentionCell.step(state, q, kNew, vNew); // then one token at a time
 * ```
 */
export const attentionCell = Object.freeze({
  init: initCellState,
  step: stepCell,
  block: blockCell,
  readout: readoutCellState,
});
