/**
 * {@link createWebGPUBackend}: a `Backend` of `@aaren/core` on a WebGPU device the caller provides.
 * @packageDocumentation
 */
import {
  BACKEND_SPECIFICATION_VERSION,
  type Backend,
  type BackendBuffer,
  BYTES_PER_ELEMENT,
  bufferRange,
  type DType,
  InvalidArgumentError,
  type MemoryInfo,
  type TensorData,
} from '@aaren/core';
import { WebGPULimitError, WebGPUUnavailableError } from './errors.js';
import { createFusedKernels, type WebGPUFusedKernels } from './kernels/fused.js';
import { createKernels } from './kernels/index.js';
import { DEFAULT_SPIN_LIMIT } from './kernels/scan/lane-scan.js';
import { GpuContext, type ScanStrategy } from './runtime/context.js';
import { WebGPUBuffer } from './runtime/gpu-buffer.js';
import { REQUIRED_LIMITS, readLimits, requestedLimits, type WebGPULimits } from './runtime/limits.js';

/** Where the backend's device comes from: a device you made, or an adapter to request one from. */
export type WebGPUSource =
  | { readonly device: GPUDevice; readonly adapter?: GPUAdapter }
  | { readonly adapter: GPUAdapter; readonly device?: undefined };

/** Options of {@link createWebGPUBackend}. */
export interface WebGPUBackendOptions {
  /** Name reported by `backend.name`; default `'webgpu'`. */
  readonly name?: string;
  /**
   * How scans (cumsum, cummax, attention scans, linear recurrences) run: `'lookback'` (single pass with
   * decoupled look-back, safe without forward-progress guarantees thanks to its fallback), `'reduce-then-scan'`
   * (three passes, no inter-workgroup waiting at all), `'serial'` (one invocation per scanned column, no
   * barriers), or `'auto'` (default): `'serial'` on software/fallback adapters such as SwiftShader (a few CPU
   * cores emulating a GPU, where workgroup barriers are very expensive), `'lookback'` on GPUs.
   */
  readonly scanStrategy?: ScanStrategy | 'auto';
  /**
   * Prefer kernels without workgroup barriers (one invocation per output row or element) for matmul,
   * reductions, softmax and norms at every size. Default: on software adapters such as SwiftShader, where a
   * workgroup with a barrier costs about 50× one without (its invocations then run as coroutines).
   */
  readonly barrierFree?: boolean;
  /**
   * Look-back scans: polls of a predecessor tile that has not published yet before the waiting workgroup
   * reduces that tile's input itself (default 64). `0` never reads published states, so every workgroup
   * reduces all its predecessors — quadratic, for testing the fallback path.
   */
  readonly lookbackSpinLimit?: number;
  /** Bytes of freed buffers kept for reuse; default 256 MiB (or a quarter of `maxBufferSize` if smaller). */
  readonly maxPooledBytes?: number;
  /**
   * Stay within smaller limits than the device grants (each value is lowered to the device's if larger), e.g.
   * to check that a model fits a smaller device, or to test binding windows and split dispatches.
   */
  readonly limits?: Partial<WebGPULimits>;
}

/** Counters of a {@link WebGPUBackend}, for tests and benchmarks. */
export interface WebGPUStats {
  /** Compute dispatches submitted. */
  readonly dispatches: number;
  /** Command buffers submitted. */
  readonly submits: number;
  /** Distinct compiled pipelines. */
  readonly pipelines: number;
  /** Bytes of freed buffers held in the pool. */
  readonly pooledBytes: number;
}

/** The WebGPU backend: the `Backend` contract plus what it reports about the device and its extra kernels. */
export interface WebGPUBackend extends Backend {
  /** The device the kernels run on. */
  readonly device: GPUDevice;
  /** The device limits the backend works within. */
  readonly limits: WebGPULimits;
  /** The scan strategy in use (see {@link WebGPUBackendOptions.scanStrategy}). */
  readonly scanStrategy: ScanStrategy;
  /** Kernels beyond the contract: fused attention from `q` and `K`, the linear-attention decoding step. */
  readonly fused: WebGPUFusedKernels;
  /** Dispatch, submit, pipeline and pool counters. */
  stats(): WebGPUStats;
}

/** Whether an adapter is a software or fallback implementation without inter-workgroup forward progress. */
function isSoftwareAdapter(info: GPUAdapterInfo | undefined): boolean {
  if (!info) return false;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return (
    (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    /swiftshader|llvmpipe|lavapipe/i.test(text)
  );
}

/**
 * Creates a WebGPU backend. Pass a `device` you created (the backend uses its limits and never destroys it)
 * or an `adapter` (the backend requests a device with the adapter's maximum buffer and binding sizes and
 * destroys it on `dispose()`). Nothing global is read or written.
 *
 * @throws {@link WebGPUUnavailableError} when no device can be obtained.
 * @throws {@link WebGPULimitError} when the device lacks the limits the kernels need.
 * @example
 * ```ts
 * const adapter = await navigator.gpu.requestAdapter();
 * const backend = await createWebGPUBackend({ adapter });
 * const x = tensor(backend, [1, 2, 3]);
 * console.log(await exp(x).data());
 * ```
 */
export async function createWebGPUBackend(
  source: WebGPUSource,
  options: WebGPUBackendOptions = {},
): Promise<WebGPUBackend> {
  const name = options.name ?? 'webgpu';
  let device = source.device;
  const ownsDevice = device === undefined;
  if (!device) {
    const adapter = source.adapter;
    if (!adapter) throw new WebGPUUnavailableError('neither a device nor an adapter was given');
    try {
      device = await adapter.requestDevice({ requiredLimits: requestedLimits(adapter) });
    } catch (cause) {
      throw new WebGPUUnavailableError(`requestDevice failed: ${String(cause)}`, { cause });
    }
  }
  const granted = readLimits(device.limits);
  const lowered: Record<string, number> = { ...granted };
  for (const [key, value] of Object.entries(options.limits ?? {})) {
    const k = key as keyof WebGPULimits;
    if (typeof value === 'number' && k !== 'minStorageBufferOffsetAlignment') {
      lowered[k] = Math.min(granted[k], value);
    }
  }
  const limits = lowered as unknown as WebGPULimits;
  for (const [key, needed] of Object.entries(REQUIRED_LIMITS)) {
    const have = limits[key as keyof WebGPULimits];
    if (have < needed) {
      if (ownsDevice) device.destroy();
      throw new WebGPULimitError('createWebGPUBackend', key, needed, have);
    }
  }
  const info = source.adapter?.info ?? (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const software = isSoftwareAdapter(info);
  const scanStrategy: ScanStrategy =
    options.scanStrategy && options.scanStrategy !== 'auto'
      ? options.scanStrategy
      : software
        ? 'serial'
        : 'lookback';
  const ctx = new GpuContext(device, {
    name,
    limits,
    scanStrategy,
    barrierFree: options.barrierFree ?? software,
    ownsDevice,
    spinLimit: options.lookbackSpinLimit ?? DEFAULT_SPIN_LIMIT,
    maxPooledBytes: options.maxPooledBytes ?? Math.min(256 * 2 ** 20, limits.maxBufferSize / 4),
  });
  return createBackendObject(ctx);
}

function createBackendObject(ctx: GpuContext): WebGPUBackend {
  const { name } = ctx;

  const range = (op: string, buffer: WebGPUBuffer, offset: number, size: number | undefined): number =>
    bufferRange(op, buffer.size, offset, size);

  const backend: WebGPUBackend = {
    specificationVersion: BACKEND_SPECIFICATION_VERSION,
    name,
    device: ctx.device,
    limits: ctx.limits,
    scanStrategy: ctx.scanStrategy,
    kernels: createKernels(ctx),
    fused: createFusedKernels(
      ctx,
      (size) => backend.alloc('f32', size),
      (buffer) => backend.free(buffer),
    ),

    alloc(dtype: DType, size: number): BackendBuffer {
      ctx.assertUsable('alloc');
      if (dtype !== 'f32' && dtype !== 'i32')
        throw new InvalidArgumentError('alloc', `unknown dtype '${dtype}'`);
      if (!Number.isInteger(size) || size < 0) {
        throw new InvalidArgumentError('alloc', `size must be a non-negative integer, got ${size}`);
      }
      const bytes = Math.max(4, size * BYTES_PER_ELEMENT[dtype]);
      if (bytes > ctx.limits.maxBufferSize) {
        throw new WebGPULimitError(
          'alloc',
          'maxBufferSize',
          bytes,
          ctx.limits.maxBufferSize,
          `a ${dtype} tensor of ${size} elements`,
        );
      }
      const buffer = new WebGPUBuffer(ctx.owner, dtype, size, ctx.pool.acquire(bytes));
      ctx.live.add(buffer);
      ctx.liveBytes += size * BYTES_PER_ELEMENT[dtype];
      return buffer;
    },

    write(buffer: BackendBuffer, data: TensorData, offset = 0): void {
      ctx.assertUsable('write');
      const b = ctx.own('write', buffer);
      range('write', b, offset, data.length);
      ctx.write(b, data, offset);
    },

    async read(buffer: BackendBuffer, offset = 0, size?: number): Promise<TensorData> {
      ctx.assertUsable('read');
      const b = ctx.own('read', buffer);
      const n = range('read', b, offset, size);
      return ctx.read('read', b, offset, n);
    },

    free(buffer: BackendBuffer): void {
      if (!(buffer instanceof WebGPUBuffer) || buffer.owner !== ctx.owner) {
        throw new InvalidArgumentError('free', `the buffer was not allocated by this '${name}' backend`);
      }
      if (!ctx.live.delete(buffer)) return;
      ctx.liveBytes -= buffer.size * BYTES_PER_ELEMENT[buffer.dtype];
      const gpu = buffer.release();
      if (gpu && !ctx.lost) ctx.pool.release(gpu);
    },

    memoryInfo(): MemoryInfo {
      return { liveBuffers: ctx.live.size, liveBytes: ctx.liveBytes };
    },

    sync(): Promise<void> {
      return ctx.sync('sync');
    },

    stats(): WebGPUStats {
      return {
        dispatches: ctx.recorder.dispatches,
        submits: ctx.recorder.submits,
        pipelines: ctx.pipelines.size,
        pooledBytes: ctx.pool.pooledBytes,
      };
    },

    dispose(): void {
      ctx.dispose();
    },
  };
  return backend;
}
