/**
 * {@link TaskModel}: the shared shape of the four task models — an input embedding, an encoder (Aaren or
 * the Transformer baseline) and a task head, trained by `fit` through {@link TaskModel.lossAndMetrics}.
 * @packageDocumentation
 */
import { add, noGrad, type Tensor, tidy } from '@aaren/core';
import { ModelConfigError, StreamingStateError } from '../errors.js';
import type { BatchEvaluation } from '../heads/metrics.js';
import { Module } from '../layers/module.js';
import { type PositionalEncoding, sinusoidalEncoding } from '../layers/positional.js';
import type { AarenState } from './aaren-stack.js';
import { createEncoder, type Encoder } from './create-encoder.js';
import type { EncoderConfig } from './encoder-config.js';
import type { EncoderKind } from './sequence-encoder.js';
import type { TransformerCache } from './transformer-stack.js';

/** Fields every task model configuration has. */
export interface TaskModelConfigBase {
  /** `'aaren'` or `'transformer'` (the baseline with the same widths). */
  readonly backbone: EncoderKind;
  /** Encoder widths and depth. */
  readonly encoder: EncoderConfig;
  /** Position information added to the input tokens. Default `'sinusoidal'`. */
  readonly positional?: PositionalEncoding;
}

/**
 * Model-level streaming state: the encoder's state plus whatever the task keeps between steps (a running
 * sum for mean pooling, the previous event time...). Dispose it when done.
 * @typeParam E - task-specific extra state
 */
export class TaskState<E = undefined> {
  /** The encoder's streaming state. */
  readonly encoder: AarenState | TransformerCache;
  /** Task-specific state (tensors in it are owned by this state). */
  extra: E;
  /** @internal the model that made it */
  readonly owner: TaskModel<unknown>;

  /** @internal Use the model's `createState`. */
  constructor(owner: TaskModel<unknown>, encoder: AarenState | TransformerCache, extra: E) {
    this.owner = owner;
    this.encoder = encoder;
    this.extra = extra;
  }

  /** Tokens consumed. */
  get position(): number {
    return this.encoder.position;
  }

  /** Batch size. */
  get batch(): number {
    return this.encoder.batch;
  }

  /** Bytes of sequence-dependent encoder state (constant for Aaren, linear for the Transformer). */
  stateBytes(): number {
    return this.encoder.stateBytes();
  }

  /** Frees the encoder state and every tensor in `extra`. */
  dispose(): void {
    this.encoder.dispose();
    const extra = this.extra as unknown;
    if (extra && typeof extra === 'object') {
      for (const v of Object.values(extra))
        if (v && typeof (v as Tensor).dispose === 'function') (v as Tensor).dispose();
    }
  }
}

/**
 * Base of the task models. Subclasses declare, in order, `embed` (input → tokens), `encoder` and `head`
 * modules, so parameter names read `embed.*`, `encoder.layers.0.attn.query`, `head.*`.
 * @typeParam B - the batch type its `lossAndMetrics` takes
 */
export abstract class TaskModel<B> extends Module {
  /** The JSON-serialisable configuration (what `createModel` rebuilds the model from). */
  abstract readonly config: TaskModelConfigBase & { readonly task: string };
  /** The sequence encoder. */
  abstract readonly encoder: Encoder;

  /** Builds the encoder for `config` (subclasses register it as `'encoder'`). */
  protected makeEncoder(config: TaskModelConfigBase): Encoder {
    return createEncoder(config.backbone, config.encoder);
  }

  /** Position encoding in use. */
  get positional(): PositionalEncoding {
    return this.config.positional ?? 'sinusoidal';
  }

  /** `tokens: [B, N, d]` plus position encodings `0..N−1` (when enabled). */
  protected withPositions(tokens: Tensor): Tensor {
    if (this.positional === 'none') return tokens;
    const [, n = 0, d = 0] = tokens.shape;
    return add(tokens, sinusoidalEncoding(tokens.backend, 0, n, d));
  }

  /** One token per stream `[B, d]` plus the position encoding of `position`. */
  protected withPosition(token: Tensor, position: number): Tensor {
    if (this.positional === 'none') return token;
    return add(token, sinusoidalEncoding(token.backend, position, 1, token.shape[1]!));
  }

  /** Loss (mean over the batch) and metrics of one batch; differentiable in the parameters. */
  abstract lossAndMetrics(batch: B): BatchEvaluation;

  /** A fresh encoder state wrapped with task extras. */
  protected newState<E>(batch: number, extra: E): TaskState<E> {
    const encoder =
      this.encoder.kind === 'aaren' ? this.encoder.createState(batch) : this.encoder.createCache(batch);
    return new TaskState(this as TaskModel<unknown>, encoder, extra);
  }

  /**
   * Runs `fn` (without gradients, in a `tidy` scope) with the state checked, then advances the encoder by the
   * token `fn` returns; `fn` gets the encoder output for that token. Tensors `fn` stores in `state.extra`
   * must be `keep()`-ed by it.
   */
  protected streamStep<E, R>(
    where: string,
    state: TaskState<E>,
    token: () => Tensor,
    read: (hidden: Tensor) => R,
  ): R {
    if (state.owner !== (this as TaskModel<unknown>))
      throw new StreamingStateError(where, 'the state was created by another model');
    return noGrad(() =>
      tidy(() => {
        const x = this.withPosition(token(), state.position);
        const h =
          this.encoder.kind === 'aaren'
            ? this.encoder.step(state.encoder as AarenState, x)
            : this.encoder.step(state.encoder as TransformerCache, x);
        return read(h);
      }),
    );
  }
}

/** Throws unless `v` is a positive integer. */
export function positiveInt(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ModelConfigError(where, name, `must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}
