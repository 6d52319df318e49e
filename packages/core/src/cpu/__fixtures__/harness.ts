/**
 * Test fixtures for the CPU kernel tests: a seeded RNG and helpers that put data into CPU buffers and
 * wrap them in views. Not part of the published build.
 * @packageDocumentation
 */
import { expect } from 'vitest';
import type { Backend, TensorView } from '../../backend.js';
import type { DType, TensorData } from '../../dtype.js';
import { contiguousStrides } from '../../shape.js';
import { cpuBackend } from '../backend.js';
import { viewOf } from '../view.js';

/** A seeded uniform RNG on [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` values uniform in `[lo, hi)`, rounded to f32 so references see exactly what the kernels see. */
export function randomArray(random: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * random();
  return out;
}

/** Layout of an input view inside its buffer. */
export interface Layout {
  readonly dtype?: DType;
  readonly strides?: readonly number[];
  readonly offset?: number;
}

/** Buffers on one CPU backend, with helpers to fill and read them. */
export class Harness {
  readonly backend: Backend = cpuBackend();

  /** A buffer holding `data`, seen through a view of `shape` with the given layout. */
  input(data: ArrayLike<number>, shape: readonly number[], layout: Layout = {}): TensorView {
    const dtype = layout.dtype ?? 'f32';
    const buffer = this.backend.alloc(dtype, data.length);
    this.backend.write(buffer, dtype === 'f32' ? Float32Array.from(data) : Int32Array.from(data));
    return viewOf(buffer, shape, layout.strides ?? contiguousStrides(shape), layout.offset ?? 0);
  }

  /** A contiguous output view, pre-filled with NaN (f32) or a sentinel (i32) so unwritten elements show. */
  output(shape: readonly number[], dtype: DType = 'f32'): TensorView {
    let size = 1;
    for (const d of shape) size *= d;
    const buffer = this.backend.alloc(dtype, size);
    this.backend.write(
      buffer,
      dtype === 'f32' ? new Float32Array(size).fill(Number.NaN) : new Int32Array(size).fill(-7),
    );
    return viewOf(buffer, shape);
  }

  /** The whole buffer behind a view. */
  read(view: TensorView): TensorData {
    return this.backend.readSync!(view.buffer);
  }
}

/** Asserts `|actual − expected| ≤ atol + rtol·|expected|` elementwise (equal infinities and NaNs pass). */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-5,
  atol = 1e-6,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) || a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`element ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
