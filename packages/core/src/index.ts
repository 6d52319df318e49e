/**
 * `@aaren/core`: tensors, reverse-mode autograd, the `Backend` contract, the CPU backend, optimizers,
 * a seeded RNG and safetensors. Node-only helpers (files) live in `@aaren/core/node`; the backend
 * conformance suite in `@aaren/core/testing`.
 * @packageDocumentation
 */
export { gradients, type GradientsOptions, isGradEnabled, noGrad, record, requireGrad } from './autograd.js';
export * from './backend.js';
export * from './dtype.js';
export * from './errors.js';
export * from './ops/index.js';
export * from './shape.js';
export { dispose, keep, Tensor, type TidyResult, tidy } from './tensor.js';
