/**
 * The core conformance suite on this backend in Node (Dawn), on whatever adapter Dawn finds (SwiftShader
 * on machines without a GPU), with the adapter's default kernel choices and again with the GPU kernel
 * paths forced. Skipped with a reason only when no adapter exists — which fails under CI=true.
 */
import { describeBackend } from '@aaren/core/testing';
import { createWebGPUBackend } from './create-backend.js';
import { requestNodeAdapter } from './node.js';
import { WEBGPU_TOLERANCES } from './testing/tolerances.js';

const adapter = await requestNodeAdapter().catch((error: unknown) => error as Error);
const skip = adapter instanceof Error ? adapter.message : false;

describeBackend('webgpu (node, Dawn)', () => createWebGPUBackend({ adapter: adapter as GPUAdapter }), {
  skip,
  tolerance: WEBGPU_TOLERANCES,
});

// The kernels a GPU runs, also where the adapter's defaults differ (SwiftShader picks barrier-free kernels and
// serial scans): look-back scans and the workgroup-cooperative matmul, reductions and row kernels.
describeBackend(
  'webgpu (node, Dawn, GPU kernel paths)',
  async () =>
    createWebGPUBackend(
      { adapter: await requestNodeAdapter() },
      { scanStrategy: 'lookback', barrierFree: false },
    ),
  { skip, tolerance: WEBGPU_TOLERANCES },
);
