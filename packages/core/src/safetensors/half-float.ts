/**
 * Conversions between `f32` and the 16- and 8-bit float formats found in checkpoints: IEEE half
 * (`float16`), bfloat16, and the OCP FP8 formats E4M3 (the `fn` variant: no infinities) and E5M2.
 * Narrowing conversions round to nearest, ties to even, like NumPy and PyTorch.
 * @packageDocumentation
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The IEEE-754 single-precision bit pattern of `value` (rounded to f32 first), as an unsigned integer. */
export function float32ToBits(value: number): number {
  f32[0] = value;
  return u32[0]!;
}

/** The f32 whose bit pattern is the unsigned 32-bit integer `bits`. */
export function bitsToFloat32(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0]!;
}

/** Decodes an IEEE half-precision bit pattern (`0..0xffff`) to a number. Exact. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : Number.NaN;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/**
 * The IEEE half-precision bit pattern nearest to `value` (after rounding it to f32), ties to even.
 * Values beyond ±65504 (after rounding) become ±Infinity; NaN becomes a quiet NaN (`0x7e00` plus payload).
 */
export function float32ToFloat16Bits(value: number): number {
  const x = float32ToBits(value);
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mantissa >>> 13);
  const halfExponent = exponent - 112;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half (or zero): value = M · 2^(exponent − 126 − 23) with the implicit bit in M.
    const shift = 14 - halfExponent;
    if (shift > 24) return sign;
    const full = mantissa | 0x800000;
    let rounded = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rest > half || (rest === half && (rounded & 1) === 1)) rounded++;
    return sign | rounded;
  }
  const bits = sign | (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to Infinity).
  return rest > 0x1000 || (rest === 0x1000 && (bits & 1) === 1) ? bits + 1 : bits;
}

/** Decodes a bfloat16 bit pattern (`0..0xffff`) to a number. Exact. */
export function bfloat16ToFloat32(bits: number): number {
  return bitsToFloat32((bits & 0xffff) << 16);
}

/** The bfloat16 bit pattern nearest to `value` (after rounding it to f32), ties to even; NaN stays a quiet NaN. */
export function float32ToBfloat16Bits(value: number): number {
  const x = float32ToBits(value);
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) / 65536) & 0xffff;
}

/** Decodes an FP8 E4M3 (`fn`: bias 7, no infinities, NaN = `0x7f`/`0xff`, max 448) bit pattern. Exact. */
export function float8E4M3ToFloat32(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exponent = (bits >>> 3) & 0xf;
  const mantissa = bits & 0x7;
  if (exponent === 0xf && mantissa === 0x7) return Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -9;
  return sign * (8 + mantissa) * 2 ** (exponent - 10);
}

/** Decodes an FP8 E5M2 (bias 15, IEEE-like: the top byte of a half) bit pattern. Exact. */
export function float8E5M2ToFloat32(bits: number): number {
  return float16ToFloat32((bits & 0xff) << 8);
}

let float16Table: Float32Array | undefined;

/** Decodes many half bit patterns at once (table lookup). */
export function float16ArrayToFloat32(bits: Uint16Array, out = new Float32Array(bits.length)): Float32Array {
  if (float16Table === undefined) {
    float16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) float16Table[i] = float16ToFloat32(i);
  }
  const table = float16Table;
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]!]!;
  return out;
}

/** Decodes many bfloat16 bit patterns at once. */
export function bfloat16ArrayToFloat32(bits: Uint16Array, out = new Float32Array(bits.length)): Float32Array {
  const outBits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bits.length; i++) outBits[i] = bits[i]! << 16;
  return out;
}
