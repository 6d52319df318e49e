/**
 * {@link AarenStack}: N Aaren layers (Feng et al., arXiv 2405.13956 §3.3), trained in parallel with the
 * attention scan and run as a constant-memory RNN one token at a time.
 * @packageDocumentation
 */
import { type AttentionCellState, attentionCell } from '@aaren/attention';
import { keep, mul, noGrad, reshape, slice, type Tensor, tidy } from '@aaren/core';
import { StreamingStateError } from '../errors.js';
import { AarenAttention } from '../layers/aaren-attention.js';
import { activate } from '../layers/activation.js';
import { EncoderBlock } from '../layers/encoder-block.js';
import { mergeHeads, splitHeads } from '../layers/heads-layout.js';
import { StepLinear } from '../layers/step-linear.js';
import { unmaskedCellStep } from '../streaming/cell-step.js';
import type { ForwardOptions, StepOptions, StreamingState } from '../streaming/streaming-state.js';
import { type EncoderConfig, resolveEncoderConfig } from './encoder-config.js';
import { SequenceEncoder } from './sequence-encoder.js';

/**
 * An Aaren layer (arXiv 2405.13956 §3.3): an {@link EncoderBlock} around {@link AarenAttention} — learned
 * query, key/value projections of the input tokens, many-to-many attention scan, output projection,
 * residuals, LayerNorms and feed-forward. `config.layers` is ignored.
 */
export class AarenLayer extends EncoderBlock<AarenAttention> {
  constructor(config: EncoderConfig) {
    const c = resolveEncoderConfig('AarenLayer', { ...config, layers: 1 });
    super(new AarenAttention(c.dModel, c.heads), c);
  }
}

interface AarenLayerPlan {
  readonly query: Tensor;
  readonly kv: StepLinear;
  readonly out: StepLinear;
  readonly ff1: StepLinear;
  readonly ff2: StepLinear;
}

/**
 * Streaming state of an {@link AarenStack}: per layer, the attention cell state `(m, u, w)` of every head
 * (`m, w: [B, H]`, `u: [B, H, d/H]`) — `L·B·H·(d/H + 2)` numbers whatever the number of tokens seen — plus an
 * inference-layout copy of the projection weights made at creation (see {@link StepLinear}).
 */
export class AarenState implements StreamingState {
  /** Always `'aaren'`. */
  readonly kind = 'aaren' as const;
  /** Batch size. */
  readonly batch: number;
  /** @internal The stack that made this state. */
  readonly owner: AarenStack;
  /** @internal Per-layer cell states. */
  cells: AttentionCellState[];
  /** @internal Per-layer inference weights. */
  readonly plans: readonly AarenLayerPlan[];
  private tokens = 0;
  private disposed = false;

  /** @internal Use {@link AarenStack.createState}. */
  constructor(owner: AarenStack, batch: number, cells: AttentionCellState[], plans: AarenLayerPlan[]) {
    this.owner = owner;
    this.batch = batch;
    this.cells = cells;
    this.plans = plans;
  }

  /** Tokens consumed. */
  get position(): number {
    return this.tokens;
  }

  /** @internal */
  advance(cells: AttentionCellState[], tokens = 1): void {
    const fresh = new Set(cells.flatMap((c) => [c.m, c.u, c.w]));
    for (const c of this.cells) for (const t of [c.m, c.u, c.w]) if (!fresh.has(t)) t.dispose();
    for (const t of fresh) keep(t);
    this.cells = cells;
    this.tokens += tokens;
  }

  /** Whether {@link AarenState.dispose} was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Bytes of `(m, u, w)` over all layers: constant in the number of tokens. */
  stateBytes(): number {
    let n = 0;
    for (const c of this.cells) n += c.m.size + c.u.size + c.w.size;
    return 4 * n;
  }

  /** Bytes of the inference weight copies. */
  weightBytes(): number {
    return this.plans.reduce(
      (s, p) => s + 4 * p.query.size + p.kv.bytes + p.out.bytes + p.ff1.bytes + p.ff2.bytes,
      0,
    );
  }

  /** Frees every tensor. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.cells) for (const t of [c.m, c.u, c.w]) t.dispose();
    for (const p of this.plans) {
      p.query.dispose();
      for (const l of [p.kv, p.out, p.ff1, p.ff2]) l.dispose();
    }
  }
}

/**
 * A stack of Aaren layers. Each layer: a learned query token per layer (one query per head after `W_q`),
 * keys and values projected from the layer's input tokens, the many-to-many attention scan (output `k`
 * attends to tokens `1..k`), output projection, residuals, LayerNorms and a feed-forward block as in a
 * Transformer encoder; layer `j`'s outputs are layer `j+1`'s tokens.
 *
 * - {@link AarenStack.forward}: parallel, O(N) memory per layer (training, prefill).
 * - {@link AarenStack.createState} + {@link AarenStack.step}: one token at a time in O(1) time and memory
 *   per token; outputs equal the parallel forward's.
 *
 * Parameters (one layer, `d = 512`, `d_ff = 2048`, post-norm): 3,152,896 = a Transformer encoder layer's
 * 3,152,384 + the 512-dimensional query token.
 *
 * @example
 * ```ts
 * const stack = new AarenStack({ dModel: 64, heads: 4, dFF: 256, layers: 2 }).init(cpuBackend(), createRng(0));
 * const y = stack.forward(x); // [B, N, 64]
 * const state = stack.createState(B);
 * for (const xt of tokens) out.push(stack.step(state, xt)); // [B, 64] each, equal to y[:, t]
 * state.dispose();
 * ```
 */
export class AarenStack extends SequenceEncoder<AarenState, AarenAttention, AarenLayer> {
  /** Always `'aaren'`. */
  readonly kind = 'aaren' as const;

  constructor(config: EncoderConfig) {
    super('AarenStack', config, (c) => new AarenLayer(c));
  }

  /**
   * A fresh state for `batch` streams: empty cells (`m = −∞`, `u = 0`, `w = 0`) and a copy of the weights
   * in inference layout. Create it after training: later weight updates are not seen by this state.
   */
  createState(batch: number): AarenState {
    const { heads, dModel } = this.config;
    const backend = this.backend;
    return noGrad(() => {
      const cells: AttentionCellState[] = [];
      const plans: AarenLayerPlan[] = [];
      for (const block of this.layers.items) {
        const cell = attentionCell.init(backend, { batch, heads, dim: dModel / heads });
        cells.push({ m: keep(cell.m), u: keep(cell.u), w: keep(cell.w) });
        plans.push({
          query: keep(tidy(() => mul(block.attn.headQueries(), 1 / Math.sqrt(dModel / heads)))),
          kv: new StepLinear([block.attn.k, block.attn.v]),
          out: new StepLinear([block.attn.out]),
          ff1: new StepLinear([block.ffn.linear1]),
          ff2: new StepLinear([block.ffn.linear2]),
        });
      }
      return new AarenState(this, batch, cells, plans);
    });
  }

  /**
   * Consumes a block of tokens per stream, `x: [B, n, d]` (e.g. a prompt), in parallel: per layer, the
   * block's keys and values go through `attentionCell.block` from the carried state (a scan over the block,
   * O(n) memory). Returns the outputs `[B, n, d]`, equal to `n` calls of {@link AarenStack.step}; the state
   * stays O(1).
   * @param options.mask - `[B, n]` padding mask of the block
   */
  prefill(state: AarenState, x: Tensor, options: ForwardOptions = {}): Tensor {
    const where = 'AarenStack.prefill';
    if (state.owner !== this) throw new StreamingStateError(where, 'the state was created by another stack');
    if (state.isDisposed) throw new StreamingStateError(where, 'the state was disposed');
    this.checkTokens(where, x, options.mask);
    if (x.shape[0] !== state.batch)
      throw new StreamingStateError(where, `x has batch ${x.shape[0]}, the state ${state.batch}`);
    const { out, cells } = noGrad(() =>
      tidy(() => {
        const next: AttentionCellState[] = [];
        let h = x;
        this.layers.items.forEach((block, i) => {
          const attn = block.attn;
          h = block.around(h, (t) => {
            const r = attentionCell.block(
              state.cells[i]!,
              attn.headQueries(),
              splitHeads(attn.k.forward(t), attn.heads),
              splitHeads(attn.v.forward(t), attn.heads),
              { mask: options.mask ?? null },
            );
            next.push(r.state);
            return attn.out.forward(mergeHeads(r.outputs));
          });
        });
        return { out: this.norm ? this.norm.forward(h) : h, cells: next };
      }),
    );
    state.advance(cells, x.shape[1]!);
    return out;
  }

  /**
   * Consumes one token per stream, `x: [B, d]`, and returns this position's output `[B, d]`. Per layer: the
   * key and value of the token, one attention-cell step of the learned query (`m' = max(m, s)`,
   * `u' = u·e^{m−m'} + v·e^{s−m'}`, `w' = w·e^{m−m'} + e^{s−m'}`, output `u'/w'`), then output projection,
   * residuals, norms and feed-forward on this token alone. O(1) time and memory in the number of tokens.
   */
  step(state: AarenState, x: Tensor, options: StepOptions = {}): Tensor {
    const where = 'AarenStack.step';
    if (state.owner !== this) throw new StreamingStateError(where, 'the state was created by another stack');
    if (state.isDisposed) throw new StreamingStateError(where, 'the state was disposed');
    this.checkToken(where, x, state.batch, options.mask);
    const { heads, dModel, activation } = this.config;
    const b = state.batch;
    const dh = dModel / heads;
    const { out, cells } = noGrad(() =>
      tidy(() => {
        const next: AttentionCellState[] = [];
        let h = x;
        this.layers.items.forEach((block, i) => {
          const plan = state.plans[i]!;
          h = block.around(
            h,
            (t) => {
              const kv = plan.kv.apply(t);
              const k = reshape(slice(kv, [0, 0], [b, dModel]), [b, heads, dh]);
              const v = reshape(slice(kv, [0, dModel], [b, dModel]), [b, heads, dh]);
              const r = options.mask
                ? attentionCell.step(state.cells[i]!, plan.query, k, v, { mask: options.mask, scale: 1 })
                : unmaskedCellStep(state.cells[i]!, plan.query, k, v);
              next.push(r.state);
              return plan.out.apply(reshape(r.output, [b, dModel]));
            },
            (t) => plan.ff2.apply(activate(activation, plan.ff1.apply(t))),
          );
        });
        return { out: this.norm ? this.norm.forward(h) : h, cells: next };
      }),
    );
    state.advance(cells);
    return out;
  }
}
