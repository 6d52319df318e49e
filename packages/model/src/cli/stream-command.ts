/**
 * `aaren stream`: feeds one example to a checkpoint token by token through its streaming state and prints
 * each output with the size of the state — constant for Aaren, growing with the KV cache for the
 * Transformer — then checks the last output against the parallel forward.
 * @packageDocumentation
 */
import { noGrad, reshape, slice, type Tensor, tensor, tidy } from '@aaren/core';
import { seriesStats } from '../heads/revin.js';
import { Classifier } from '../models/classifier.js';
import { EventForecaster } from '../models/event-forecaster.js';
import { Forecaster } from '../models/forecaster.js';
import { intOption, type ParsedOptions, requiredOption, stringOption } from './args.js';
import { openRun } from './checkpoint-run.js';
import { CliUsageError } from './errors.js';
import { type CliIo, println } from './io.js';

function read(t: Tensor): Float32Array {
  const out = Float32Array.from(t.dataSync() as ArrayLike<number>);
  t.dispose();
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

function softmaxMax(v: Float32Array): number {
  const m = Math.max(...v);
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return 1 / s;
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4));

/** Runs `aaren stream`. Returns the exit code. */
export async function streamCommand(values: ParsedOptions, io: CliIo): Promise<number> {
  const dir = requiredOption('stream', values, 'checkpoint');
  const { model, data, backend, run } = await openRun(dir, stringOption(values, 'csv'));
  const index = intOption(values, 'index', 0) ?? 0;
  const test = data.test;
  if (index >= test.length)
    throw new CliUsageError(`--index ${index} is beyond the ${test.length} test examples`);
  const kind = model.config.backbone;
  const line = (position: number, bytes: number, text: string) =>
    println(io.stdout, `${String(position).padStart(5)}  state ${String(bytes).padStart(9)} B  ${text}`);
  println(io.stdout, `streaming test example ${index} of ${data.name} through ${kind} (${run.task})`);
  println(io.stdout, '  pos  state size       output');
  try {
    if (model instanceof Forecaster && data.task === 'forecasting') {
      const batch = data.test.batch([index], backend);
      const [, L = 0, C = 0] = batch.input.shape;
      const steps = Math.min(intOption(values, 'steps') ?? L, L);
      const every = intOption(values, 'every') ?? Math.max(1, Math.ceil(steps / 20));
      const window = noGrad(() => slice(batch.input, [0, 0, 0], [1, steps, C]));
      const stats = noGrad(() => seriesStats(window));
      const state = model.createState(1, {
        mean: reshape(stats.mean, [1, C]),
        std: reshape(stats.std, [1, C]),
      });
      let last: Float32Array = new Float32Array(0);
      for (let t = 0; t < steps; t++) {
        const x = noGrad(() => reshape(slice(window, [0, t, 0], [1, 1, C]), [1, C]));
        last = read(model.step(state, x));
        x.dispose();
        if ((t + 1) % every === 0 || t === steps - 1) {
          line(
            t + 1,
            state.stateBytes(),
            `next step forecast (scaled): ${Array.from(last.subarray(0, C), fmt).join(', ')}`,
          );
        }
      }
      const parallel = read(noGrad(() => model.predict(window)));
      println(
        io.stdout,
        `max |streamed − parallel| forecast after ${steps} steps: ${maxAbsDiff(last, parallel).toExponential(2)}`,
      );
      state.dispose();
      for (const t of [batch.input, batch.target, window, stats.mean, stats.std]) t.dispose();
    } else if (model instanceof Classifier && data.task === 'classification') {
      const batch = data.test.batch([index], backend);
      const [, N = 0, F = 0] = batch.input.shape;
      const steps = Math.min(intOption(values, 'steps') ?? N, N);
      const every = intOption(values, 'every') ?? Math.max(1, Math.ceil(steps / 20));
      const label = read(batch.labels)[0];
      const input = noGrad(() => slice(batch.input, [0, 0, 0], [1, steps, F]));
      const state = model.createState(1);
      let logits: Float32Array = new Float32Array(0);
      for (let t = 0; t < steps; t++) {
        const x = noGrad(() => reshape(slice(input, [0, t, 0], [1, 1, F]), [1, F]));
        logits = read(model.step(state, x));
        x.dispose();
        if ((t + 1) % every === 0 || t === steps - 1) {
          const k = argmax(logits);
          const names = data.parts.test.classNames;
          line(
            t + 1,
            state.stateBytes(),
            `class ${k}${names ? ` (${names[k]})` : ''} p=${softmaxMax(logits).toFixed(3)}`,
          );
        }
      }
      const parallel = read(noGrad(() => tidy(() => model.logits(input))));
      println(
        io.stdout,
        `true class ${label}; max |streamed − parallel| logits: ${maxAbsDiff(logits, parallel).toExponential(2)}`,
      );
      state.dispose();
      input.dispose();
    } else if (model instanceof EventForecaster && data.task === 'events') {
      const batch = data.test.batch([index], backend);
      const marks = Int32Array.from(read(batch.marks));
      const times = read(batch.times);
      const steps = Math.min(intOption(values, 'steps') ?? marks.length, marks.length);
      const every = intOption(values, 'every') ?? Math.max(1, Math.ceil(steps / 20));
      const state = model.createState(1);
      const names = data.sequence.markNames;
      for (let t = 0; t < steps; t++) {
        const mark = tensor(backend, Int32Array.from([marks[t]!]), [1]);
        const time = tensor(backend, Float32Array.from([times[t]!]), [1]);
        const prediction = model.step(state, { mark, time });
        const logits = read(prediction.markLogits);
        for (const p of Object.values(prediction.mixture)) (p as Tensor).dispose();
        mark.dispose();
        time.dispose();
        if ((t + 1) % every === 0 || t === steps - 1) {
          const k = argmax(logits);
          const actual = t + 1 < marks.length ? names[marks[t + 1]!] : '?';
          line(
            t + 1,
            state.stateBytes(),
            `next mark ${names[k]} p=${softmaxMax(logits).toFixed(3)} (actual ${actual})`,
          );
        }
      }
      state.dispose();
      for (const t of [batch.marks, batch.times]) t.dispose();
    } else {
      throw new CliUsageError(`aaren stream does not support ${run.task} checkpoints`);
    }
  } finally {
    model.dispose();
  }
  println(
    io.stdout,
    kind === 'aaren'
      ? 'Aaren keeps a constant-size state (m, u, w per layer and head) whatever the number of tokens.'
      : 'The Transformer keeps a KV cache that grows with every token.',
  );
  return 0;
}
