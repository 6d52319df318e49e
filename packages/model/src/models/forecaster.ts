/**
 * {@link Forecaster}: multi-horizon time-series forecasting from a look-back window (the paper's
 * forecasting task: horizons 96, 192, 336, 720; MSE and MAE).
 * @packageDocumentation
 */
import {
  abs,
  keep,
  mseLoss,
  mul,
  ones,
  reshape,
  slice,
  square,
  sub,
  sum,
  type Tensor,
  zeros,
} from '@aaren/core';
import { ModelConfigError, ModelShapeError } from '../errors.js';
import type { BatchEvaluation } from '../heads/metrics.js';
import { denormalizeSeries, normalizeSeries, type SeriesStats, seriesStats } from '../heads/revin.js';
import { ForecastHead } from '../heads/task-heads.js';
import { Linear } from '../layers/linear.js';
import type { Encoder } from './create-encoder.js';
import { positiveInt, TaskModel, type TaskModelConfigBase, type TaskState } from './task-model.js';

/** The forecast horizons of the paper's experiments (and of the long-horizon benchmarks it follows). */
export const PAPER_HORIZONS = [96, 192, 336, 720] as const;

/** Configuration of a {@link Forecaster}. */
export interface ForecasterConfig extends TaskModelConfigBase {
  /** Always `'forecasting'`. */
  readonly task: 'forecasting';
  /** Channels `C` (variables per time step). */
  readonly channels: number;
  /** Look-back window length `L` the model is trained with (informational: any length is accepted). */
  readonly lookback: number;
  /** Steps predicted, e.g. one of {@link PAPER_HORIZONS}. */
  readonly horizon: number;
  /** Instance-normalise each series over its window and map the forecast back (RevIN). Default `true`. */
  readonly normalize?: boolean;
}

/** A batch of windows: `input: [B, L, C]` (look-back) and `target: [B, horizon, C]`. */
export interface ForecastBatch {
  /** Look-back windows `[B, L, C]`. */
  readonly input: Tensor;
  /** The following `horizon` steps `[B, horizon, C]`. */
  readonly target: Tensor;
}

/** Extra streaming state of a {@link Forecaster}: the fixed normalisation statistics `[B, 1, C]`. */
export interface ForecastStreamExtra {
  /** Means subtracted from each incoming step. */
  readonly mean: Tensor;
  /** Scales dividing each incoming step. */
  readonly std: Tensor;
}

/**
 * Forecasting model: each time step's `C` values are one token (`embed: Linear(C, d)` + position encoding),
 * the encoder runs over the look-back window, and the output at the last step predicts all `horizon` future
 * steps at once (`head: Linear(d, horizon·C)`). With `normalize` (default), each window is standardised
 * per series and channel (RevIN) and the forecast mapped back. Loss: MSE; metrics `mse`, `mae`.
 */
export class Forecaster extends TaskModel<ForecastBatch> {
  /** Configuration with defaults. */
  readonly config: ForecasterConfig;
  /** `C → d`. */
  readonly embed: Linear;
  /** Sequence encoder. */
  readonly encoder: Encoder;
  /** `d → horizon·C`. */
  readonly head: ForecastHead;

  constructor(config: Omit<ForecasterConfig, 'task'> & { readonly task?: 'forecasting' }) {
    super();
    const where = 'Forecaster';
    const channels = positiveInt(where, 'channels', config.channels);
    const horizon = positiveInt(where, 'horizon', config.horizon);
    positiveInt(where, 'lookback', config.lookback);
    this.config = {
      ...config,
      task: 'forecasting',
      normalize: config.normalize ?? true,
      positional: config.positional ?? 'sinusoidal',
    };
    if (typeof this.config.normalize !== 'boolean') {
      throw new ModelConfigError(
        where,
        'normalize',
        `must be a boolean, got ${JSON.stringify(config.normalize)}`,
      );
    }
    this.encoder = this.makeEncoder(config);
    this.embed = this.addModule('embed', new Linear(channels, this.encoder.dModel));
    this.addModule('encoder', this.encoder);
    this.head = this.addModule('head', new ForecastHead(this.encoder.dModel, horizon, channels));
  }

  private checkInput(where: string, input: Tensor): void {
    const c = this.config.channels;
    if (input.rank !== 3 || input.shape[2] !== c)
      throw new ModelShapeError(where, 'input', `[B, L, ${c}]`, [input.shape]);
  }

  /**
   * Forecast of the `horizon` steps after each window, `input: [B, L, C]` → `[B, horizon, C]` (on the
   * scale of the input).
   */
  predict(input: Tensor): Tensor {
    this.checkInput('Forecaster.predict', input);
    const stats: SeriesStats | null = this.config.normalize ? seriesStats(input) : null;
    const x = stats ? normalizeSeries(input, stats) : input;
    const h = this.encoder.forward(this.withPositions(this.embed.forward(x)));
    const [b = 0, n = 0, d = 0] = h.shape;
    const last = reshape(sliceLast(h, n), [b, d]);
    const y = this.head.forward(last);
    return stats ? denormalizeSeries(y, stats) : y;
  }

  /** MSE loss; metrics `loss`, `mse`, `mae` (means over every predicted value). */
  lossAndMetrics(batch: ForecastBatch): BatchEvaluation {
    const pred = this.predict(batch.input);
    const { target } = batch;
    if (
      target.rank !== 3 ||
      target.shape[0] !== pred.shape[0] ||
      target.shape[1] !== this.config.horizon ||
      target.shape[2] !== this.config.channels
    ) {
      throw new ModelShapeError(
        'Forecaster.lossAndMetrics',
        'batch.target',
        `[B, ${this.config.horizon}, ${this.config.channels}]`,
        [target.shape, pred.shape],
      );
    }
    const loss = mseLoss(pred, target);
    const diff = sub(pred, target);
    const count = pred.size;
    return {
      loss,
      metrics: {
        loss: { sum: mul(loss, count), count },
        mse: { sum: sum(square(diff)), count },
        mae: { sum: sum(abs(diff)), count },
      },
    };
  }

  /**
   * A streaming state: steps arrive one at a time and every step yields a forecast of the next `horizon`
   * steps from everything seen so far. Normalisation statistics cannot depend on future steps, so they are
   * fixed here: pass the `mean` and `std` (`[B, C]`) of a warm-up window (e.g. `seriesStats` of the first
   * look-back window) — with the window's own statistics, streaming that window reproduces `predict` at its
   * end. Without them no normalisation is applied.
   */
  createState(batch: number, stats?: { mean: Tensor; std: Tensor }): TaskState<ForecastStreamExtra> {
    const c = this.config.channels;
    const backend = this.backend;
    const extra = {
      mean: keep(stats ? reshape(stats.mean, [batch, 1, c]) : zeros(backend, [batch, 1, c])),
      std: keep(stats ? reshape(stats.std, [batch, 1, c]) : ones(backend, [batch, 1, c])),
    };
    return this.newState(batch, extra);
  }

  /** Consumes one step `x: [B, C]` and returns the forecast `[B, horizon, C]` after it. */
  step(state: TaskState<ForecastStreamExtra>, x: Tensor): Tensor {
    const c = this.config.channels;
    if (x.rank !== 2 || x.shape[0] !== state.batch || x.shape[1] !== c) {
      throw new ModelShapeError('Forecaster.step', 'x', `[B, C] = [${state.batch}, ${c}]`, [x.shape]);
    }
    const stats = { mean: state.extra.mean, std: state.extra.std };
    const b = state.batch;
    return this.streamStep(
      'Forecaster.step',
      state,
      () => this.embed.forward(reshape(normalizeSeries(reshape(x, [b, 1, c]), stats), [b, c])),
      (h) => denormalizeSeries(this.head.forward(h), stats),
    );
  }
}

function sliceLast(h: Tensor, n: number): Tensor {
  const [b = 0, , d = 0] = h.shape;
  return slice(h, [0, n - 1, 0], [b, 1, d]);
}
