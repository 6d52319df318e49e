/**
 * Per-dispatch parameters ("meta"): shapes, strides, offsets and scalars passed to a kernel in a uniform
 * buffer rather than through binding offsets (which must be 256-byte aligned). A {@link MetaLayout} names the
 * fields once; the same object generates the WGSL accessors and packs the values, so they cannot disagree.
 * @packageDocumentation
 */

/** Scalar type of a meta field. */
export type MetaType = 'u32' | 'i32' | 'f32';

/**
 * Words reserved at the start of every meta block: 0 the kernel's total workgroup count, 1 and 2 the bit
 * patterns of +∞ and NaN, 3 the first workgroup index of this dispatch (grids beyond the limits are split).
 */
export const META_RESERVED_WORDS = 4;

const scratch = new DataView(new ArrayBuffer(4));

/** The 32-bit pattern of `value` stored as `type`. */
export function wordOf(type: MetaType, value: number): number {
  if (type === 'f32') {
    scratch.setFloat32(0, value, true);
    return scratch.getUint32(0, true);
  }
  if (type === 'i32') return value | 0;
  return value >>> 0;
}

/** Field names and types of a kernel's meta block, with their word indices. */
export class MetaLayout<K extends string> {
  readonly #index = new Map<string, number>();
  readonly #types = new Map<string, MetaType>();
  /** Number of words including the reserved header. */
  readonly words: number;

  constructor(fields: Readonly<Record<K, MetaType>>) {
    let i = META_RESERVED_WORDS;
    for (const [name, type] of Object.entries(fields) as [string, MetaType][]) {
      this.#index.set(name, i++);
      this.#types.set(name, type);
    }
    this.words = i;
  }

  /** WGSL expression reading field `name` with its declared type. */
  get(name: K): string {
    const i = this.#index.get(name);
    const type = this.#types.get(name);
    if (i === undefined || type === undefined) throw new Error(`meta field '${name}' is not declared`);
    return type === 'u32' ? `mu(${i}u)` : type === 'i32' ? `mi(${i}u)` : `mf(${i}u)`;
  }

  /** The meta words for `values` (every field must be given). */
  pack(values: Readonly<Record<K, number>>): Uint32Array {
    const out = new Uint32Array(this.words);
    for (const [name, i] of this.#index) {
      const v = (values as Record<string, number | undefined>)[name];
      if (v === undefined) throw new Error(`meta field '${name}' has no value`);
      out[i] = wordOf(this.#types.get(name) ?? 'u32', v);
    }
    return out;
  }
}

/** A layout with fields `prefix0 … prefix{count−1}` of one type, e.g. the extents of a shape. */
export function indexedFields<P extends string>(
  prefix: P,
  count: number,
  type: MetaType,
): Record<`${P}${number}`, MetaType> {
  const out: Record<string, MetaType> = {};
  for (let i = 0; i < count; i++) out[`${prefix}${i}`] = type;
  return out as Record<`${P}${number}`, MetaType>;
}

/** WGSL of the meta uniform block holding `words` words, and its accessors `mu`, `mi`, `mf`. */
export function metaDeclaration(words: number): string {
  const vec4s = Math.max(1, Math.ceil(words / 4));
  return `struct Params { v: array<vec4<u32>, ${vec4s}> }
@group(0) @binding(0) var<uniform> params: Params;
fn mu(i: u32) -> u32 { return params.v[i >> 2u][i & 3u]; }
fn mi(i: u32) -> i32 { return bitcast<i32>(mu(i)); }
fn mf(i: u32) -> f32 { return bitcast<f32>(mu(i)); }
`;
}
