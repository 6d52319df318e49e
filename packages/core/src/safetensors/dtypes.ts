/**
 * The safetensors dtype names this package reads and writes, their sizes, and the aaren dtype each one
 * becomes when read.
 * @packageDocumentation
 */
import type { DType } from '../dtype.js';

/**
 * Every safetensors dtype this package can read. Floating types become `f32` when read (F64 is rounded,
 * F16/BF16/F8 are exact); integer and boolean types become `i32` (I64/U32/U64 values outside the int32
 * range are rejected).
 */
export const SAFETENSORS_DTYPES = [
  'F64',
  'F32',
  'F16',
  'BF16',
  'F8_E4M3',
  'F8_E5M2',
  'I64',
  'I32',
  'I16',
  'I8',
  'U64',
  'U32',
  'U16',
  'U8',
  'BOOL',
] as const;

/** A safetensors dtype name this package can read (see {@link SAFETENSORS_DTYPES}). */
export type SafetensorsDType = (typeof SAFETENSORS_DTYPES)[number];

/** The safetensors dtypes this package can write. */
export const SAFETENSORS_WRITABLE_DTYPES = [
  'F64',
  'F32',
  'F16',
  'BF16',
  'I64',
  'I32',
  'I16',
  'I8',
  'U8',
  'BOOL',
] as const;

/** A safetensors dtype name this package can write (see {@link SAFETENSORS_WRITABLE_DTYPES}). */
export type SafetensorsWritableDType = (typeof SAFETENSORS_WRITABLE_DTYPES)[number];

/** Bytes per element of each readable dtype. */
export const SAFETENSORS_ITEM_SIZE: Readonly<Record<SafetensorsDType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

const READABLE = new Set<string>(SAFETENSORS_DTYPES);
const WRITABLE = new Set<string>(SAFETENSORS_WRITABLE_DTYPES);

/** Whether `name` is a dtype this package can read. */
export function isSafetensorsDType(name: unknown): name is SafetensorsDType {
  return typeof name === 'string' && READABLE.has(name);
}

/** Whether `name` is a dtype this package can write. */
export function isSafetensorsWritableDType(name: unknown): name is SafetensorsWritableDType {
  return typeof name === 'string' && WRITABLE.has(name);
}

/** The aaren dtype a tensor of safetensors dtype `dtype` has once read: `f32` for floats, else `i32`. */
export function aarenDTypeOf(dtype: SafetensorsDType): DType {
  return dtype.startsWith('F') || dtype === 'BF16' ? 'f32' : 'i32';
}
