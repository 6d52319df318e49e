/**
 * The `aaren` command line (Node-only) and the task runner it shares with the experiments.
 * @packageDocumentation
 */
export { CliUsageError } from './errors.js';
export type { CliIo } from './io.js';
export { runCli } from './main.js';
export { createProgress, type Progress, type ProgressOptions, type ProgressStream } from './progress.js';
export {
  type ClassificationTaskData,
  classificationTaskData,
  type DataSpec,
  type EventTaskData,
  type ForecastingTaskData,
  loadTaskData,
  type ModelOptions,
  modelConfigFor,
  monitorFor,
  RUN_FILES,
  type RunFile,
  readRunFile,
  type TaskData,
  type TrainOptions,
  type TrainOutcome,
  trainTask,
} from './task.js';
