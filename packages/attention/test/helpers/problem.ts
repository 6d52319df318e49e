/**
 * Random attention problems shared by the tests, as f32 data plus the matching float64 reference input.
 */
import type { Tensor } from '@aaren/core';
import type { ReferenceAttentionInput } from '../../src/reference/index.js';
import { createRng } from './random.js';
import { f32 } from './tensors.js';

/** Extents and options of a random problem. */
export interface ProblemSpec {
  readonly batch: number;
  readonly heads: number;
  readonly length: number;
  readonly dim: number;
  readonly valueDim: number;
  /** Query `[H, d]` (default) or `[B, H, d]`. */
  readonly perBatchQuery?: boolean;
  /** Padding mask `[B, N]` (1 keep, 0 pad). */
  readonly mask?: readonly number[];
  readonly scale?: number;
  /** Standard deviation of q and k entries (default 1). */
  readonly spread?: number;
  readonly seed: number;
}

/** A random problem: data, shapes, the reference input, and tensors made on demand. */
export interface Problem {
  readonly spec: ProblemSpec;
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly qShape: number[];
  readonly kShape: number[];
  readonly vShape: number[];
  readonly outShape: number[];
  readonly input: ReferenceAttentionInput;
  /** Fresh tensors `{ q, k, v, mask }`. */
  tensors(): { q: Tensor; k: Tensor; v: Tensor; mask: Tensor | null };
  /** A random projection of the output (for gradient checks). */
  readonly projection: Float32Array;
}

/** Builds a seeded random problem. */
export function makeProblem(spec: ProblemSpec): Problem {
  const { batch, heads, length, dim, valueDim } = spec;
  const rng = createRng(spec.seed);
  const qShape = spec.perBatchQuery ? [batch, heads, dim] : [heads, dim];
  const kShape = [batch, heads, length, dim];
  const vShape = [batch, heads, length, valueDim];
  const outShape = [batch, heads, length, valueDim];
  const q = rng.normal(
    qShape.reduce((a, b) => a * b, 1),
    spec.spread ?? 1,
  );
  const k = rng.normal(batch * heads * length * dim, spec.spread ?? 1);
  const v = rng.normal(batch * heads * length * valueDim);
  const projection = rng.normal(batch * heads * length * valueDim);
  const input: ReferenceAttentionInput = {
    batch,
    heads,
    length,
    dim,
    valueDim,
    q,
    k,
    v,
    mask: spec.mask ?? null,
    ...(spec.scale === undefined ? {} : { scale: spec.scale }),
  };
  return {
    spec,
    q,
    k,
    v,
    qShape,
    kShape,
    vShape,
    outShape,
    input,
    projection,
    tensors: () => ({
      q: f32(q, qShape),
      k: f32(k, kShape),
      v: f32(v, vShape),
      mask: spec.mask ? f32(spec.mask, [batch, length]) : null,
    }),
  };
}
