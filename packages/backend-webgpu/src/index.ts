/**
 * `@aaren/backend-webgpu`: the `Backend` contract of `@aaren/core` in WGSL, for browsers (`navigator.gpu`)
 * and Node (the `webgpu` package, see `@aaren/backend-webgpu/node`).
 * @packageDocumentation
 */
/// <reference types="@webgpu/types" />
export {
  createWebGPUBackend,
  type WebGPUBackend,
  type WebGPUBackendOptions,
  type WebGPUSource,
  type WebGPUStats,
} from './create-backend.js';
export {
  WebGPUDeviceLostError,
  WebGPULimitError,
  WebGPUUnavailableError,
  WebGPUValidationError,
} from './errors.js';
export type {
  AttentionScanFusedArgs,
  AttentionScanFusedBackwardArgs,
  LinearAttentionStepArgs,
  LinearRecurrenceArgs,
  WebGPUFusedKernels,
} from './kernels/fused.js';
export type { ScanStrategy } from './runtime/context.js';
export type { WebGPULimits } from './runtime/limits.js';
