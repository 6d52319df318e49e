/** Element types a tensor can hold. `f32` for values, `i32` for indices, labels and masks. */
export type DType = 'f32' | 'i32';

/** The typed array that holds the elements of a dtype. */
export type TypedArrayFor<D extends DType> = D extends 'f32' ? Float32Array : Int32Array;

/** Any typed array a tensor's data can be read into. */
export type TensorData = Float32Array | Int32Array;

/** Bytes per element of a dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { f32: 4, i32: 4 };

/** Allocates a zeroed typed array of `size` elements for `dtype`. */
export function allocTypedArray<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  return (dtype === 'f32' ? new Float32Array(size) : new Int32Array(size)) as TypedArrayFor<D>;
}

/** The dtype whose typed array `data` is. */
export function dtypeOfArray(data: TensorData): DType {
  return data instanceof Int32Array ? 'i32' : 'f32';
}
