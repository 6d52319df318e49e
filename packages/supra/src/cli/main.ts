/**
 * The `supra` command line: `convert`, `uptrain`, `eval` and `generate` on Hugging Face model folders.
 * Outputs are written atomically; long work shows a progress bar on stderr.
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuBackend } from '@aaren/core';
import { generate } from '../generate/generate.js';
import { loadPretrained } from '../node/load-pretrained.js';
import { saveModel } from '../node/save-model.js';
import { resumeTrainer, saveTrainerCheckpoint } from '../node/trainer-checkpoint.js';
import { convertToSupra } from '../supra/convert.js';
import type { SupraOptions } from '../supra/supra-options.js';
import type { TextTokenizer } from '../tokenizer/text-tokenizer.js';
import { evaluatePerplexity } from '../train/evaluate.js';
import { TokenWindows } from '../train/token-windows.js';
import { Trainer } from '../train/trainer.js';
import { createProgressBar } from './progress-bar.js';

const USAGE = `usage: supra <command> [options]

  convert <hf-dir> <out-dir>    linearize a Llama/Mistral/GPT-2 folder with SUPRA (paper defaults)
      --feature-dim N  --decay alibi|retnet|none  --normalization group-norm|denominator|none
      --no-rope  --feature-init torch-default|identity  --chunk-size N  --seed N
  uptrain <model-dir> <out-dir> next-token training on a text file; resumable checkpoints in <out-dir>
      --text FILE  --steps N  --batch-size N  --seq-length N  --lr X  --min-lr X  --warmup N
      --checkpoint-every N  --holdout FRACTION  --seed N  --resume
  eval <model-dir>              held-out perplexity on a text file
      --text FILE  --seq-length N  --batch-size N  --max-windows N  --holdout FRACTION
  generate <model-dir>          sample a continuation (streams to stdout)
      --prompt TEXT  --max-new-tokens N  --temperature X  --top-k N  --top-p X  --seed N  --stop ID,...
`;

/** A command failed in a way the user can fix; printed without a stack trace. */
class UsageError extends Error {}

function int(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got '${value}'`);
  return n;
}

function num(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${value}'`);
  return n;
}

async function corpus(
  tokenizer: TextTokenizer | null,
  file: string | undefined,
  holdout: number,
): Promise<{ train: Int32Array; heldOut: Int32Array }> {
  if (!file) throw new UsageError('--text FILE is required');
  if (!tokenizer) throw new UsageError('the model folder has no tokenizer.json');
  const ids = Int32Array.from(tokenizer.encode(await readFile(file, 'utf8'), { addSpecialTokens: false }));
  const split = Math.floor(ids.length * (1 - holdout));
  return { train: ids.subarray(0, split), heldOut: ids.subarray(split) };
}

const STRING = { type: 'string' } as const;

async function convert(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'feature-dim': STRING,
      decay: STRING,
      normalization: STRING,
      'no-rope': { type: 'boolean' },
      'feature-init': STRING,
      'chunk-size': STRING,
      seed: STRING,
    },
  });
  const [source, out] = positionals;
  if (!source || !out) throw new UsageError('convert needs <hf-dir> <out-dir>');
  const { model } = await loadPretrained(source, { backend: cpuBackend(), tokenizer: false });
  const options: SupraOptions = {
    ...(values['feature-dim'] !== undefined && { featureDim: int(values['feature-dim'], 'feature-dim', 0) }),
    ...(values.decay !== undefined && { decay: values.decay as 'alibi' }),
    ...(values.normalization !== undefined && { normalization: values.normalization as 'group-norm' }),
    ...(values['no-rope'] && { rope: false }),
    ...(values['feature-init'] !== undefined && { featureInit: values['feature-init'] as 'identity' }),
    ...(values['chunk-size'] !== undefined && { chunkSize: int(values['chunk-size'], 'chunk-size', 64) }),
  };
  const supra = convertToSupra(model, { ...options, seed: int(values.seed, 'seed', 0), copyWeights: false });
  await saveModel(out, supra, { tokenizerFrom: source });
  process.stderr.write(
    `wrote ${out} (${supra.config.architecture}, SUPRA ${JSON.stringify(supra.settings)})\n`,
  );
}

async function uptrain(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      text: STRING,
      steps: STRING,
      'batch-size': STRING,
      'seq-length': STRING,
      lr: STRING,
      'min-lr': STRING,
      warmup: STRING,
      'checkpoint-every': STRING,
      holdout: STRING,
      seed: STRING,
      resume: { type: 'boolean' },
    },
  });
  const [source, out] = positionals;
  if (!source || !out) throw new UsageError('uptrain needs <model-dir> <out-dir>');
  const backend = cpuBackend();
  const loaded = await loadPretrained(source, { backend });
  const { train, heldOut } = await corpus(loaded.tokenizer, values.text, num(values.holdout, 'holdout', 0.1));
  const seqLength = int(values['seq-length'], 'seq-length', 128);
  let trainer: Trainer;
  if (values.resume) {
    trainer = (await resumeTrainer(out, backend, train)).trainer;
    process.stderr.write(`resuming from step ${trainer.step}\n`);
  } else {
    const steps = int(values.steps, 'steps', 1000);
    trainer = new Trainer(loaded.model, new TokenWindows(train, seqLength, int(values.seed, 'seed', 0)), {
      steps,
      batchSize: int(values['batch-size'], 'batch-size', 8),
      lr: num(values.lr, 'lr', 1e-3),
      ...(values['min-lr'] !== undefined && { minLr: num(values['min-lr'], 'min-lr', 0) }),
      ...(values.warmup !== undefined && { warmupSteps: int(values.warmup, 'warmup', 0) }),
    });
  }
  const bar = createProgressBar('uptrain', trainer.options.steps);
  await trainer.run({
    onProgress: (p) =>
      bar.update(
        p.step,
        `loss ${p.loss.toFixed(3)} lr ${p.lr.toExponential(2)} ${Math.round(p.tokensPerSecond)} tok/s`,
      ),
    checkpointEvery: int(values['checkpoint-every'], 'checkpoint-every', 100),
    onCheckpoint: (t) => saveTrainerCheckpoint(out, t, { tokenizerFrom: source }),
  });
  bar.finish();
  if (heldOut.length > trainer.data.seqLength) {
    const r = await evaluatePerplexity(trainer.model, heldOut, { seqLength: trainer.data.seqLength });
    process.stdout.write(
      `held-out loss ${r.loss.toFixed(4)} perplexity ${r.perplexity.toFixed(3)} (${r.tokens} tokens)\n`,
    );
  }
}

async function evaluate(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      text: STRING,
      'seq-length': STRING,
      'batch-size': STRING,
      'max-windows': STRING,
      holdout: STRING,
    },
  });
  const [dir] = positionals;
  if (!dir) throw new UsageError('eval needs <model-dir>');
  const { model, tokenizer } = await loadPretrained(dir, { backend: cpuBackend() });
  const { heldOut } = await corpus(tokenizer, values.text, num(values.holdout, 'holdout', 1));
  const seqLength = int(values['seq-length'], 'seq-length', 128);
  const windows = Math.floor((heldOut.length - 1) / seqLength);
  const maxWindows = int(values['max-windows'], 'max-windows', windows);
  const bar = createProgressBar('eval', Math.min(windows, maxWindows));
  const r = await evaluatePerplexity(model, heldOut, {
    seqLength,
    batchSize: int(values['batch-size'], 'batch-size', 8),
    maxWindows,
    onProgress: (done) => bar.update(done),
  });
  bar.finish();
  process.stdout.write(
    `loss ${r.loss.toFixed(4)} perplexity ${r.perplexity.toFixed(3)} (${r.tokens} tokens)\n`,
  );
}

async function generateCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      prompt: STRING,
      'max-new-tokens': STRING,
      temperature: STRING,
      'top-k': STRING,
      'top-p': STRING,
      seed: STRING,
      stop: STRING,
    },
  });
  const [dir] = positionals;
  if (!dir) throw new UsageError('generate needs <model-dir>');
  const { model, tokenizer } = await loadPretrained(dir, { backend: cpuBackend() });
  if (!tokenizer) throw new UsageError(`${join(dir, 'tokenizer.json')} is missing`);
  const prompt = tokenizer.encode(values.prompt ?? '');
  if (prompt.length === 0) throw new UsageError('--prompt must encode to at least one token');
  const stops = values.stop
    ? values.stop.split(',').map((s) => int(s, 'stop', 0))
    : [...model.config.eosTokenIds, ...(tokenizer.eosTokenId === null ? [] : [tokenizer.eosTokenId])];
  const generated: number[] = [];
  let printed = '';
  process.stdout.write(values.prompt ?? '');
  const result = await generate(model, prompt, {
    maxNewTokens: int(values['max-new-tokens'], 'max-new-tokens', 64),
    temperature: num(values.temperature, 'temperature', 0.8),
    topK: int(values['top-k'], 'top-k', 0),
    topP: num(values['top-p'], 'top-p', 0.95),
    seed: int(values.seed, 'seed', 0),
    stopTokens: stops,
    onToken: (token) => {
      generated.push(token);
      // Decode the whole continuation and print what is new, so multi-byte characters split across tokens
      // appear once complete.
      const text = tokenizer.decode(generated, { skipSpecialTokens: true });
      if (!text.endsWith('\uFFFD')) {
        process.stdout.write(text.slice(printed.length));
        printed = text;
      }
      return undefined;
    },
  });
  process.stdout.write('\n');
  process.stderr.write(
    `${result.tokens.length} tokens (${result.finishReason}); decoding cache ${result.cacheBytes} bytes\n`,
  );
}

/** Runs the CLI with `argv` (without the node and script paths); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const commands: Record<string, (args: string[]) => Promise<void>> = {
    convert,
    uptrain,
    eval: evaluate,
    generate: generateCommand,
  };
  const run = command === undefined ? undefined : commands[command];
  if (!run) {
    process.stderr.write(USAGE);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  }
  try {
    await run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error)) {
      process.stderr.write(`supra ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
