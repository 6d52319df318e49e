/**
 * Browser entry of the Chromium conformance test: registers the unchanged core conformance suite for a
 * WebGPU backend on the page's `navigator.gpu`, runs it with the vitest stand-in and publishes the results
 * as `window.__aarenResults` (and `window.__aarenInfo` with the adapter used).
 * @packageDocumentation
 */
import { describeBackend } from '@aaren/core/testing';
import { createWebGPUBackend } from '../create-backend.js';
import { WEBGPU_TOLERANCES } from '../testing/tolerances.js';
import { runRegistered, type TestResult } from './vitest-shim.js';

interface Page {
  __aarenResults?: TestResult[];
  __aarenInfo?: Record<string, unknown>;
  __aarenError?: string;
}

const page = globalThis as unknown as Page;

async function main(): Promise<void> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) throw new Error('navigator.gpu is missing (not a secure context, or WebGPU disabled)');
  const probe = await gpu.requestAdapter();
  if (!probe) throw new Error('navigator.gpu.requestAdapter() returned null');
  page.__aarenInfo = {
    vendor: probe.info.vendor,
    architecture: probe.info.architecture,
    fallback: (probe.info as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? null,
  };
  describeBackend(
    'webgpu (chromium)',
    async () => {
      const adapter = await gpu.requestAdapter();
      if (!adapter) throw new Error('no adapter');
      return createWebGPUBackend({ adapter });
    },
    { tolerance: WEBGPU_TOLERANCES },
  );
  page.__aarenResults = await runRegistered();
}

main().catch((error: unknown) => {
  page.__aarenError = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
});
