/**
 * The device limits the backend relies on, and the limits it requests from an adapter.
 * @packageDocumentation
 */

/** The subset of `GPUSupportedLimits` the backend uses, as granted by the device it runs on. */
export interface WebGPULimits {
  /** Largest buffer in bytes; `alloc` beyond it throws a `WebGPULimitError`. */
  readonly maxBufferSize: number;
  /**
   * Largest storage-buffer binding in bytes. Bigger buffers are bound through windows around the views a
   * dispatch touches; elementwise kernels split their dispatches so each window fits.
   */
  readonly maxStorageBufferBindingSize: number;
  /** Largest workgroup count per grid dimension; bigger dispatches are folded into a 2-D grid. */
  readonly maxComputeWorkgroupsPerDimension: number;
  /** Storage buffers one kernel may bind (the backend's kernels need at most 8). */
  readonly maxStorageBuffersPerShaderStage: number;
  /** Workgroup memory in bytes (the backend's kernels need at most 16 KiB). */
  readonly maxComputeWorkgroupStorageSize: number;
  /** Invocations per workgroup (the backend's kernels use 256). */
  readonly maxComputeInvocationsPerWorkgroup: number;
  /** Alignment in bytes of a storage binding's offset (windows start on it). */
  readonly minStorageBufferOffsetAlignment: number;
}

/** The limits the kernels cannot run without (the WebGPU defaults for everything but buffer sizes). */
export const REQUIRED_LIMITS = {
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
} as const;

/** The keys of {@link WebGPULimits}. */
const LIMIT_KEYS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'minStorageBufferOffsetAlignment',
] as const satisfies readonly (keyof WebGPULimits)[];

/** Reads {@link WebGPULimits} from a device's (or adapter's) `limits`. */
export function readLimits(limits: GPUSupportedLimits): WebGPULimits {
  const out: Record<string, number> = {};
  for (const key of LIMIT_KEYS) out[key] = Number(limits[key]);
  return out as unknown as WebGPULimits;
}

/**
 * The limits to request from `adapter`: its own maxima for buffer sizes and workgroup resources (so large
 * tensors fit), and nothing it does not support.
 */
export function requestedLimits(adapter: GPUAdapter): Record<string, number> {
  const a = adapter.limits;
  return {
    maxBufferSize: a.maxBufferSize,
    maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
    maxStorageBuffersPerShaderStage: a.maxStorageBuffersPerShaderStage,
    maxComputeWorkgroupStorageSize: a.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: a.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: a.maxComputeWorkgroupSizeX,
  };
}
