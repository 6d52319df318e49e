/**
 * {@link EventForecaster}: marks and inter-event times of event sequences (the paper's event forecasting
 * task: negative log-likelihood of a log-normal mixture over times, mark accuracy).
 * @packageDocumentation
 */
import {
  add,
  argmax,
  cast,
  concat,
  crossEntropy,
  div,
  embedding,
  equal,
  expandDims,
  keep,
  log,
  maximum,
  mul,
  normalInit,
  notEqual,
  reshape,
  slice,
  sub,
  sum,
  type Tensor,
  where,
  zeros,
} from '@aaren/core';
import { ModelConfigError, ModelShapeError } from '../errors.js';
import { logNormalMixtureNll } from '../heads/log-normal-mixture.js';
import type { BatchEvaluation } from '../heads/metrics.js';
import { EventHead, type EventPrediction } from '../heads/task-heads.js';
import { Linear } from '../layers/linear.js';
import { Module } from '../layers/module.js';
import type { Encoder } from './create-encoder.js';
import { positiveInt, TaskModel, type TaskModelConfigBase, type TaskState } from './task-model.js';

/** Configuration of an {@link EventForecaster}. */
export interface EventForecasterConfig extends TaskModelConfigBase {
  /** Always `'events'`. */
  readonly task: 'events';
  /** Number of mark types `K`. */
  readonly marks: number;
  /** Log-normal mixture components `M`. Default 8. */
  readonly mixtureComponents?: number;
  /** Mean of `log τ` over the training inter-event times (standardises the time input and output). Default 0. */
  readonly logTimeMean?: number;
  /** Standard deviation of `log τ` over the training inter-event times. Default 1. */
  readonly logTimeStd?: number;
  /** Smallest inter-event time (simultaneous events are clamped to it before `log`). Default `1e-6`. */
  readonly minInterval?: number;
}

/**
 * A batch of event sequences: marks and absolute, non-decreasing times, right-padded. Event `i`'s
 * inter-event time is `τ_i = t_i − t_{i−1}` with `t_{−1} = 0`.
 */
export interface EventBatch {
  /** Marks `[B, N]` (i32 in `[0, K)`). */
  readonly marks: Tensor;
  /** Event times `[B, N]` (f32). */
  readonly times: Tensor;
  /** Optional mask `[B, N]` (1 = real event). */
  readonly mask?: Tensor | null;
}

/** Extra streaming state of an {@link EventForecaster}: the previous event time `[B]`. */
export interface EventStreamExtra {
  /** Time of the last event seen (0 before the first). */
  lastTime: Tensor;
}

/** One event's input: mark embedding `[K, d]` plus `Linear(1, d)` of the standardised `log τ`. */
class EventEmbedding extends Module {
  readonly time: Linear;
  constructor(marks: number, dModel: number) {
    super();
    this.addParameter('marks', [marks, dModel], normalInit(1));
    this.time = this.addModule('time', new Linear(1, dModel));
  }
  forward(marks: Tensor, logTimeStandardised: Tensor): Tensor {
    return add(embedding(this.param('marks'), marks), this.time.forward(expandDims(logTimeStandardised, -1)));
  }
}

/**
 * Event-sequence model. Token `i` embeds event `i`'s mark and standardised `log τ_i`; the encoder's output
 * after event `i` predicts event `i+1`: mark logits (`head.marks: Linear(d, K)`) and a mixture of `M`
 * log-normals over `τ_{i+1}` (`head.time: Linear(d, 3M)`; see `logNormalMixtureLogProb`). Loss per
 * predicted event: time NLL + mark NLL (cross-entropy); metrics `loss`, `timeNll`, `markNll`,
 * `markAccuracy` (means over predicted events; padding excluded).
 */
export class EventForecaster extends TaskModel<EventBatch> {
  /** Configuration with defaults. */
  readonly config: EventForecasterConfig;
  /** Event → token. */
  readonly embed: EventEmbedding;
  /** Sequence encoder. */
  readonly encoder: Encoder;
  /** Output → next mark and time. */
  readonly head: EventHead;

  constructor(config: Omit<EventForecasterConfig, 'task'> & { readonly task?: 'events' }) {
    super();
    const where = 'EventForecaster';
    const marks = positiveInt(where, 'marks', config.marks);
    const components = positiveInt(where, 'mixtureComponents', config.mixtureComponents ?? 8);
    const logTimeMean = config.logTimeMean ?? 0;
    const logTimeStd = config.logTimeStd ?? 1;
    const minInterval = config.minInterval ?? 1e-6;
    if (!Number.isFinite(logTimeMean))
      throw new ModelConfigError(where, 'logTimeMean', `must be finite, got ${logTimeMean}`);
    if (!(logTimeStd > 0 && Number.isFinite(logTimeStd))) {
      throw new ModelConfigError(where, 'logTimeStd', `must be positive, got ${logTimeStd}`);
    }
    if (!(minInterval > 0))
      throw new ModelConfigError(where, 'minInterval', `must be positive, got ${minInterval}`);
    this.config = {
      ...config,
      task: 'events',
      mixtureComponents: components,
      logTimeMean,
      logTimeStd,
      minInterval,
      positional: config.positional ?? 'none',
    };
    this.encoder = this.makeEncoder(config);
    const d = this.encoder.dModel;
    this.embed = this.addModule('embed', new EventEmbedding(marks, d));
    this.addModule('encoder', this.encoder);
    this.head = this.addModule('head', new EventHead(d, marks, components, logTimeMean, logTimeStd));
  }

  /** Inter-event times `τ_i = max(t_i − t_{i−1}, minInterval)`, `t_{−1} = 0`: `[B, N]`. */
  intervals(times: Tensor): Tensor {
    const [b = 0, n = 0] = times.shape;
    const previous = concat([zeros(times.backend, [b, 1]), slice(times, [0, 0], [b, n - 1])], 1);
    return maximum(sub(times, previous), this.config.minInterval!);
  }

  private standardisedLogTime(tau: Tensor): Tensor {
    return div(sub(log(tau), this.config.logTimeMean!), this.config.logTimeStd!);
  }

  /** Predictions after every event: `[B, N, K]` mark logits and `[B, N, M]` mixture parameters. */
  predict(batch: EventBatch): EventPrediction {
    const { marks, times } = batch;
    if (marks.dtype !== 'i32' || marks.rank !== 2)
      throw new ModelShapeError('EventForecaster', 'batch.marks', 'i32 [B, N]', [marks.shape]);
    if (times.rank !== 2 || times.shape[0] !== marks.shape[0] || times.shape[1] !== marks.shape[1]) {
      throw new ModelShapeError('EventForecaster', 'batch.times', `[B, N] = [${marks.shape}]`, [
        times.shape,
        marks.shape,
      ]);
    }
    const tokens = this.embed.forward(marks, this.standardisedLogTime(this.intervals(times)));
    const h = this.encoder.forward(this.withPositions(tokens), { mask: batch.mask ?? null });
    return this.head.forward(h);
  }

  /** Loss = time NLL + mark NLL per predicted event; metrics `loss`, `timeNll`, `markNll`, `markAccuracy`. */
  lossAndMetrics(batch: EventBatch): BatchEvaluation {
    const { marks, times } = batch;
    const [b = 0, n = 0] = marks.shape;
    if (n < 2)
      throw new ModelShapeError('EventForecaster.lossAndMetrics', 'batch.marks', '[B, N] with N ≥ 2', [
        marks.shape,
      ]);
    const pred = this.predict(batch);
    const m = this.config.mixtureComponents!;
    const k = this.config.marks;
    const upTo = <T extends Tensor>(t: T, last: number): Tensor => slice(t, [0, 0, 0], [b, n - 1, last]);
    const mixture = {
      logits: upTo(pred.mixture.logits, m),
      means: upTo(pred.mixture.means, m),
      logScales: upTo(pred.mixture.logScales, m),
    };
    const markLogits = upTo(pred.markLogits, k);
    const nextMarks = slice(marks, [0, 1], [b, n - 1]);
    const nextTau = slice(this.intervals(times), [0, 1], [b, n - 1]);
    // A prediction counts when the event it predicts is real (and so is the one it is made after).
    const valid = batch.mask
      ? cast(
          notEqual(
            mul(
              slice(cast(batch.mask, 'f32'), [0, 1], [b, n - 1]),
              slice(cast(batch.mask, 'f32'), [0, 0], [b, n - 1]),
            ),
            0,
          ),
          'f32',
        )
      : null;
    const count = valid ? maximum(sum(valid), 1) : b * (n - 1);
    const nll = logNormalMixtureNll(mixture, nextTau);
    const timeSum = sum(valid ? mul(nll, valid) : nll);
    const labels = valid ? where(valid, nextMarks, -1) : nextMarks;
    const markNll = crossEntropy(markLogits, cast(labels, 'i32'));
    const timeNll = div(timeSum, count);
    const loss = add(timeNll, markNll);
    const hits = cast(equal(argmax(markLogits, -1), nextMarks), 'f32');
    return {
      loss,
      metrics: {
        loss: { sum: mul(loss, count), count },
        timeNll: { sum: timeSum, count },
        markNll: { sum: mul(markNll, count), count },
        markAccuracy: { sum: sum(valid ? mul(hits, valid) : hits), count },
      },
    };
  }

  /** A streaming state for `batch` event streams. */
  createState(batch: number): TaskState<EventStreamExtra> {
    return this.newState(batch, { lastTime: keep(zeros(this.backend, [batch])) });
  }

  /**
   * Consumes one event per stream (`mark: [B]` i32, `time: [B]` absolute) and returns the prediction of the
   * next event: mark logits `[B, K]` and mixture parameters `[B, M]`.
   */
  step(state: TaskState<EventStreamExtra>, event: { mark: Tensor; time: Tensor }): EventPrediction {
    return this.streamStep(
      'EventForecaster.step',
      state,
      () => {
        const tau = maximum(sub(event.time, state.extra.lastTime), this.config.minInterval!);
        return this.embed.forward(reshape(event.mark, [state.batch]), this.standardisedLogTime(tau));
      },
      (h) => {
        const t = keep(add(reshape(event.time, [state.batch]), 0));
        state.extra.lastTime.dispose();
        state.extra.lastTime = t;
        return this.head.forward(h);
      },
    );
  }
}
