/**
 * Differentiable tensor ops. Every op checks its arguments (shape errors name the op and the shapes),
 * runs backend kernels, and records its backward for autograd.
 * @packageDocumentation
 */
export * from './creation.js';
export * from './cumulative.js';
export * from './elementwise.js';
export type { TensorLike } from './internal.js';
export * from './layout.js';
export * from './matmul.js';
export * from './nn.js';
export * from './reduce.js';
export * from './rope-angles.js';
