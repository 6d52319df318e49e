/**
 * `aaren eval`: metrics of a checkpoint on a split of its data (or of a new CSV), written as JSON.
 * @packageDocumentation
 */
import { join } from 'node:path';
import type { Dataset } from '../train/dataset.js';
import { evaluate, type Trainable } from '../train/evaluate.js';
import { choiceOption, type ParsedOptions, requiredOption, stringOption } from './args.js';
import { openRun } from './checkpoint-run.js';
import { type CliIo, formatMetrics, println } from './io.js';
import { writeJson } from './task.js';

/** Runs `aaren eval`. Returns the exit code. */
export async function evalCommand(values: ParsedOptions, io: CliIo): Promise<number> {
  const dir = requiredOption('eval', values, 'checkpoint');
  const split = choiceOption(values, 'split', ['train', 'val', 'test'] as const) ?? 'test';
  const csv = stringOption(values, 'csv');
  const { model, data } = await openRun(dir, csv);
  const dataset = data[split] as Dataset<unknown>;
  const trainable: Trainable<unknown> = model;
  const started = performance.now();
  const metrics = await evaluate(trainable, dataset, { batchSize: 64 });
  const seconds = (performance.now() - started) / 1000;
  model.dispose();
  const out = stringOption(values, 'out') ?? join(dir, `eval-${split}.json`);
  await writeJson(out, {
    checkpoint: dir,
    data: csv ?? data.name,
    split,
    examples: dataset.length,
    metrics,
    seconds,
  });
  if (values.json === true) println(io.stdout, JSON.stringify(metrics));
  else println(io.stdout, `${split} (${dataset.length} examples) ${formatMetrics(metrics)}`);
  println(io.stderr, `metrics written to ${out}`);
  return 0;
}
