/**
 * Construction of {@link TensorView}s over CPU buffers, for calling kernels directly (tests, benchmarks and
 * other backends that use the CPU kernels as a reference).
 * @packageDocumentation
 */
import type { BackendBuffer, TensorView } from '../backend.js';
import { contiguousStrides } from '../shape.js';

/**
 * A view of `buffer` with the given `shape`; `strides` default to row-major contiguous and `offset` to 0.
 * Nothing is checked: the caller keeps every addressed element inside the buffer.
 */
export function viewOf(
  buffer: BackendBuffer,
  shape: readonly number[],
  strides: readonly number[] = contiguousStrides(shape),
  offset = 0,
): TensorView {
  return { buffer, dtype: buffer.dtype, shape, strides, offset };
}
