/**
 * Command-line parsing of `aaren` with `node:util`'s `parseArgs`: one option table per command, values
 * converted and checked here so commands receive typed options. Every problem is a {@link CliUsageError}.
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { CliUsageError } from './errors.js';

/** The commands of `aaren`. */
export const COMMANDS = ['train', 'eval', 'forecast', 'stream', 'datasets', 'help'] as const;

/** A command name. */
export type CommandName = (typeof COMMANDS)[number];

type OptionTable = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

const DATA_OPTIONS: OptionTable = {
  dataset: { type: 'string', short: 'd' },
  csv: { type: 'string' },
  columns: { type: 'string' },
  target: { type: 'string' },
  'time-column': { type: 'string' },
  lookback: { type: 'string' },
  horizon: { type: 'string' },
  'train-stride': { type: 'string' },
  'event-length': { type: 'string' },
  'train-size': { type: 'string' },
  'test-size': { type: 'string' },
  pool: { type: 'string' },
  mode: { type: 'string' },
  'max-train': { type: 'string' },
  'data-seed': { type: 'string' },
};

/** Option tables per command (shared `--help`). */
export const OPTIONS: Record<CommandName, OptionTable> = {
  train: {
    ...DATA_OPTIONS,
    model: { type: 'string', short: 'm' },
    epochs: { type: 'string', short: 'e' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    'weight-decay': { type: 'string' },
    'd-model': { type: 'string' },
    heads: { type: 'string' },
    layers: { type: 'string' },
    'd-ff': { type: 'string' },
    pooling: { type: 'string' },
    patience: { type: 'string' },
    seed: { type: 'string', short: 's' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  eval: {
    checkpoint: { type: 'string', short: 'c' },
    csv: { type: 'string' },
    split: { type: 'string' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  forecast: {
    checkpoint: { type: 'string', short: 'c' },
    csv: { type: 'string' },
    out: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  },
  stream: {
    checkpoint: { type: 'string', short: 'c' },
    csv: { type: 'string' },
    steps: { type: 'string' },
    every: { type: 'string' },
    index: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  datasets: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  help: {},
};

/** Parsed options: strings and booleans by long name. */
export type ParsedOptions = Record<string, string | boolean | undefined>;

/** A parsed command line. */
export interface ParsedCommand {
  /** The command. */
  readonly command: CommandName;
  /** Its options. */
  readonly values: ParsedOptions;
}

/**
 * Parses `argv` (without `node` and the script): the first word is the command.
 * @throws CliUsageError for an unknown command or option, a missing value or a stray argument.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { command: 'help', values: {} };
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new CliUsageError(`unknown command '${first}'; commands are ${COMMANDS.join(', ')}`);
  }
  const command = first as CommandName;
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: OPTIONS[command],
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) {
      throw new CliUsageError(`aaren ${command}: unexpected argument '${positionals[0]}'`);
    }
    return { command, values: values as ParsedOptions };
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    throw new CliUsageError(`aaren ${command}: ${(error as Error).message}`);
  }
}

/** A string option, or `undefined`. */
export function stringOption(values: ParsedOptions, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A required string option. @throws CliUsageError */
export function requiredOption(command: string, values: ParsedOptions, name: string): string {
  const v = stringOption(values, name);
  if (v === undefined || v === '') throw new CliUsageError(`aaren ${command}: --${name} is required`);
  return v;
}

/** An integer option (`>= min`, default 1), or `undefined`. @throws CliUsageError */
export function intOption(values: ParsedOptions, name: string, min = 1): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new CliUsageError(`--${name} must be an integer >= ${min}, got '${text}'`);
  return n;
}

/** A positive number option, or `undefined`. @throws CliUsageError */
export function numberOption(values: ParsedOptions, name: string, allowZero = false): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0) || text.trim() === '') {
    throw new CliUsageError(
      `--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got '${text}'`,
    );
  }
  return n;
}

/** An option restricted to `choices`, or `undefined`. @throws CliUsageError */
export function choiceOption<T extends string>(
  values: ParsedOptions,
  name: string,
  choices: readonly T[],
): T | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new CliUsageError(`--${name} must be one of ${choices.join(', ')}, got '${text}'`);
  }
  return text as T;
}

/** A comma-separated list option, or `undefined`. */
export function listOption(values: ParsedOptions, name: string): string[] | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new CliUsageError(`--${name} needs at least one name`);
  return items;
}

/** Usage text of `aaren` (and of each command). */
export const USAGE = `aaren: train and run Aaren ("Attention as an RNN") and Transformer models

Usage:
  aaren train    --dataset NAME | --csv FILE [--columns a,b] [--model aaren|transformer]
                 [--horizon 96] [--lookback 96] [--epochs 10] [--seed 0] [--out DIR] ...
  aaren eval     --checkpoint DIR [--split test|val|train] [--csv FILE] [--out FILE]
  aaren forecast --checkpoint DIR [--csv FILE] [--out FILE.csv]
  aaren stream   --checkpoint DIR [--csv FILE] [--steps N] [--every K] [--index I]
  aaren datasets [--json]

Built-in datasets: seattle-weather, seattle-weather-hourly, us-births (forecasting), digits,
fashion-mnist (classification), earthquakes (events). 'aaren datasets' says which are installed.

train options:
  --dataset, -d NAME      built-in dataset            --csv FILE          CSV file (forecasting)
  --columns a,b           channels to use (CSV: default every numeric column; --target is an alias)
  --time-column COL       CSV date/time column (default: one named date, time, timestamp, datetime)
  --model, -m KIND        aaren (default) or transformer (same widths and depth)
  --lookback N --horizon N           forecasting window (defaults: dataset's lookback, 96)
  --train-stride N        stride between training windows (default 1)
  --event-length N        events per chunk (earthquakes; default 64)
  --train-size N --test-size N --pool P --mode pixels|rows   Fashion-MNIST sampling and layout
  --max-train N           cap on training examples (seeded sample)
  --epochs, -e N (10)  --batch-size N (32)  --lr X (1e-3)  --weight-decay X (0.01)  --patience N
  --d-model N (32)  --heads N (4)  --layers N (2)  --d-ff N (2·d-model)  --pooling last|mean
  --seed, -s S (0)        initialisation and shuffling   --data-seed S (0)  data sampling
  --out, -o DIR           write the checkpoint, run.json and metrics.json there
  --json                  print the final metrics as JSON on stdout

Progress goes to stderr (a bar on a terminal, plain lines otherwise). Exit codes: 0 success,
1 runtime error, 2 usage or data error.`;
