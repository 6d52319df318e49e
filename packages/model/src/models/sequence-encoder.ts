/**
 * {@link SequenceEncoder}: what Aaren stacks and Transformer stacks have in common — a parallel `forward`
 * for training and a streaming `createState` / `step` pair for inference.
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';
import { ModelShapeError } from '../errors.js';
import type { EncoderBlock, TokenMixer } from '../layers/encoder-block.js';
import { LayerNorm } from '../layers/layer-norm.js';
import { Module } from '../layers/module.js';
import { ModuleList } from '../layers/module-list.js';
import type { ForwardOptions, StepOptions, StreamingState } from '../streaming/streaming-state.js';
import { type EncoderConfig, type ResolvedEncoderConfig, resolveEncoderConfig } from './encoder-config.js';

/** The two sequence encoders: Aaren (learned-query attention scan) and the causal Transformer baseline. */
export type EncoderKind = 'aaren' | 'transformer';

/**
 * A stack of encoder blocks over tokens `[B, N, d_model]`; each block's outputs are the next block's tokens.
 * Parameters `layers.<i>.*` and, with `finalNorm`, `norm.*`.
 * @typeParam S - its streaming state
 * @typeParam A - its attention sub-layer
 * @typeParam L - its layer class
 */
export abstract class SequenceEncoder<
  S extends StreamingState,
  A extends TokenMixer,
  L extends EncoderBlock<A> = EncoderBlock<A>,
> extends Module {
  /** `'aaren'` or `'transformer'`. */
  abstract readonly kind: EncoderKind;
  /** The configuration with defaults filled in (JSON-serialisable). */
  readonly config: ResolvedEncoderConfig;
  /** The blocks. */
  readonly layers: ModuleList<L>;
  /** LayerNorm after the last block, when `config.finalNorm`. */
  readonly norm: LayerNorm | null;

  protected constructor(where: string, config: EncoderConfig, makeBlock: (c: ResolvedEncoderConfig) => L) {
    super();
    this.config = resolveEncoderConfig(where, config);
    const blocks = Array.from({ length: this.config.layers }, () => makeBlock(this.config));
    this.layers = this.addModule('layers', new ModuleList(blocks));
    this.norm = this.config.finalNorm
      ? this.addModule('norm', new LayerNorm(this.config.dModel, this.config.eps))
      : null;
  }

  /** Model width. */
  get dModel(): number {
    return this.config.dModel;
  }

  /** Throws unless `x` is `[B, N, d_model]` (and `mask`, when given, `[B, N]`). */
  protected checkTokens(where: string, x: Tensor, mask?: Tensor | null): void {
    const d = this.config.dModel;
    if (x.rank !== 3 || x.shape[2] !== d) throw new ModelShapeError(where, 'x', `[B, N, ${d}]`, [x.shape]);
    if (mask && (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1])) {
      throw new ModelShapeError(where, 'options.mask', `[B, N] = [${x.shape[0]}, ${x.shape[1]}]`, [
        mask.shape,
        x.shape,
      ]);
    }
  }

  /** Throws unless `x` is one token per stream, `[B, d_model]`, matching the state's batch. */
  protected checkToken(where: string, x: Tensor, batch: number, mask?: Tensor | null): void {
    const d = this.config.dModel;
    if (x.rank !== 2 || x.shape[0] !== batch || x.shape[1] !== d) {
      throw new ModelShapeError(where, 'x', `[B, d_model] = [${batch}, ${d}]`, [x.shape]);
    }
    if (mask && (mask.rank !== 1 || mask.shape[0] !== batch)) {
      throw new ModelShapeError(where, 'options.mask', `[B] = [${batch}]`, [mask.shape]);
    }
  }

  /**
   * Parallel (training) form: `x: [B, N, d]` → `[B, N, d]`; output `k` depends on input tokens `1..k` only.
   * Differentiable in the inputs and parameters.
   */
  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    this.checkTokens(`${this.moduleName}.forward`, x, options.mask);
    let h = x;
    for (const block of this.layers.items) h = block.forward(h, options.mask);
    return this.norm ? this.norm.forward(h) : h;
  }

  /** A fresh streaming state for `batch` streams (no token seen). Dispose it when done. */
  abstract createState(batch: number): S;

  /**
   * Streaming form: consumes one token per stream, `x: [B, d]`, advances `state` in place and returns the
   * output for this position, `[B, d]` — equal to the parallel forward's output at that position. Runs
   * without recording gradients.
   */
  abstract step(state: S, x: Tensor, options?: StepOptions): Tensor;
}
