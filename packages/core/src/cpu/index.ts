/**
 * The CPU backend of `@aaren/core`: {@link cpuBackend} creates one; {@link cpuKernels} is its kernel table,
 * usable as a reference implementation by other backends' tests.
 * @packageDocumentation
 */
export { type CpuBackendOptions, cpuBackend } from './backend.js';
export { type CpuArray, CpuBuffer } from './buffer.js';
export { cpuKernels } from './kernels/index.js';
export { viewOf } from './view.js';
