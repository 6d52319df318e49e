/**
 * The packed (typed-array) monoid contract that the CPU backend uses for speed and GPU kernels mirror, and
 * codecs that convert between value-level elements and packed elements.
 * @packageDocumentation
 */
import { ScanError } from './errors.js';

/** Typed arrays that packed elements live in. Scratch buffers inside the scans are always `Float64Array`. */
export type PackedArray = Float64Array | Float32Array;

/**
 * A monoid whose elements are `width` consecutive numbers in a typed array. `combine` writes into caller-owned
 * memory, so the packed scans allocate nothing per element.
 *
 * Contract: `combine(a, ao, b, bo, out, oo)` writes `a[ao…] ⊕ b[bo…]` (a is the earlier element) into
 * `out[oo … oo+width-1]`. `out` may alias `a` or `b` exactly (same array and offset); partial overlap is not
 * allowed. Implementations read every input number they need before writing one they might overwrite.
 */
export interface PackedMonoid {
  /** Human-readable name, e.g. `'attention(4)'`. */
  readonly name: string;
  /** Numbers per element (1 for sum/max/logsumexp, `1 + dim` for the linear recurrence, `2 + dim` for attention). */
  readonly width: number;
  /** Writes the identity element at `out[o … o+width-1]`. */
  setIdentity(out: PackedArray, o: number): void;
  /** Writes `a[ao…] ⊕ b[bo…]` at `out[oo…]`; see the interface docs for aliasing rules. */
  combine(a: PackedArray, ao: number, b: PackedArray, bo: number, out: PackedArray, oo: number): void;
}

/**
 * Converts one value-level element to and from its packed form of `width` numbers. Used by tests and by
 * callers that build packed inputs from objects.
 * @typeParam T - the value-level element type
 */
export interface PackedCodec<T> {
  /** Numbers per element; equals the matching {@link PackedMonoid.width}. */
  readonly width: number;
  /** Writes `value` at `out[offset … offset+width-1]`. */
  write(value: T, out: PackedArray, offset: number): void;
  /** Reads the element stored at `data[offset … offset+width-1]`. */
  read(data: PackedArray, offset: number): T;
}

/**
 * The dual packed monoid `a ⊕' b = b ⊕ a` (same width and identity). Used for reverse scans.
 */
export function dualPackedMonoid(monoid: PackedMonoid): PackedMonoid {
  return {
    name: `dual(${monoid.name})`,
    width: monoid.width,
    setIdentity: (out, o) => monoid.setIdentity(out, o),
    combine: (a, ao, b, bo, out, oo) => monoid.combine(b, bo, a, ao, out, oo),
  };
}

/**
 * Packs `values` contiguously (element `i` at offset `i * codec.width`) into a new `Float64Array`, or into
 * `out` when given (it must hold at least `values.length * codec.width` numbers).
 *
 * @example
 * ```ts
 * const data = packedFromValues(attentionCodec(2), attentionFromScores([0, 1], [[1, 2], [3, 4]]));
 * // Float64Array [0, 1, 1, 2, 1, 1, 3, 4]   (layout [m, w, u0, u1] per element)
 * ```
 */
export function packedFromValues<T>(codec: PackedCodec<T>, values: readonly T[]): Float64Array;
export function packedFromValues<T, A extends PackedArray>(
  codec: PackedCodec<T>,
  values: readonly T[],
  out: A,
): A;
export function packedFromValues<T>(
  codec: PackedCodec<T>,
  values: readonly T[],
  out: PackedArray = new Float64Array(values.length * codec.width),
): PackedArray {
  const needed = values.length * codec.width;
  if (out.length < needed) {
    throw new ScanError(
      'packedFromValues',
      'out',
      `has length ${out.length} but ${values.length} elements of width ${codec.width} need ${needed}`,
    );
  }
  for (let i = 0; i < values.length; i++) codec.write(values[i]!, out, i * codec.width);
  return out;
}

/**
 * Unpacks contiguous packed elements into value-level elements. `length` defaults to
 * `data.length / codec.width`, which must then be a whole number.
 */
export function valuesFromPacked<T>(codec: PackedCodec<T>, data: PackedArray, length?: number): T[] {
  const count = length ?? data.length / codec.width;
  if (!Number.isInteger(count) || count < 0 || count * codec.width > data.length) {
    throw new ScanError(
      'valuesFromPacked',
      length === undefined ? 'data' : 'length',
      `cannot hold ${String(count)} elements of width ${codec.width} in an array of length ${data.length}`,
    );
  }
  const values: T[] = [];
  for (let i = 0; i < count; i++) values.push(codec.read(data, i * codec.width));
  return values;
}
