/**
 * {@link GpuContext}: everything the kernels of one backend instance share — the device and its limits, the
 * buffer pool, the pipeline cache, the command recorder, error collection and device-loss tracking.
 * @packageDocumentation
 */
import type { BackendBuffer, TensorData, TensorView } from '@aaren/core';
import { InvalidArgumentError } from '@aaren/core';
import { WebGPUDeviceLostError, WebGPULimitError, WebGPUValidationError } from '../errors.js';
import { RESERVED_META_VALUES } from '../wgsl/common.js';
import { type Arg, type Bound, bindArgs, type StorageType, viewSpan } from './bindings.js';
import { BufferPool } from './buffer-pool.js';
import { WebGPUBuffer } from './gpu-buffer.js';
import { BufferUsage, MAP_MODE_READ } from './gpu-constants.js';
import type { WebGPULimits } from './limits.js';
import { PipelineCache } from './pipeline-cache.js';
import { Recorder } from './recorder.js';

/**
 * How scans run: `'lookback'` (single pass, decoupled look-back), `'reduce-then-scan'` (three passes, no
 * inter-workgroup waiting) or `'serial'` (one invocation per scanned column, no workgroup memory or barriers:
 * for software adapters that emulate a GPU on a few CPU cores).
 */
export type ScanStrategy = 'lookback' | 'reduce-then-scan' | 'serial';

/** Settings of a {@link GpuContext}. */
export interface GpuContextSettings {
  readonly name: string;
  readonly limits: WebGPULimits;
  readonly scanStrategy: ScanStrategy;
  readonly maxPooledBytes: number;
  /** Polls of an unpublished predecessor before a look-back reduces its tile itself (0: never poll). */
  readonly spinLimit: number;
  /** Prefer barrier-free kernels at every size (software adapters). */
  readonly barrierFree: boolean;
  /** Whether `dispose()` destroys the device (true when the backend created it). */
  readonly ownsDevice: boolean;
}

/** Device state and shared machinery of one backend instance. */
export class GpuContext {
  /** The device every kernel runs on. */
  readonly device: GPUDevice;
  /** Limits the kernels stay within. */
  readonly limits: WebGPULimits;
  /** The backend's name (for error messages). */
  readonly name: string;
  /** How scans run. */
  readonly scanStrategy: ScanStrategy;
  /** Look-back polls before the fallback reduction. */
  readonly spinLimit: number;
  /** Prefer barrier-free kernels at every size. */
  readonly barrierFree: boolean;
  /** Token identifying buffers of this instance. */
  readonly owner: object = {};
  /** Freed buffers kept for reuse. */
  readonly pool: BufferPool;
  /** Compiled kernels. */
  readonly pipelines: PipelineCache;
  /** Recorded, not yet submitted commands. */
  readonly recorder: Recorder;
  /** Buffers allocated and not freed. */
  readonly live = new Set<WebGPUBuffer>();
  /** Bytes of the live buffers (element bytes, as `memoryInfo` reports them). */
  liveBytes = 0;
  readonly #ownsDevice: boolean;
  #lost: { reason: string; message: string } | null = null;
  #disposed = false;
  readonly #lostPromise: Promise<void>;
  #errors: string[] = [];
  readonly #onUncapturedError = (event: Event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    if (this.#errors.length < 16) this.#errors.push(error.message);
  };

  constructor(device: GPUDevice, settings: GpuContextSettings) {
    this.device = device;
    this.limits = settings.limits;
    this.name = settings.name;
    this.scanStrategy = settings.scanStrategy;
    this.spinLimit = settings.spinLimit;
    this.barrierFree = settings.barrierFree;
    this.#ownsDevice = settings.ownsDevice;
    this.recorder = new Recorder(device);
    this.pipelines = new PipelineCache(device);
    device.addEventListener('uncapturederror', this.#onUncapturedError);
    this.pool = new BufferPool(device, this.limits.maxBufferSize, settings.maxPooledBytes, (b) =>
      this.recorder.destroyAfterSubmit(b),
    );
    this.#lostPromise = device.lost.then((info) => {
      this.#lost = { reason: this.#disposed ? 'disposed' : info.reason, message: info.message };
    });
  }

  /** Whether the device was lost (reads and kernels then throw {@link WebGPUDeviceLostError}). */
  get lost(): boolean {
    return this.#lost !== null;
  }

  /** Throws when the backend was disposed or its device lost. */
  assertUsable(op: string): void {
    if (this.#disposed) throw new InvalidArgumentError(op, `the '${this.name}' backend was disposed`);
    if (this.#lost) throw new WebGPUDeviceLostError(op, this.#lost.reason, this.#lost.message);
  }

  /** Narrows a buffer to a live {@link WebGPUBuffer} of this instance, or throws a helpful error. */
  own(op: string, buffer: BackendBuffer): WebGPUBuffer {
    if (!(buffer instanceof WebGPUBuffer) || buffer.owner !== this.owner) {
      throw new InvalidArgumentError(op, `the buffer was not allocated by this '${this.name}' backend`);
    }
    if (buffer.freed) {
      throw new InvalidArgumentError(op, `the buffer of ${buffer.size} elements was already freed`);
    }
    return buffer;
  }

  /** A kernel argument for `view` (its buffer checked, its touched range computed). */
  view(op: string, view: TensorView, access: 'read' | 'write', type?: StorageType): Arg {
    const buffer = this.own(op, view.buffer);
    return { gpu: buffer.gpu, type: type ?? view.dtype, access, span: viewSpan(view) };
  }

  /** A kernel argument for a scratch buffer (every element may be touched). */
  scratchArg(gpu: GPUBuffer, type: StorageType, access: 'read' | 'write' = 'write'): Arg {
    return { gpu, type, access, span: [0, gpu.size / 4] };
  }

  /** Resolves arguments into bindings (see {@link bindArgs}). */
  bind(op: string, args: Readonly<Record<string, Arg>>): Bound {
    return bindArgs(op, args, this.limits);
  }

  /**
   * Records a dispatch of `workgroups` workgroups of the kernel `source` (built with `program`). Counts beyond
   * `maxComputeWorkgroupsPerDimension` are folded into a 2-D or 3-D grid, and beyond its cube split into
   * several dispatches; the shader recovers the linear index and skips the surplus. `meta` must come from a
   * `MetaLayout.pack` (words 0..3 are set here).
   */
  dispatch(label: string, bound: Bound, source: string, meta: Uint32Array, workgroups: number): void {
    if (workgroups <= 0) return;
    this.assertUsable(label);
    const maxDim = this.limits.maxComputeWorkgroupsPerDimension;
    const perDispatch = maxDim ** 3;
    meta[0] = workgroups;
    meta.set(RESERVED_META_VALUES, 1);
    const { pipeline, layout } = this.pipelines.get(label, source, bound.layoutKey);
    for (let first = 0; first < workgroups; first += perDispatch) {
      const count = Math.min(perDispatch, workgroups - first);
      const x = Math.min(count, maxDim);
      const y = Math.min(Math.ceil(count / x), maxDim);
      const z = Math.ceil(count / (x * y));
      const words = first === 0 ? meta : meta.slice();
      words[3] = first;
      this.recorder.record({
        kind: 'dispatch',
        label,
        pipeline,
        layout,
        entries: bound.entries,
        meta: words,
        grid: [x, y, z],
      });
    }
  }

  /** Records zeroing of bytes `[offset, offset + size)` of `gpu`. */
  clear(gpu: GPUBuffer, offset = 0, size = gpu.size - offset): void {
    if (size > 0) this.recorder.record({ kind: 'clear', buffer: gpu, offset, size });
  }

  /** A scratch storage buffer of at least `bytes` bytes (give it back with {@link GpuContext.recycle}). */
  scratch(op: string, bytes: number): GPUBuffer {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    if (size > this.limits.maxBufferSize) {
      throw new WebGPULimitError(op, 'maxBufferSize', size, this.limits.maxBufferSize, 'scratch memory');
    }
    return this.pool.acquire(size);
  }

  /** Returns a scratch buffer to the pool; commands recorded before still see it, later ones may reuse it. */
  recycle(gpu: GPUBuffer): void {
    this.pool.release(gpu);
  }

  /** Submits recorded work. */
  flush(): void {
    if (!this.#lost) this.recorder.flush();
  }

  /**
   * Resolves `promise`, or rejects with {@link WebGPUDeviceLostError} as soon as the device is lost (also when
   * `promise` itself fails because of the loss, e.g. a `mapAsync` aborted by `device.destroy()`).
   */
  raceLost<T>(op: string, promise: Promise<T>): Promise<T> {
    const lostError = () =>
      new WebGPUDeviceLostError(op, this.#lost?.reason ?? 'unknown', this.#lost?.message ?? '');
    const lost = this.#lostPromise.then(() => {
      throw lostError();
    });
    const guarded = promise.catch(async (error: unknown) => {
      // The loss may be reported just after the failure it caused; give it a moment to arrive.
      await Promise.race([this.#lostPromise, new Promise((resolve) => setTimeout(resolve, 100))]);
      throw this.#lost ? lostError() : error;
    });
    lost.catch(() => {});
    return Promise.race([guarded, lost]);
  }

  /** Throws the first WebGPU error reported (through `uncapturederror`) since the last check. */
  checkErrors(): void {
    if (this.#errors.length === 0) return;
    const errors = this.#errors;
    this.#errors = [];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new WebGPUValidationError(`${errors[0]}${more}`);
  }

  /** Copies `data` into `buffer` from element `offset` (after submitting recorded work, to keep order). */
  write(buffer: WebGPUBuffer, data: TensorData, offset: number): void {
    if (data.length === 0) return;
    const typed =
      (buffer.dtype === 'f32') === data instanceof Float32Array
        ? data
        : buffer.dtype === 'f32'
          ? Float32Array.from(data)
          : Int32Array.from(data);
    this.flush();
    this.device.queue.writeBuffer(
      buffer.gpu,
      offset * 4,
      typed as GPUAllowSharedBufferSource & ArrayBufferView<ArrayBuffer>,
    );
  }

  /** Reads `size` elements from element `offset` of `buffer`. */
  async read(op: string, buffer: WebGPUBuffer, offset: number, size: number): Promise<TensorData> {
    const make = (b: ArrayBuffer) => (buffer.dtype === 'f32' ? new Float32Array(b) : new Int32Array(b));
    if (size === 0) return make(new ArrayBuffer(0));
    this.flush();
    const staging = this.device.createBuffer({
      size: size * 4,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(buffer.gpu, offset * 4, staging, 0, size * 4);
      this.device.queue.submit([encoder.finish()]);
      await this.raceLost(op, staging.mapAsync(MAP_MODE_READ));
      const data = make(staging.getMappedRange().slice(0));
      staging.unmap();
      this.checkErrors();
      return data;
    } finally {
      staging.destroy();
    }
  }

  /** Waits until every submitted command has run, then reports collected errors. */
  async sync(op: string): Promise<void> {
    this.assertUsable(op);
    this.flush();
    await this.raceLost(op, this.device.queue.onSubmittedWorkDone());
    this.checkErrors();
  }

  /** Frees every buffer and cached object; destroys the device when the backend created it. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.recorder.discard();
    for (const b of this.live) b.release()?.destroy();
    this.live.clear();
    this.liveBytes = 0;
    this.pool.clear();
    this.recorder.discard();
    this.pipelines.clear();
    this.device.removeEventListener('uncapturederror', this.#onUncapturedError);
    if (this.#ownsDevice) this.device.destroy();
  }
}
