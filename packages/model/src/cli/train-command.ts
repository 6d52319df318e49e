/**
 * `aaren train`: trains Aaren or the Transformer baseline on a built-in dataset or a CSV file, with a
 * progress bar per epoch, and writes the checkpoint, `run.json` and `metrics.json`.
 * @packageDocumentation
 */
import type { DatasetName } from '../data/node/registry.js';
import type { FitProgress } from '../train/fit.js';
import {
  choiceOption,
  intOption,
  listOption,
  numberOption,
  type ParsedOptions,
  stringOption,
} from './args.js';
import { CliUsageError } from './errors.js';
import { type CliIo, formatMetrics, println } from './io.js';
import { createProgress, type Progress } from './progress.js';
import { type DataSpec, loadTaskData, type TrainOptions, trainTask } from './task.js';

/** Builds the data specification from `train` options. @throws CliUsageError */
export function dataSpecFromOptions(values: ParsedOptions): DataSpec {
  const dataset = stringOption(values, 'dataset');
  const csv = stringOption(values, 'csv');
  if ((dataset === undefined) === (csv === undefined)) {
    throw new CliUsageError('aaren train: give exactly one of --dataset NAME and --csv FILE');
  }
  const columns = listOption(values, 'columns') ?? listOption(values, 'target');
  const entries: [keyof DataSpec, unknown][] = [
    ['dataset', dataset as DatasetName | undefined],
    ['csv', csv],
    ['columns', columns],
    ['timeColumn', stringOption(values, 'time-column')],
    ['lookback', intOption(values, 'lookback')],
    ['horizon', intOption(values, 'horizon')],
    ['trainStride', intOption(values, 'train-stride')],
    ['eventLength', intOption(values, 'event-length', 2)],
    ['trainSize', intOption(values, 'train-size')],
    ['testSize', intOption(values, 'test-size')],
    ['pool', intOption(values, 'pool')],
    ['mode', choiceOption(values, 'mode', ['pixels', 'rows'] as const)],
    ['maxTrain', intOption(values, 'max-train')],
    ['dataSeed', intOption(values, 'data-seed', 0)],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as DataSpec;
}

/** Builds the training options from `train` options (without callbacks). @throws CliUsageError */
export function trainOptionsFromOptions(values: ParsedOptions): TrainOptions {
  const dModel = intOption(values, 'd-model') ?? 32;
  const heads = intOption(values, 'heads') ?? 4;
  if (dModel % heads !== 0) throw new CliUsageError(`--heads (${heads}) must divide --d-model (${dModel})`);
  const patience = intOption(values, 'patience', 0);
  const out = stringOption(values, 'out');
  return {
    backbone: choiceOption(values, 'model', ['aaren', 'transformer'] as const) ?? 'aaren',
    encoder: {
      dModel,
      heads,
      layers: intOption(values, 'layers') ?? 2,
      dFF: intOption(values, 'd-ff') ?? 2 * dModel,
    },
    pooling: choiceOption(values, 'pooling', ['last', 'mean'] as const) ?? 'last',
    epochs: intOption(values, 'epochs') ?? 10,
    batchSize: intOption(values, 'batch-size') ?? 32,
    lr: numberOption(values, 'lr') ?? 1e-3,
    weightDecay: numberOption(values, 'weight-decay', true) ?? 0.01,
    seed: intOption(values, 'seed', 0) ?? 0,
    ...(patience !== undefined ? { patience } : {}),
    ...(out !== undefined ? { out } : {}),
  };
}

/** A `fit` progress handler drawing one bar per epoch on `io.stderr`. */
export function progressHandler(io: CliIo, epochs: number): (event: FitProgress) => void {
  let bar: Progress | null = null;
  let shown = 0;
  return (event) => {
    if (event.type === 'step') {
      if (bar === null) {
        bar = createProgress({
          total: event.batches,
          label: `epoch ${event.epoch}/${epochs}`,
          stream: io.stderr,
        });
        shown = 0;
      }
      bar.tick(event.batch - shown, `loss ${event.loss.toFixed(4)}`);
      shown = event.batch;
      return;
    }
    const r = event.record;
    const val = r.validation ? `  val ${formatMetrics(r.validation)}` : '';
    const text = `train loss ${r.train.loss?.toFixed(4)}${val}${event.improved ? '' : ' (no improvement)'}`;
    if (bar) bar.done(text);
    else println(io.stderr, `epoch ${r.epoch}/${epochs} ${text}`);
    bar = null;
  };
}

/** Runs `aaren train`. Returns the exit code. */
export async function trainCommand(values: ParsedOptions, io: CliIo): Promise<number> {
  const spec = dataSpecFromOptions(values);
  const options = trainOptionsFromOptions(values);
  const data = await loadTaskData(spec);
  println(
    io.stderr,
    `aaren train: ${data.name} (${data.task}), ${options.backbone}, ${data.train.length} train / ${data.val.length} val / ${data.test.length} test examples`,
  );
  const outcome = await trainTask(data, { ...options, onProgress: progressHandler(io, options.epochs) });
  outcome.model.dispose();
  println(
    io.stderr,
    `${outcome.paramCount} parameters, ${outcome.fit.epochs} epochs in ${outcome.trainSeconds.toFixed(1)}s`,
  );
  if (values.json === true) {
    println(
      io.stdout,
      JSON.stringify({ val: outcome.val, test: outcome.test, paramCount: outcome.paramCount }),
    );
  } else {
    println(io.stdout, `val  ${formatMetrics(outcome.val)}`);
    println(io.stdout, `test ${formatMetrics(outcome.test)}`);
  }
  if (options.out) println(io.stderr, `checkpoint, run.json and metrics.json written to ${options.out}`);
  return 0;
}
