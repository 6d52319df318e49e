/**
 * `@aaren/core`: tensors, reverse-mode autograd, the `Backend` contract, the CPU backend, optimizers,
 * a seeded RNG and safetensors. Node-only helpers (files) live in `@aaren/core/node`; the backend
 * conformance suite in `@aaren/core/testing`.
 * @packageDocumentation
 */
export { type GradientsOptions, gradients, isGradEnabled, noGrad, record, requireGrad } from './autograd.js';
export * from './backend.js';
export { type CpuBackendOptions, cpuBackend } from './cpu/index.js';
export * from './dtype.js';
export * from './errors.js';
export * from './init.js';
export * from './kernel-checks.js';
export * from './ops/index.js';
export * from './optim/index.js';
export {
  bernoulli,
  createRng,
  type MutableArrayLike,
  RNG_ALGORITHM,
  type Rng,
  type RngState,
  randomNormal,
  randomUniform,
  rngFromState,
  truncatedNormal,
} from './random.js';
export * from './safetensors/index.js';
export * from './shape.js';
export { dispose, keep, Tensor, tidy } from './tensor.js';
