/**
 * WebGPU backend throughput on whatever adapter Dawn finds (SwiftShader on a machine without a GPU — the
 * figures then measure a CPU emulation, not a GPU): inclusive scan (GB/s, bytes read + written) against a
 * plain WebGPU copy kernel, the fused attention scan against the CPU backend, and matmul (GFLOP/s) against
 * the CPU backend, each baseline timed in the same run. Skips (no cases, reason printed) without an adapter.
 * The GPU-machine version with PyTorch baselines is `bench/gpu/`.
 */
import { defineSuite, isQuickBench } from '@aaren/bench';
import { createWebGPUBackend, type WebGPUBackend } from '../src/index.js';
import { requestNodeAdapter } from '../src/node.js';
import { attentionCase, type GpuCase, matmulCase, scanCase } from './cases.js';

export default defineSuite({
  name: 'backend-webgpu',
  cases: async () => {
    let gpu: WebGPUBackend;
    try {
      gpu = await createWebGPUBackend({ adapter: await requestNodeAdapter() });
    } catch (error) {
      console.log(`backend-webgpu: no WebGPU adapter, skipping (${(error as Error).message})`);
      return [];
    }
    const info = (gpu.device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    console.log(
      `backend-webgpu: adapter ${info?.vendor ?? '?'} ${info?.architecture ?? '?'} ${info?.description ?? ''}`,
    );
    const quick = isQuickBench();
    // Sizes for a CPU-emulated adapter (SwiftShader); the GPU script runs 2^26-element scans.
    const cases: GpuCase[] = [
      scanCase(gpu, quick ? 2 ** 18 : 2 ** 20, 1),
      attentionCase(gpu, quick ? 2 ** 12 : 2 ** 14, 64, 1, true),
      matmulCase(gpu, quick ? 128 : 256, 1, true),
    ];
    // The backend lives until the last case is torn down.
    return cases.map((c, i) => ({
      ...c,
      teardown: () => {
        c.teardown();
        if (i === cases.length - 1) gpu.dispose();
      },
    }));
  },
});
