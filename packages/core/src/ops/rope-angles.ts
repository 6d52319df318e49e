/**
 * Angle tables for rotary position embeddings.
 * @packageDocumentation
 */
import type { Backend } from '../backend.js';
import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { tensor } from './creation.js';

/** Options of {@link ropeAngles}. */
export interface RopeAnglesOptions {
  /** Number of positions T. */
  readonly length: number;
  /** Rotated feature dimension D (even); the tables are `[T, D/2]`. */
  readonly dim: number;
  /** First position (for decoding after a prefix). Default 0. */
  readonly start?: number;
  /** RoPE base θ (Llama: 10000; Llama 3: 500000). Default 10000. */
  readonly base?: number;
  /**
   * Per-pair inverse frequencies, overriding `base` (how `rope_scaling` variants such as Llama 3's or
   * linear scaling are expressed). Length D/2.
   */
  readonly inverseFrequencies?: ArrayLike<number>;
}

/** The standard inverse frequencies `θ_j = base^{−2j/D}`, j < D/2. */
export function ropeInverseFrequencies(dim: number, base = 10000): Float64Array {
  const half = dim / 2;
  const out = new Float64Array(half);
  for (let j = 0; j < half; j++) out[j] = base ** (-(2 * j) / dim);
  return out;
}

/** `cos` and `sin` tables `[T, D/2]` with angle `(start + t)·θ_j`, for {@link rope}. */
export function ropeAngles(backend: Backend, options: RopeAnglesOptions): { cos: Tensor; sin: Tensor } {
  const { length, dim } = options;
  if (!Number.isInteger(dim) || dim <= 0 || dim % 2 !== 0) {
    throw new InvalidArgumentError('ropeAngles', `dim must be a positive even integer, got ${dim}`);
  }
  const half = dim / 2;
  const inv = options.inverseFrequencies ?? ropeInverseFrequencies(dim, options.base ?? 10000);
  if (inv.length !== half) {
    throw new InvalidArgumentError(
      'ropeAngles',
      `inverseFrequencies has ${inv.length} entries, expected ${half}`,
    );
  }
  const start = options.start ?? 0;
  const cos = new Float32Array(length * half);
  const sin = new Float32Array(length * half);
  for (let t = 0; t < length; t++) {
    for (let j = 0; j < half; j++) {
      const angle = (start + t) * inv[j]!;
      cos[t * half + j] = Math.cos(angle);
      sin[t * half + j] = Math.sin(angle);
    }
  }
  return { cos: tensor(backend, cos, [length, half]), sin: tensor(backend, sin, [length, half]) };
}
