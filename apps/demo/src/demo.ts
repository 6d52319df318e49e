/**
 * The demo's computations, separate from printing so they can be tested: attention over built-in data as
 * (1) a many-to-one RNN stepped token by token, (2) a parallel prefix scan, (3) quadratic softmax attention.
 */
import { attentionCell, attentionScan, attentionScanFromScores, quadraticAttention } from '@aaren/attention';
import { type Backend, createRng, cummax, exp, randomNormal, sub, tensor, tidy } from '@aaren/core';

/** The worked example of the Aaren paper's pitfall: scores and one-dimensional values. */
export const WORKED_SCORES = [0, 3, -1, 5] as const;
/** Values paired with {@link WORKED_SCORES}. */
export const WORKED_VALUES = [1, 2, 3, 4] as const;

/** Prefix outputs of the worked example three ways. */
export interface WorkedExample {
  /** Attention scan over `(m, u, w)`: the right answer. */
  readonly scan: number[];
  /** Quadratic softmax attention over each prefix, written out directly in float64. */
  readonly quadratic: number[];
  /** The wrong shortcut: cumulative sums of `e^{s − cummax(s)}`, which mixes different reference maxima. */
  readonly cummaxShortcut: number[];
}

/** Computes {@link WorkedExample}. */
export function workedExample(backend: Backend): WorkedExample {
  const scan = tidy(() =>
    Array.from(
      attentionScanFromScores(
        tensor(backend, [...WORKED_SCORES]),
        tensor(
          backend,
          WORKED_VALUES.map((v) => [v]),
        ),
      ).dataSync(),
    ),
  );
  const quadratic = WORKED_SCORES.map((_, k) => {
    const prefix = WORKED_SCORES.slice(0, k + 1);
    const m = Math.max(...prefix);
    const weights = prefix.map((s) => Math.exp(s - m));
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.reduce((acc, wt, i) => acc + (wt / total) * WORKED_VALUES[i]!, 0);
  });
  const cummaxShortcut = tidy(() => {
    const s = tensor(backend, [...WORKED_SCORES]);
    const e = Array.from(exp(sub(s, cummax(s))).dataSync());
    let num = 0;
    let den = 0;
    return e.map((wt, i) => {
      num += wt * WORKED_VALUES[i]!;
      den += wt;
      return num / den;
    });
  });
  return { scan, quadratic, cummaxShortcut };
}

/** Sizes of the multi-head example. */
export interface MultiHeadConfig {
  readonly heads: number;
  readonly length: number;
  readonly dim: number;
  readonly seed: number;
}

/** Outputs `[H, N, d]` of the multi-head example three ways, plus the streaming state size. */
export interface MultiHeadExample {
  readonly config: MultiHeadConfig;
  readonly scan: Float32Array;
  readonly quadratic: Float32Array;
  readonly streamed: Float32Array;
  /** Numbers held by the RNN state after each token: constant, whatever the context length. */
  readonly stateSizes: number[];
}

/**
 * Random keys, values and one query per head (seeded), attended causally by the parallel scan, by
 * quadratic attention, and by stepping the RNN cell one token at a time.
 */
export function multiHeadExample(backend: Backend, config: MultiHeadConfig): MultiHeadExample {
  const { heads, length, dim } = config;
  const rng = createRng(config.seed);
  return tidy(() => {
    const q = randomNormal(backend, [heads, dim], rng, 0, 1);
    const k = randomNormal(backend, [1, heads, length, dim], rng, 0, 1);
    const v = randomNormal(backend, [1, heads, length, dim], rng, 0, 1);
    const scan = attentionScan(q, k, v).dataSync() as Float32Array;
    const quadratic = quadraticAttention(q, k, v).dataSync() as Float32Array;
    const kData = k.dataSync();
    const vData = v.dataSync();
    let state = attentionCell.init(backend, { batch: 1, heads, dim });
    const streamed = new Float32Array(heads * length * dim);
    const stateSizes: number[] = [];
    for (let t = 0; t < length; t++) {
      const token = (data: ArrayLike<number>) => {
        const out = new Float32Array(heads * dim);
        for (let h = 0; h < heads; h++) {
          for (let j = 0; j < dim; j++) out[h * dim + j] = data[(h * length + t) * dim + j]!;
        }
        return tensor(backend, out, [1, heads, dim]);
      };
      const step = attentionCell.step(state, q, token(kData), token(vData));
      state = step.state;
      stateSizes.push(state.m.size + state.u.size + state.w.size);
      const o = step.output.dataSync();
      for (let h = 0; h < heads; h++) {
        for (let j = 0; j < dim; j++) streamed[(h * length + t) * dim + j] = o[h * dim + j]!;
      }
    }
    return { config, scan, quadratic, streamed, stateSizes };
  });
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
