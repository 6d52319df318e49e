/**
 * The WebGPU side of the GPU-machine benchmark (see `run.sh`): scan at 2^26 f32 elements (both scan
 * strategies) against a plain WebGPU copy kernel, the fused attention scan at N = 2^20, d = 64, and a
 * 4096³ matmul. Writes `<out>/webgpu.json`; `torch_baseline.py` adds PyTorch on the same GPU and the ratios.
 * Bundled with esbuild into `.device/app/webgpu-bench.mjs` by `build.sh`.
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { timeIt } from '@aaren/bench';
import { createWebGPUBackend } from '../../src/index.js';
import { requestNodeAdapter } from '../../src/node.js';
import { attentionCase, type GpuCase, matmulCase, scanCase } from '../cases.js';

const out = process.argv[2] ?? process.env.OUT ?? '.';
mkdirSync(out, { recursive: true });
/** `AAREN_GPU_BENCH_SMOKE=1`: tiny sizes, to check the script on a machine without a GPU. */
const smoke = process.env.AAREN_GPU_BENCH_SMOKE === '1';
const SCAN_N = smoke ? 2 ** 16 : 2 ** 26;
const ATTENTION_N = smoke ? 2 ** 10 : 2 ** 20;
const MATMUL_N = smoke ? 128 : 4096;
const ITERATIONS = smoke ? 1 : 10;
const results: Record<string, unknown>[] = [];

async function record(c: GpuCase, iterations: number): Promise<void> {
  const options = smoke
    ? { minTimeMs: 0, minReps: 1, warmup: 1 }
    : { minTimeMs: 1000, minReps: 5, warmup: 2 };
  const ours = await timeIt(c.ours, options);
  const base = c.baseline ? await timeIt(c.baseline.fn, options) : null;
  const per = (ms: number) => ms / iterations;
  const throughput = (ms: number) => c.work / (ms / 1000) / 1e9;
  const row = {
    name: c.name,
    size: c.size,
    unit: c.unit,
    ms: per(ours.ms),
    throughput: throughput(ours.ms),
    baseline:
      base && c.baseline
        ? { name: c.baseline.name, ms: per(base.ms), throughput: throughput(base.ms) }
        : null,
  };
  console.log(JSON.stringify(row));
  results.push(row);
  c.teardown();
}

for (const scanStrategy of ['lookback', 'reduce-then-scan'] as const) {
  const gpu = await createWebGPUBackend({ adapter: await requestNodeAdapter() }, { scanStrategy });
  const info = (gpu.device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  if (scanStrategy === 'lookback') {
    console.log(`adapter: ${info?.vendor} ${info?.architecture} ${info?.description}`);
    console.log(`limits: ${JSON.stringify(gpu.limits)}`);
  }
  await record(scanCase(gpu, SCAN_N, 2 * ITERATIONS), 2 * ITERATIONS);
  if (scanStrategy === 'lookback') {
    await record(attentionCase(gpu, ATTENTION_N, 64, ITERATIONS, false), ITERATIONS);
    await record(matmulCase(gpu, MATMUL_N, Math.ceil(ITERATIONS / 2), false), Math.ceil(ITERATIONS / 2));
  }
  gpu.dispose();
}
writeFileSync(
  join(out, 'webgpu.json'),
  `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
);
console.log(`wrote ${join(out, 'webgpu.json')}`);
