/**
 * The README experiment, end to end on CPU:
 *
 * 1. learn a 2048-token byte-level BPE on the training chapters of Moby Dick;
 * 2. train the softmax-attention teacher (Llama architecture, ~1M parameters) from scratch, save it in the
 *    Hugging Face layout;
 * 3. (b) SUPRA: convert the teacher and uptrain it with 10% of the teacher's training tokens;
 * 4. (c) the same linear architecture trained from scratch with the same tokens as (b);
 * 5. (d) SUPRA with an attention-transfer warm-up (φ only) taking part of the same token budget;
 * 6. held-out perplexity of every model on the held-out chapters.
 *
 * Run: `pnpm --filter @aaren/supra experiment` (add `-- --quick` for a smoke run of a few steps, or
 * `-- --teacher experiments/moby-dick-teacher` to start from the committed teacher instead of training one).
 * Outputs go to `experiments/out/` (the teacher, tokenizer) and `experiments/results.json`.
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuBackend } from '@aaren/core';
import { writeFileAtomic } from '@aaren/core/node';
import { createProgressBar } from '../src/cli/progress-bar.js';
import {
  attentionTransferLoss,
  type CausalLM,
  convertToSupra,
  createTokenizer,
  evaluatePerplexity,
  featureMapWeightNames,
  initWeights,
  parseModelConfig,
  type SupraLM,
  TokenWindows,
  Trainer,
  type TrainerOptions,
  TransformerLM,
  trainByteLevelBpe,
} from '../src/index.js';
import { loadPretrained, saveModel, saveTrainerCheckpoint } from '../src/node/index.js';
import { loadMobyDick } from './corpus.js';
import { TEACHER_CONFIG } from './teacher-config.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: join(here, 'out') },
    'teacher-steps': { type: 'string' },
    'seq-length': { type: 'string', default: '128' },
    'batch-size': { type: 'string', default: '8' },
    fraction: { type: 'string', default: '0.1' },
    'transfer-fraction': { type: 'string', default: '0.2' },
    'eval-windows': { type: 'string' },
    teacher: { type: 'string' },
  },
});
const quick = values.quick!;
const out = values.out!;
const seqLength = Number(values['seq-length']);
const batchSize = Number(values['batch-size']);
const teacherSteps = Number(values['teacher-steps'] ?? (quick ? 6 : 900));
const uptrainSteps = Math.max(2, Math.round(teacherSteps * Number(values.fraction)));
const transferSteps = Math.max(1, Math.round(uptrainSteps * Number(values['transfer-fraction'])));
const evalWindows = values['eval-windows'] ? Number(values['eval-windows']) : quick ? 4 : undefined;
const backend = cpuBackend();
const log = (line: string) => process.stderr.write(`${line}\n`);

async function train(label: string, trainer: Trainer, checkpointDir?: string): Promise<number> {
  const bar = createProgressBar(label, trainer.options.steps);
  const started = Date.now();
  const result = await trainer.run({
    onProgress: (p) =>
      bar.update(
        p.step,
        `loss ${p.loss.toFixed(3)} lr ${p.lr.toExponential(1)} ${Math.round(p.tokensPerSecond)} tok/s`,
      ),
    ...(checkpointDir && {
      checkpointEvery: 100,
      onCheckpoint: (t: Trainer) =>
        saveTrainerCheckpoint(checkpointDir, t, { tokenizerFrom: join(out, 'tokenizer') }),
    }),
  });
  bar.finish(`final loss ${result.loss.toFixed(3)}`);
  return (Date.now() - started) / 1000;
}

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  const corpus = loadMobyDick();

  // 1. Tokenizer.
  const tokDir =
    values.teacher && existsSync(join(values.teacher, 'tokenizer.json'))
      ? values.teacher
      : join(out, 'tokenizer');
  if (!existsSync(join(tokDir, 'tokenizer.json'))) {
    log('learning the BPE vocabulary…');
    const bpe = trainByteLevelBpe([corpus.train], { vocabSize: TEACHER_CONFIG.vocab_size });
    await mkdir(tokDir, { recursive: true });
    await writeFileAtomic(join(tokDir, 'tokenizer.json'), JSON.stringify(bpe.tokenizer));
    await writeFileAtomic(join(tokDir, 'tokenizer_config.json'), `${JSON.stringify(bpe.config, null, 2)}\n`);
  }
  const tokenizer = createTokenizer(
    JSON.parse(await readFile(join(tokDir, 'tokenizer.json'), 'utf8')),
    JSON.parse(await readFile(join(tokDir, 'tokenizer_config.json'), 'utf8')),
  );
  const trainIds = Int32Array.from(tokenizer.encode(corpus.train));
  const heldOutIds = Int32Array.from(tokenizer.encode(corpus.heldOut));
  log(`corpus: ${trainIds.length} training tokens, ${heldOutIds.length} held-out tokens`);
  const allWindows = Math.floor((heldOutIds.length - 1) / seqLength);
  const evaluate = async (label: string, model: CausalLM) => {
    const bar = createProgressBar(`eval ${label}`, Math.min(allWindows, evalWindows ?? allWindows));
    const r = await evaluatePerplexity(model, heldOutIds, {
      seqLength,
      batchSize: 16,
      ...(evalWindows !== undefined && { maxWindows: evalWindows }),
      onProgress: (done) => bar.update(done),
    });
    bar.finish(`perplexity ${r.perplexity.toFixed(2)}`);
    return r;
  };
  const windows = (seed: number) => new TokenWindows(trainIds, seqLength, seed);
  const tokensPerStep = seqLength * batchSize;

  // 2. Teacher.
  const config = parseModelConfig(TEACHER_CONFIG);
  const teacherDir = values.teacher ?? join(out, 'teacher');
  let teacher: TransformerLM;
  let teacherSeconds = 0;
  if (existsSync(join(teacherDir, 'config.json')) && !quick) {
    teacher = (await loadPretrained(teacherDir, { backend })).model as TransformerLM;
    log(`reusing the teacher in ${teacherDir} (trained for ${teacherSteps} steps)`);
  } else {
    teacher = new TransformerLM(config, initWeights(backend, config, { seed: 0 }), backend);
    teacherSeconds = await train(
      'teacher',
      new Trainer(teacher, windows(0), {
        steps: teacherSteps,
        batchSize,
        lr: 3e-3,
        minLr: 3e-4,
        warmupSteps: Math.min(50, Math.floor(teacherSteps / 10)),
      }),
    );
    await saveModel(teacherDir, teacher, {
      tokenizerFrom: tokDir,
      configExtra: { aaren_training: { steps: teacherSteps, tokens: teacherSteps * tokensPerStep } },
    });
  }
  const teacherTokens = teacherSteps * tokensPerStep;
  const uptrainOptions: TrainerOptions = {
    steps: uptrainSteps,
    batchSize,
    lr: 1e-3,
    minLr: 1e-4,
    warmupSteps: Math.max(1, Math.floor(uptrainSteps / 10)),
  };

  // 3. (b) SUPRA uptraining.
  const supra = convertToSupra(teacher, { seed: 1 });
  const supraAtConversion = await evaluate('SUPRA before uptraining', supra);
  const supraSeconds = await train('SUPRA uptrain', new Trainer(supra, windows(1), uptrainOptions));

  // 4. (c) the same linear model from scratch, same tokens.
  const scratchBase = new TransformerLM(config, initWeights(backend, config, { seed: 2 }), backend);
  const scratch = convertToSupra(scratchBase, { seed: 2, copyWeights: false });
  const scratchSeconds = await train(
    'linear from scratch',
    new Trainer(scratch, windows(1), { ...uptrainOptions, lr: 3e-3, minLr: 3e-4 }),
  );

  // 5. (d) attention transfer, then next-token uptraining, same total steps (tokens) as (b).
  const transferred = convertToSupra(teacher, { seed: 1 });
  const transferSeconds = await train(
    'attention transfer',
    new Trainer(transferred as SupraLM, windows(3), {
      steps: transferSteps,
      batchSize,
      lr: 1e-2,
      minLr: 1e-3,
      warmupSteps: 0,
      trainable: featureMapWeightNames(transferred),
      loss: attentionTransferLoss(teacher, transferred),
    }),
  );
  const transferUptrainSeconds = await train(
    'transfer + uptrain',
    new Trainer(transferred, windows(1), { ...uptrainOptions, steps: uptrainSteps - transferSteps }),
  );

  // 6. Held-out perplexity.
  const rows = [
    {
      model: '(a) teacher, softmax attention',
      tokens: teacherTokens,
      seconds: teacherSeconds,
      result: await evaluate('teacher', teacher),
    },
    {
      model: '(b) SUPRA: converted teacher, uptrained',
      tokens: uptrainSteps * tokensPerStep,
      seconds: supraSeconds,
      result: await evaluate('SUPRA', supra),
    },
    {
      model: '(c) same linear model from scratch',
      tokens: uptrainSteps * tokensPerStep,
      seconds: scratchSeconds,
      result: await evaluate('scratch', scratch),
    },
    {
      model: '(d) SUPRA with attention-transfer warm-up',
      tokens: uptrainSteps * tokensPerStep,
      seconds: transferSeconds + transferUptrainSeconds,
      result: await evaluate('transfer', transferred),
    },
    { model: 'SUPRA at conversion (no uptraining)', tokens: 0, seconds: 0, result: supraAtConversion },
  ];
  const table = [
    '| model | training tokens | held-out loss | held-out perplexity | train time |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.tokens.toLocaleString('en-US')} | ${r.result.loss.toFixed(3)} | ${r.result.perplexity.toFixed(2)} | ${r.seconds ? `${(r.seconds / 60).toFixed(1)} min` : '—'} |`,
    ),
  ].join('\n');
  const summary = {
    date: new Date().toISOString(),
    node: process.version,
    quick,
    corpus: {
      trainTokens: trainIds.length,
      heldOutTokens: heldOutIds.length,
      evaluatedTokens: rows[0]!.result.tokens,
    },
    settings: { seqLength, batchSize, teacherSteps, uptrainSteps, transferSteps, config: TEACHER_CONFIG },
    rows: rows.map((r) => ({ model: r.model, trainingTokens: r.tokens, seconds: r.seconds, ...r.result })),
    table,
  };
  await writeFileAtomic(
    join(quick ? out : here, quick ? 'results-quick.json' : 'results.json'),
    `${JSON.stringify(summary, null, 2)}\n`,
  );
  process.stdout.write(`${table}\n`);
}

await main();
