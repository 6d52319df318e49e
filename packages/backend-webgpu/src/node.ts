/**
 * `@aaren/backend-webgpu/node`: a WebGPU backend in Node through the `webgpu` package (Google's Dawn),
 * loaded lazily so that importing this module costs nothing until a backend is created.
 * @packageDocumentation
 */
/// <reference types="@webgpu/types" />
import { createWebGPUBackend, type WebGPUBackend, type WebGPUBackendOptions } from './create-backend.js';
import { WebGPUUnavailableError } from './errors.js';

/** Options of {@link createNodeWebGPUBackend}. */
export interface NodeWebGPUBackendOptions extends WebGPUBackendOptions {
  /** Dawn toggles passed to the `webgpu` package's `create()`, e.g. `['enable-dawn-features=…']`. */
  readonly dawnOptions?: readonly string[];
  /** Adapter request options; default `{ powerPreference: 'high-performance' }`. */
  readonly adapterOptions?: GPURequestAdapterOptions;
}

/** The `webgpu` package's module shape (the parts used here). */
interface DawnModule {
  create(options: string[]): GPU;
}

/**
 * Dawn instances by their options. An instance must outlive every adapter and device made from it (Dawn
 * frees the native instance when the JavaScript object is collected, and devices then crash), so each is
 * created once and kept for the life of the process.
 */
const instances = new Map<string, GPU>();

/**
 * Requests a WebGPU adapter from Dawn (the optional peer dependency `webgpu`), or explains why there is none.
 * @throws {@link WebGPUUnavailableError} when the package is missing or no adapter is found.
 */
export async function requestNodeAdapter(
  options: Pick<NodeWebGPUBackendOptions, 'dawnOptions' | 'adapterOptions'> = {},
): Promise<GPUAdapter> {
  let dawn: DawnModule;
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (cause) {
    throw new WebGPUUnavailableError(
      "the optional dependency 'webgpu' (Dawn for Node) is not installed; `pnpm add webgpu`",
      { cause },
    );
  }
  const flags = [...(options.dawnOptions ?? [])];
  const key = flags.join('\n');
  let gpu = instances.get(key);
  if (!gpu) {
    gpu = dawn.create(flags);
    instances.set(key, gpu);
  }
  const adapter = await gpu.requestAdapter(options.adapterOptions ?? { powerPreference: 'high-performance' });
  if (!adapter) {
    throw new WebGPUUnavailableError(
      'Dawn found no adapter (no GPU driver; on Linux without a GPU install a Vulkan driver such as ' +
        'SwiftShader and set VK_ICD_FILENAMES, see the package README)',
    );
  }
  return adapter;
}

/**
 * Creates a WebGPU backend in Node on the first adapter Dawn finds.
 * @example
 * ```ts
 * import { createNodeWebGPUBackend } from '@aaren/backend-webgpu/node';
 * const backend = await createNodeWebGPUBackend();
 * ```
 */
export async function createNodeWebGPUBackend(
  options: NodeWebGPUBackendOptions = {},
): Promise<WebGPUBackend> {
  const adapter = await requestNodeAdapter(options);
  return createWebGPUBackend({ adapter }, options);
}
