/**
 * Helpers for this package's tests and benchmarks.
 * @packageDocumentation
 */
import { type BackendBuffer, contiguousStrides, type TensorView } from '@aaren/core';

/** A contiguous row-major view of `buffer` with `shape`, starting at element `offset`. */
export function viewOf(buffer: BackendBuffer, shape: readonly number[], offset = 0): TensorView {
  return { buffer, dtype: buffer.dtype, shape, strides: contiguousStrides(shape), offset };
}
