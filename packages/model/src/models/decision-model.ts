/**
 * {@link DecisionModel}: return-conditioned action prediction from trajectories (the paper's sequential
 * decision-making task, in the style of the Decision Transformer).
 * @packageDocumentation
 */
import {
  arange,
  argmax,
  cast,
  concat,
  crossEntropy,
  div,
  equal,
  expandDims,
  full,
  maximum,
  mul,
  notEqual,
  reshape,
  slice,
  sum,
  type Tensor,
  where,
} from '@aaren/core';
import { ModelConfigError, ModelShapeError } from '../errors.js';
import type { BatchEvaluation } from '../heads/metrics.js';
import { DecisionHead } from '../heads/task-heads.js';
import { Linear } from '../layers/linear.js';
import type { Encoder } from './create-encoder.js';
import { positiveInt, TaskModel, type TaskModelConfigBase, type TaskState } from './task-model.js';

/** Configuration of a {@link DecisionModel}. */
export interface DecisionModelConfig extends TaskModelConfigBase {
  /** Always `'decision'`. */
  readonly task: 'decision';
  /** Observation size `S`. */
  readonly stateDim: number;
  /** Number of discrete actions `A`. */
  readonly actions: number;
  /** Returns-to-go are divided by this before entering the model. Default 1. */
  readonly returnScale?: number;
}

/** A batch of trajectories, right-padded to `T` steps. */
export interface DecisionBatch {
  /** Return-to-go at each step (sum of this and later rewards) `[B, T]`. */
  readonly returnsToGo: Tensor;
  /** Observations `[B, T, S]`. */
  readonly observations: Tensor;
  /** Actions taken `[B, T]` (i32 in `[0, A)`). */
  readonly actions: Tensor;
  /** Optional mask `[B, T]` (1 = real step). */
  readonly mask?: Tensor | null;
}

/** One step's input to {@link DecisionModel.step}. */
export interface DecisionStepInput {
  /** Return still wanted, `[B]`. */
  readonly returnToGo: Tensor;
  /** Current observation `[B, S]`. */
  readonly observation: Tensor;
  /** Previous action `[B]` (i32; `-1` at the first step). */
  readonly previousAction: Tensor;
}

/**
 * Return-conditioned policy. The token of step `t` embeds `(return-to-go_t / returnScale, observation_t,
 * one-hot(action_{t−1}))` with one `Linear(1 + S + A, d)` (equal to the Decision Transformer's sum of
 * separate embeddings, in one token per step instead of three), plus a position encoding of `t`; the encoder
 * output at `t` predicts `action_t` (`head: Linear(d, A)`). Conditioning on a high return at inference asks
 * for the behaviour that achieved high returns in the data. Loss: cross-entropy; metrics `loss`,
 * `actionAccuracy`.
 */
export class DecisionModel extends TaskModel<DecisionBatch> {
  /** Configuration with defaults. */
  readonly config: DecisionModelConfig;
  /** `(rtg, observation, previous action)` → token. */
  readonly embed: Linear;
  /** Sequence encoder. */
  readonly encoder: Encoder;
  /** Output → action logits. */
  readonly head: DecisionHead;

  constructor(config: Omit<DecisionModelConfig, 'task'> & { readonly task?: 'decision' }) {
    super();
    const where = 'DecisionModel';
    const stateDim = positiveInt(where, 'stateDim', config.stateDim);
    const actions = positiveInt(where, 'actions', config.actions);
    const returnScale = config.returnScale ?? 1;
    if (!(returnScale > 0 && Number.isFinite(returnScale))) {
      throw new ModelConfigError(where, 'returnScale', `must be positive, got ${returnScale}`);
    }
    this.config = { ...config, task: 'decision', returnScale, positional: config.positional ?? 'sinusoidal' };
    this.encoder = this.makeEncoder(config);
    const d = this.encoder.dModel;
    this.embed = this.addModule('embed', new Linear(1 + stateDim + actions, d));
    this.addModule('encoder', this.encoder);
    this.head = this.addModule('head', new DecisionHead(d, actions));
  }

  /** One-hot of `actions` (`[...]` i32; `-1` gives zeros) → `[..., A]`. */
  private oneHot(actions: Tensor): Tensor {
    const classes = arange(actions.backend, 0, this.config.actions);
    return cast(equal(expandDims(cast(actions, 'f32'), -1), classes), 'f32');
  }

  private features(returnsToGo: Tensor, observations: Tensor, previous: Tensor): Tensor {
    const rtg = expandDims(div(returnsToGo, this.config.returnScale!), -1);
    return this.embed.forward(concat([rtg, observations, this.oneHot(previous)], -1));
  }

  /** Action logits `[B, T, A]` for every step of the trajectories. */
  actionLogits(batch: DecisionBatch): Tensor {
    const { returnsToGo, observations, actions } = batch;
    const [b = 0, t = 0] = actions.shape;
    const s = this.config.stateDim;
    if (actions.dtype !== 'i32' || actions.rank !== 2)
      throw new ModelShapeError('DecisionModel', 'batch.actions', 'i32 [B, T]', [actions.shape]);
    if (
      observations.rank !== 3 ||
      observations.shape[0] !== b ||
      observations.shape[1] !== t ||
      observations.shape[2] !== s
    ) {
      throw new ModelShapeError('DecisionModel', 'batch.observations', `[B, T, ${s}] = [${b}, ${t}, ${s}]`, [
        observations.shape,
      ]);
    }
    if (returnsToGo.rank !== 2 || returnsToGo.shape[0] !== b || returnsToGo.shape[1] !== t) {
      throw new ModelShapeError('DecisionModel', 'batch.returnsToGo', `[B, T] = [${b}, ${t}]`, [
        returnsToGo.shape,
      ]);
    }
    const previous = concat(
      [full(actions.backend, [b, 1], -1, 'i32'), slice(actions, [0, 0], [b, t - 1])],
      1,
    );
    const tokens = this.features(returnsToGo, observations, previous);
    const h = this.encoder.forward(this.withPositions(tokens), { mask: batch.mask ?? null });
    return this.head.forward(h);
  }

  /** Cross-entropy of the taken actions; metrics `loss`, `actionAccuracy` (over unmasked steps). */
  lossAndMetrics(batch: DecisionBatch): BatchEvaluation {
    const logits = this.actionLogits(batch);
    const valid = batch.mask ? cast(notEqual(batch.mask, 0), 'f32') : null;
    const labels = valid ? where(valid, batch.actions, -1) : batch.actions;
    const loss = crossEntropy(logits, labels);
    const count = valid ? maximum(sum(valid), 1) : batch.actions.size;
    const hits = cast(equal(argmax(logits, -1), batch.actions), 'f32');
    return {
      loss,
      metrics: {
        loss: { sum: mul(loss, count), count },
        actionAccuracy: { sum: sum(valid ? mul(hits, valid) : hits), count },
      },
    };
  }

  /** A streaming state for `batch` episodes. */
  createState(batch: number): TaskState {
    return this.newState(batch, undefined);
  }

  /** Consumes one step's `(return-to-go, observation, previous action)` and returns action logits `[B, A]`. */
  step(state: TaskState, input: DecisionStepInput): Tensor {
    const b = state.batch;
    return this.streamStep(
      'DecisionModel.step',
      state,
      () =>
        this.features(
          reshape(input.returnToGo, [b]),
          reshape(input.observation, [b, this.config.stateDim]),
          reshape(input.previousAction, [b]),
        ),
      (h) => this.head.forward(h),
    );
  }
}
