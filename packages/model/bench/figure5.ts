/**
 * The paper's Figure 5 (memory and time of streaming inference), reproduced on the CPU backend: tokens are
 * streamed one by one through an Aaren stack (`createState` / `step`) and through the causal Transformer
 * with a KV cache (`createCache` / `step`), both with the same widths, up to N tokens. Records the bytes of
 * model state held after N tokens, the time of one step at N (median of the last 256 steps) and the
 * cumulative time, writes `bench/results/figure5.json` and renders two SVG plots into
 * `apps/docs/public/`.
 *
 * Run: `pnpm --filter @aaren/model figure5` (a few minutes: the Transformer's total work is quadratic in N).
 * `AAREN_FIG5_MAX=4096` shortens the run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuBackend, createRng, keep, randomNormal, type Tensor, tidy } from '@aaren/core';
import { AarenStack, type AarenState, type EncoderConfig, TransformerStack } from '../src/index.js';
import { renderLineChart } from './svg-plot.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const N_MAX = Number(process.env.AAREN_FIG5_MAX ?? 16384);
const CHECKPOINTS = [1024, 2048, 4096, 8192, 16384].filter((n) => n <= N_MAX);
const SAMPLE_EVERY = 256;
const WINDOW = 256;
const WARMUP = 5000;
const CONFIG: EncoderConfig = { dModel: 64, heads: 4, dFF: 256, layers: 2 };

interface Sample {
  /** Tokens streamed. */
  readonly n: number;
  /** Median CPU time (process user + system) of the last WINDOW steps, ms: the per-token time reported. */
  readonly perTokenMs: number;
  /** Median wall-clock time of the last WINDOW steps, ms (inflated when other processes share the cores). */
  readonly wallPerTokenMs: number;
  /** Mean wall-clock time of the last WINDOW steps, ms. */
  readonly meanWallTokenMs: number;
  /** Bytes of sequence state (Aaren: (m, u, w) per layer; Transformer: cached keys and values in use). */
  readonly stateBytes: number;
  /** Bytes allocated for that state (the KV cache doubles its buffers). */
  readonly allocatedBytes: number;
  /** CPU milliseconds to stream all n tokens. */
  readonly cumulativeMs: number;
  /** Wall-clock milliseconds to stream all n tokens. */
  readonly cumulativeWallMs: number;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

type Kind = 'aaren' | 'transformer';

/**
 * Streams N tokens through one model, one `step` per token. Each model runs on its own (one after the
 * other), so neither evicts the other's working set from the CPU caches.
 */
function run(kind: Kind): Sample[] {
  const backend = cpuBackend();
  const model =
    kind === 'aaren'
      ? new AarenStack(CONFIG).init(backend, createRng(0))
      : new TransformerStack(CONFIG).init(backend, createRng(0));
  const rng = createRng(1);
  const tokens: Tensor[] = Array.from({ length: 64 }, () =>
    keep(randomNormal(backend, [1, CONFIG.dModel], rng)),
  );
  const step = (state: unknown, x: Tensor) =>
    tidy(() => void (model as AarenStack).step(state as AarenState, x));
  // JIT warm-up on a throwaway state.
  const warm = model.createState(1);
  for (let t = 0; t < WARMUP; t++) step(warm, tokens[t % 64]!);
  warm.dispose();

  const state = model.createState(1);
  const wall = new Float64Array(N_MAX);
  const cpu = new Float64Array(N_MAX);
  const samples: Sample[] = [];
  let cumulativeWall = 0;
  let cumulativeCpu = 0;
  for (let t = 0; t < N_MAX; t++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    step(state, tokens[t % 64]!);
    const dt = performance.now() - start;
    const used = process.cpuUsage(cpuStart);
    const dc = (used.user + used.system) / 1000;
    wall[t] = dt;
    cpu[t] = dc;
    cumulativeWall += dt;
    cumulativeCpu += dc;
    const n = t + 1;
    if (n % SAMPLE_EVERY !== 0) continue;
    const from = Math.max(0, n - WINDOW);
    const s: Sample = {
      n,
      perTokenMs: median(cpu.subarray(from, n)),
      wallPerTokenMs: median(wall.subarray(from, n)),
      meanWallTokenMs: wall.subarray(from, n).reduce((a, b) => a + b, 0) / (n - from),
      stateBytes: state.stateBytes(),
      allocatedBytes: 'allocatedBytes' in state ? state.allocatedBytes() : state.stateBytes(),
      cumulativeMs: cumulativeCpu,
      cumulativeWallMs: cumulativeWall,
    };
    samples.push(s);
    if (CHECKPOINTS.includes(n)) {
      console.log(
        `${kind.padEnd(11)} N=${String(n).padStart(5)}  ${s.perTokenMs.toFixed(3)} ms/token (median CPU)  ${s.wallPerTokenMs.toFixed(3)} (median wall)  state ${s.stateBytes} B  cumulative ${(s.cumulativeMs / 1000).toFixed(2)} s CPU, ${(s.cumulativeWallMs / 1000).toFixed(2)} s wall`,
      );
    }
  }
  state.dispose();
  model.dispose();
  for (const t of tokens) t.dispose();
  return samples;
}

const jsonPath = join(here, 'results', 'figure5.json');
const fmtTokens = (v: number) => (v >= 1024 ? `${v / 1024}k` : String(v));

/** What `figure5.json` holds. */
interface Figure5Result {
  readonly description: string;
  readonly config: EncoderConfig & Record<string, unknown>;
  readonly method: Record<string, string>;
  readonly machine: { readonly node: string } & Record<string, unknown>;
  readonly date: string;
  readonly checkpoints: readonly {
    readonly n: number;
    readonly aaren: Sample;
    readonly transformer: Sample;
  }[];
  readonly targets: Record<string, unknown>;
  readonly series: { readonly aaren: Sample[]; readonly transformer: Sample[] };
}

const at = (samples: readonly Sample[], n: number) => samples.find((s) => s.n === n)!;

function targets(
  aaren: readonly Sample[],
  transformer: readonly Sample[],
  key: 'perTokenMs' | 'wallPerTokenMs',
) {
  const first = CHECKPOINTS[0]!;
  const last = CHECKPOINTS[CHECKPOINTS.length - 1]!;
  const change = at(aaren, last)[key] / at(aaren, first)[key] - 1;
  const speedup = at(transformer, last)[key] / at(aaren, last)[key];
  return {
    aarenPerTokenChange: {
      from: first,
      to: last,
      value: change,
      target: '|change| ≤ 0.10',
      met: Math.abs(change) <= 0.1,
    },
    speedupAtMax: { n: last, value: speedup, target: '≥ 20', met: speedup >= 20 },
  };
}

function measure(): Figure5Result {
  const loadBefore = loadavg();
  const aaren = run('aaren');
  const transformer = run('transformer');
  const loadAfter = loadavg();
  const constant = new Set(aaren.map((s) => s.stateBytes)).size === 1;
  return {
    description:
      'Streaming inference, one token at a time, batch 1, CPU backend: Aaren (createState/step) vs the causal Transformer with a KV cache (createCache/step), same widths.',
    config: { ...CONFIG, norm: 'post', activation: 'relu', batch: 1, backend: 'cpu', dtype: 'f32' },
    method: {
      perToken: `median over the last ${WINDOW} steps of the process CPU time (user + system, process.cpuUsage) of tidy(() => model.step(state, x)); the wall-clock median (performance.now()) is recorded too`,
      why: 'CPU time is not inflated when other processes share the cores (the wall-clock time of a multi-millisecond Transformer step is, even as a median); on an idle machine the two agree',
      warmup: `${WARMUP} steps on a throwaway state before timing`,
      order:
        'Aaren streams all N tokens first, then the Transformer (separately, so neither evicts the other from the CPU caches)',
      stateBytes:
        'sequence-dependent state held by the model after N tokens (excludes the weights and the fixed inference copies of them)',
    },
    machine: {
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      platform: `${process.platform}-${process.arch}`,
      loadAverage1mBefore: loadBefore[0],
      loadAverage1mAfter: loadAfter[0],
    },
    date: new Date().toISOString(),
    checkpoints: CHECKPOINTS.map((n) => ({ n, aaren: at(aaren, n), transformer: at(transformer, n) })),
    targets: {
      cpuTime: targets(aaren, transformer, 'perTokenMs'),
      wallClock: targets(aaren, transformer, 'wallPerTokenMs'),
      aarenStateConstant: { bytes: aaren[0]?.stateBytes, met: constant },
    },
    series: { aaren, transformer },
  };
}

function render(result: Figure5Result): void {
  const { aaren, transformer } = result.series;
  const last = result.checkpoints[result.checkpoints.length - 1]!.n;
  const c = result.config;
  const subtitle = `d_model ${c.dModel}, ${c.heads} heads, d_ff ${c.dFF}, ${c.layers} layers, batch 1, f32, CPU backend (Node ${result.machine.node})`;
  const xTicks = Array.from({ length: Math.floor(last / 2048) + 1 }, (_, i) => i * 2048);
  const memory = renderLineChart({
    title: 'Memory held by the model state while streaming',
    subtitle,
    xLabel: 'tokens streamed',
    yLabel: 'state memory (MiB)',
    formatX: fmtTokens,
    xTicks,
    series: [
      {
        label: 'Transformer (KV cache)',
        color: '#d62728',
        points: transformer.map((s) => [s.n, s.stateBytes / 2 ** 20] as const),
      },
      {
        label: `Aaren (constant: ${aaren[aaren.length - 1]!.stateBytes} bytes)`,
        color: '#1f77b4',
        points: aaren.map((s) => [s.n, s.stateBytes / 2 ** 20] as const),
      },
    ],
  });
  const time = renderLineChart({
    title: 'Cumulative time to stream N tokens',
    subtitle,
    xLabel: 'tokens streamed',
    yLabel: 'cumulative CPU time (s)',
    formatX: fmtTokens,
    xTicks,
    series: [
      {
        label: `Transformer (KV cache): ${at(transformer, last).perTokenMs.toFixed(2)} ms/token at ${fmtTokens(last)}`,
        color: '#d62728',
        points: transformer.map((s) => [s.n, s.cumulativeMs / 1000] as const),
      },
      {
        label: `Aaren: ${at(aaren, last).perTokenMs.toFixed(2)} ms/token at ${fmtTokens(last)}`,
        color: '#1f77b4',
        points: aaren.map((s) => [s.n, s.cumulativeMs / 1000] as const),
      },
    ],
  });
  const docs = join(repo, 'apps', 'docs', 'public');
  mkdirSync(docs, { recursive: true });
  writeFileSync(join(docs, 'figure5-memory.svg'), memory);
  writeFileSync(join(docs, 'figure5-time.svg'), time);
  console.log(`wrote ${join(docs, 'figure5-memory.svg')}, ${join(docs, 'figure5-time.svg')}`);
}

const renderOnly = process.env.AAREN_FIG5_RENDER_ONLY !== undefined;
const result = renderOnly ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Figure5Result) : measure();
if (!renderOnly) {
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result.targets, null, 2));
  console.log(`wrote ${jsonPath}`);
}
render(result);
