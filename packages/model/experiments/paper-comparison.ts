/**
 * The paper's comparison (Feng et al., arXiv 2405.13956, §4): Aaren vs the Transformer baseline trained
 * with the same budget (same widths, depth, head, optimizer, schedule, epochs and data) on real data,
 * for several seeds; writes every run to JSON and a Markdown table of mean ± std over seeds.
 *
 * Usage (from packages/model):
 *   node --conditions=@aaren/source --import tsx experiments/paper-comparison.ts            # quick (~15 min, 2 CPU cores)
 *   node --conditions=@aaren/source --import tsx experiments/paper-comparison.ts --full     # the full benchmark
 * Options: --seeds N (3), --only forecasting,classification,events, --datasets a,b, --out DIR
 * (experiments/results), --resume (skip runs already in the JSON file).
 * @packageDocumentation
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@aaren/core/node';
import { type DataSpec, loadTaskData, type TaskData, trainTask } from '../src/cli/task.js';
import type { EncoderConfig } from '../src/models/encoder-config.js';

/** One experiment: a dataset, a data specification and the metrics to report. */
interface Experiment {
  readonly id: string;
  readonly task: 'forecasting' | 'classification' | 'events';
  readonly dataset: string;
  readonly horizon?: number;
  readonly spec: DataSpec;
  readonly epochs: number;
  readonly lr: number;
  readonly batchSize: number;
}

/** A budget: model widths shared by both backbones, and the experiments. */
interface Budget {
  readonly name: 'quick' | 'full';
  readonly encoder: EncoderConfig;
  readonly experiments: readonly Experiment[];
}

function forecasting(
  dataset: string,
  horizons: readonly number[],
  options: { epochs: number; trainStride: number; valStride: number; lr: number; lookback?: number },
): Experiment[] {
  return horizons.map((horizon) => ({
    id: `${dataset}/H${horizon}`,
    task: 'forecasting',
    dataset,
    horizon,
    spec: {
      dataset: dataset as DataSpec['dataset'],
      lookback: options.lookback ?? 96,
      horizon,
      trainStride: options.trainStride,
      valStride: options.valStride,
    },
    epochs: options.epochs,
    lr: options.lr,
    batchSize: 32,
  }));
}

/**
 * Quick: sized for ≲20 minutes on 2 CPU cores. Lookback 96 everywhere; training windows thinned with a
 * stride (the same windows for both models), test windows all used (stride 1).
 */
const QUICK: Budget = {
  name: 'quick',
  encoder: { dModel: 32, heads: 4, layers: 2, dFF: 64 },
  experiments: [
    ...forecasting('seattle-weather', [24, 96], { epochs: 4, trainStride: 2, valStride: 1, lr: 3e-3 }),
    ...forecasting('seattle-weather-hourly', [96, 336], {
      epochs: 4,
      trainStride: 16,
      valStride: 8,
      lr: 2e-3,
    }),
    ...forecasting('us-births', [96, 336], { epochs: 4, trainStride: 12, valStride: 4, lr: 3e-3 }),
    {
      id: 'digits',
      task: 'classification',
      dataset: 'digits',
      spec: { dataset: 'digits' },
      epochs: 8,
      lr: 3e-3,
      batchSize: 32,
    },
    {
      id: 'fashion-mnist/49px',
      task: 'classification',
      dataset: 'fashion-mnist',
      spec: { dataset: 'fashion-mnist', pool: 4, mode: 'pixels', trainSize: 1800, testSize: 1000 },
      epochs: 4,
      lr: 3e-3,
      batchSize: 32,
    },
    {
      id: 'earthquakes',
      task: 'events',
      dataset: 'earthquakes',
      spec: { dataset: 'earthquakes', eventLength: 32, eventStride: 8 },
      epochs: 10,
      lr: 2e-3,
      batchSize: 16,
    },
  ],
};

/**
 * Full: every horizon each series allows (see the README), all training windows, full Fashion-MNIST as
 * 784-step pixel sequences; bigger models. Hours to days on a CPU: a benchmark command, not a CI job.
 */
const FULL: Budget = {
  name: 'full',
  encoder: { dModel: 64, heads: 4, layers: 3, dFF: 128 },
  experiments: [
    ...forecasting('seattle-weather', [24, 48, 96], { epochs: 10, trainStride: 1, valStride: 1, lr: 1e-3 }),
    ...forecasting('seattle-weather-hourly', [96, 192, 336, 720], {
      epochs: 10,
      trainStride: 1,
      valStride: 1,
      lr: 1e-3,
    }),
    ...forecasting('us-births', [96, 192, 336, 720], { epochs: 10, trainStride: 1, valStride: 1, lr: 1e-3 }),
    {
      id: 'digits',
      task: 'classification',
      dataset: 'digits',
      spec: { dataset: 'digits' },
      epochs: 30,
      lr: 1e-3,
      batchSize: 32,
    },
    {
      id: 'fashion-mnist/784px',
      task: 'classification',
      dataset: 'fashion-mnist',
      spec: { dataset: 'fashion-mnist', pool: 1, mode: 'pixels' },
      epochs: 10,
      lr: 1e-3,
      batchSize: 64,
    },
    {
      id: 'earthquakes',
      task: 'events',
      dataset: 'earthquakes',
      spec: { dataset: 'earthquakes', eventLength: 64, eventStride: 8 },
      epochs: 30,
      lr: 1e-3,
      batchSize: 16,
    },
  ],
};

/** Seasonal period of the naive forecasting reference per dataset (1 = repeat the last value). */
const NAIVE_PERIOD: Record<string, number> = {
  'seattle-weather': 1,
  'seattle-weather-hourly': 24,
  'us-births': 7,
};

/**
 * A model-free reference on the test split: forecasting, the seasonal-naive forecast (the value one period
 * before each target step, from the look-back window) in MSE/MAE; classification, chance; events, always
 * predicting the most frequent training mark.
 */
function reference(experiment: Experiment, data: TaskData): Record<string, number> {
  if (data.task === 'forecasting') {
    const w = data.prepared.test;
    const { lookback: L, horizon: H, channels: C } = w;
    const period = NAIVE_PERIOD[experiment.dataset] ?? 1;
    let se = 0;
    let ae = 0;
    for (let i = 0; i < w.count; i++) {
      for (let h = 0; h < H; h++) {
        const source = L - period + (h % period);
        for (let c = 0; c < C; c++) {
          const e = w.targets[(i * H + h) * C + c]! - w.inputs[(i * L + source) * C + c]!;
          se += e * e;
          ae += Math.abs(e);
        }
      }
    }
    const n = w.count * H * C;
    return { mse: se / n, mae: ae / n };
  }
  if (data.task === 'classification') return { accuracy: 1 / data.parts.train.classes };
  const counts = new Array<number>(data.sequence.markCount).fill(0);
  for (const m of data.prepared.train.marks) counts[m]!++;
  const majority = counts.indexOf(Math.max(...counts));
  const test = data.prepared.test;
  let hits = 0;
  let n = 0;
  for (let i = 0; i < test.count; i++) {
    for (let k = 1; k < test.length; k++) {
      hits += test.marks[i * test.length + k] === majority ? 1 : 0;
      n++;
    }
  }
  return { markAccuracy: hits / n };
}

/** One finished run. */
interface RunRecord {
  readonly experiment: string;
  readonly task: Experiment['task'];
  readonly dataset: string;
  readonly horizon: number | null;
  readonly backbone: 'aaren' | 'transformer';
  readonly seed: number;
  readonly test: Record<string, number>;
  readonly val: Record<string, number>;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly paramCount: number;
  readonly trainSeconds: number;
  readonly examples: { readonly train: number; readonly val: number; readonly test: number };
}

/** The reported metrics per task (name in the table, metric key, whether lower is better). */
const REPORTED: Record<Experiment['task'], readonly [string, string][]> = {
  forecasting: [
    ['MSE', 'mse'],
    ['MAE', 'mae'],
  ],
  classification: [['accuracy (%)', 'accuracy']],
  events: [
    ['mark accuracy (%)', 'markAccuracy'],
    ['time NLL', 'timeNll'],
  ],
};

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance =
    values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

function format(values: readonly number[], percent: boolean): string {
  const { mean, std } = meanStd(percent ? values.map((v) => 100 * v) : values);
  const digits = percent ? 1 : 3;
  return `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}

/** The Markdown table of mean ± std over seeds, Aaren next to the Transformer. */
function markdownTable(
  records: readonly RunRecord[],
  references: Readonly<Record<string, Record<string, number>>>,
  budget: Budget,
  seeds: number,
): string {
  const lines = [
    '| task | dataset | horizon | metric | Aaren | Transformer | reference |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: |',
  ];
  const ids = [...new Set(records.map((r) => r.experiment))];
  for (const id of ids) {
    const runs = records.filter((r) => r.experiment === id);
    const first = runs[0]!;
    for (const [label, key] of REPORTED[first.task]) {
      const cell = (backbone: string) => {
        const values = runs.filter((r) => r.backbone === backbone).map((r) => r.test[key]!);
        return values.length ? format(values, label.includes('%')) : '–';
      };
      const ref = references[id]?.[key];
      const refCell = ref === undefined ? '–' : label.includes('%') ? (100 * ref).toFixed(1) : ref.toFixed(3);
      lines.push(
        `| ${first.task} | ${first.dataset}${id.includes('fashion') ? ` (${id.split('/')[1]})` : ''} | ${first.horizon ?? '–'} | ${label} | ${cell('aaren')} | ${cell('transformer')} | ${refCell} |`,
      );
    }
  }
  const time = (backbone: string) =>
    records.filter((r) => r.backbone === backbone).reduce((a, r) => a + r.trainSeconds, 0) / 60;
  const params = (backbone: string) => {
    const p = records
      .filter((r) => r.backbone === backbone && r.task === 'forecasting')
      .map((r) => r.paramCount);
    return p.length
      ? `${Math.min(...p).toLocaleString('en-US')}–${Math.max(...p).toLocaleString('en-US')}`
      : '–';
  };
  const e = budget.encoder;
  lines.push(
    '',
    `Budget '${budget.name}': d_model ${e.dModel}, ${e.heads} heads, ${e.layers} layers, d_ff ${e.dFF} for both models; ` +
      `mean ± sample std over ${seeds} seeds (test split). Forecasting parameters: Aaren ${params('aaren')}, ` +
      `Transformer ${params('transformer')}. Training time: Aaren ${time('aaren').toFixed(1)} min, ` +
      `Transformer ${time('transformer').toFixed(1)} min (CPU backend, shared 2-core machine). Reference: ` +
      'seasonal-naive forecast (period 1 day for seattle-weather, 24 h for the hourly set, 7 days for births), ' +
      'chance for classification, the most frequent training mark for events.',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean' },
      seeds: { type: 'string' },
      only: { type: 'string' },
      datasets: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
    },
  });
  const budget = values.full ? FULL : QUICK;
  const seeds = Number(values.seeds ?? 3);
  if (!Number.isInteger(seeds) || seeds < 1)
    throw new Error(`--seeds must be a positive integer, got ${values.seeds}`);
  const only = values.only?.split(',');
  const datasets = values.datasets?.split(',');
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = values.out ?? join(here, 'results');
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, `paper-comparison-${budget.name}.json`);
  const mdPath = join(outDir, `paper-comparison-${budget.name}.md`);
  let records: RunRecord[] = [];
  let references: Record<string, Record<string, number>> = {};
  if (values.resume) {
    try {
      const saved = JSON.parse(await readFile(jsonPath, 'utf8')) as {
        runs: RunRecord[];
        references: Record<string, Record<string, number>>;
      };
      records = saved.runs;
      references = saved.references ?? {};
    } catch {
      records = [];
    }
  }
  const experiments = budget.experiments.filter(
    (e) => (!only || only.includes(e.task)) && (!datasets || datasets.includes(e.dataset)),
  );
  const started = performance.now();
  const save = async () => {
    const doc = {
      budget: budget.name,
      encoder: budget.encoder,
      seeds,
      command: `node --conditions=@aaren/source --import tsx experiments/paper-comparison.ts${values.full ? ' --full' : ''}`,
      experiments: budget.experiments,
      references,
      runs: records,
    };
    await writeFileAtomic(jsonPath, `${JSON.stringify(doc, null, 1)}\n`);
    await writeFileAtomic(mdPath, `${markdownTable(records, references, budget, seeds)}\n`);
  };
  for (const experiment of experiments) {
    let data: TaskData;
    try {
      data = await loadTaskData(experiment.spec);
    } catch (error) {
      console.error(`skipping ${experiment.id}: ${(error as Error).message}`);
      continue;
    }
    references[experiment.id] = reference(experiment, data);
    for (let seed = 0; seed < seeds; seed++) {
      for (const backbone of ['aaren', 'transformer'] as const) {
        const done = records.some(
          (r) => r.experiment === experiment.id && r.backbone === backbone && r.seed === seed,
        );
        if (done) continue;
        const outcome = await trainTask(data, {
          backbone,
          encoder: budget.encoder,
          epochs: experiment.epochs,
          batchSize: experiment.batchSize,
          lr: experiment.lr,
          seed,
          schedule: 'warmupCosine',
        });
        outcome.model.dispose();
        records.push({
          experiment: experiment.id,
          task: experiment.task,
          dataset: experiment.dataset,
          horizon: experiment.horizon ?? null,
          backbone,
          seed,
          test: outcome.test,
          val: outcome.val,
          epochs: outcome.fit.epochs,
          bestEpoch: outcome.fit.bestEpoch,
          paramCount: outcome.paramCount,
          trainSeconds: outcome.trainSeconds,
          examples: { train: data.train.length, val: data.val.length, test: data.test.length },
        });
        const main = REPORTED[experiment.task]
          .map(([label, key]) => `${label} ${outcome.test[key]!.toFixed(4)}`)
          .join(', ');
        const elapsed = ((performance.now() - started) / 60000).toFixed(1);
        console.error(
          `[${elapsed} min] ${experiment.id} ${backbone.padEnd(11)} seed ${seed}: ${main} (${outcome.trainSeconds.toFixed(1)}s)`,
        );
        await save();
      }
    }
  }
  await save();
  console.log(markdownTable(records, references, budget, seeds));
  console.error(`results: ${jsonPath}, ${mdPath}`);
}

await main();
