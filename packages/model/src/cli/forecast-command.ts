/**
 * `aaren forecast`: forecasts the steps after the end of a series (the checkpoint's data or a CSV with
 * the same columns) and prints them as CSV in the data's units.
 * @packageDocumentation
 */
import { writeFile } from 'node:fs/promises';
import { noGrad, tensor } from '@aaren/core';
import { StandardScaler } from '../data/scaler.js';
import { Forecaster } from '../models/forecaster.js';
import { type ParsedOptions, requiredOption, stringOption } from './args.js';
import { openRun } from './checkpoint-run.js';
import { CliUsageError } from './errors.js';
import { type CliIo, println } from './io.js';

/** Formats a future timestamp as a date when every timestamp of the series is at midnight UTC. */
function timeFormatter(timestamps: Float64Array | undefined): ((ms: number) => string) | null {
  if (!timestamps || timestamps.length < 2) return null;
  const dateOnly = timestamps.every((t) => t % 86_400_000 === 0);
  return (ms) => {
    const iso = new Date(ms).toISOString();
    return dateOnly ? iso.slice(0, 10) : iso.slice(0, 19);
  };
}

/** Runs `aaren forecast`. Returns the exit code. */
export async function forecastCommand(values: ParsedOptions, io: CliIo): Promise<number> {
  const dir = requiredOption('forecast', values, 'checkpoint');
  const { model, run, data, backend } = await openRun(dir, stringOption(values, 'csv'));
  if (data.task !== 'forecasting' || !(model instanceof Forecaster)) {
    model.dispose();
    throw new CliUsageError(
      `aaren forecast needs a forecasting checkpoint; ${dir} is ${run.task} (use aaren eval)`,
    );
  }
  const { series } = data;
  const L = model.config.lookback;
  const H = model.config.horizon;
  const C = series.channels;
  if (series.length < L)
    throw new CliUsageError(`the series has ${series.length} rows, fewer than the lookback ${L}`);
  const scaler = StandardScaler.fromJSON(run.scaler!);
  const window = scaler.transformValues(series.values.subarray((series.length - L) * C));
  const predicted = noGrad(() => {
    const y = model.predict(tensor(backend, window, [1, L, C]));
    const out = y.dataSync() as Float32Array;
    y.dispose();
    return out;
  });
  model.dispose();
  const values_ = scaler.inverseTransformValues(predicted);
  const format = timeFormatter(series.timestamps);
  const ts = series.timestamps;
  const step = ts && ts.length >= 2 ? ts[ts.length - 1]! - ts[ts.length - 2]! : 0;
  const lines = [[format ? 'time' : 'step', ...series.columns].join(',')];
  for (let h = 0; h < H; h++) {
    const when = format && ts ? format(ts[ts.length - 1]! + (h + 1) * step) : String(h + 1);
    const row = Array.from(values_.subarray(h * C, (h + 1) * C), (v) => Number(v.toPrecision(6)));
    lines.push([when, ...row].join(','));
  }
  const text = `${lines.join('\n')}\n`;
  const out = stringOption(values, 'out');
  if (out) {
    await writeFile(out, text);
    println(io.stderr, `forecast of ${H} steps written to ${out}`);
  } else {
    io.stdout.write(text);
  }
  return 0;
}
