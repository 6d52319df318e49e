/**
 * {@link createModel}: any task model from its JSON configuration (what checkpoints store).
 * @packageDocumentation
 */
import { ModelConfigError } from '../errors.js';
import { Classifier, type ClassifierConfig } from './classifier.js';
import { DecisionModel, type DecisionModelConfig } from './decision-model.js';
import { EventForecaster, type EventForecasterConfig } from './event-forecaster.js';
import { Forecaster, type ForecasterConfig } from './forecaster.js';

/** The configuration of any task model, discriminated by `task`. */
export type ModelConfig = ForecasterConfig | ClassifierConfig | EventForecasterConfig | DecisionModelConfig;

/** Any task model. */
export type AnyTaskModel = Forecaster | Classifier | EventForecaster | DecisionModel;

/** The model class for each `task`. */
export interface ModelForTask {
  /** Multi-horizon forecasting. */
  forecasting: Forecaster;
  /** Sequence classification. */
  classification: Classifier;
  /** Event forecasting. */
  events: EventForecaster;
  /** Return-conditioned decisions. */
  decision: DecisionModel;
}

/**
 * A new, uninitialised model for `config` (call `.init(backend, rng)` or load parameters).
 * @example
 * ```ts
 * const model = createModel({
 *   task: 'forecasting', backbone: 'aaren', encoder: { dModel: 64, heads: 4, dFF: 256, layers: 2 },
 *   channels: 7, lookback: 96, horizon: 96,
 * }).init(cpuBackend(), createRng(0));
 * ```
 * @throws {@link ModelConfigError} for an unknown `task` or an invalid option.
 */
export function createModel<C extends ModelConfig>(config: C): ModelForTask[C['task']] {
  switch (config.task) {
    case 'forecasting':
      return new Forecaster(config) as ModelForTask[C['task']];
    case 'classification':
      return new Classifier(config) as ModelForTask[C['task']];
    case 'events':
      return new EventForecaster(config) as ModelForTask[C['task']];
    case 'decision':
      return new DecisionModel(config) as ModelForTask[C['task']];
    default:
      throw new ModelConfigError(
        'createModel',
        'task',
        `must be 'forecasting', 'classification', 'events' or 'decision', got ${JSON.stringify((config as { task?: unknown }).task)}`,
      );
  }
}
