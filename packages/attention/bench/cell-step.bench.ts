/**
 * Per-token decoding cost against context length: `attentionCell.step` (constant-size state, must be flat)
 * against a KV-cache step of quadratic attention (one query over the L cached keys and values: O(L·d)).
 */
import { defineSuite, isQuickBench, uniformFloat32 } from '@aaren/bench';
import {
  cpuBackend,
  dispose,
  matmul,
  noGrad,
  reshape,
  softmax,
  type Tensor,
  tensor,
  tidy,
} from '@aaren/core';
import { type AttentionCellState, attentionCell, attentionScores } from '../src/index.js';

const quick = isQuickBench();
const backend = cpuBackend();
const HEADS = 4;
const DIM = 64;
const CONTEXTS = quick ? [256, 1024] : [1024, 4096, 16384, 65536];

function random(shape: number[], seed: number): Tensor {
  return tensor(
    backend,
    uniformFloat32(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

export default defineSuite({
  name: 'cell-step',
  cases: () =>
    CONTEXTS.map((context) => {
      const q = random([HEADS, DIM], 1);
      const kCache = random([1, HEADS, context, DIM], 2);
      const vCache = random([1, HEADS, context, DIM], 3);
      const kT = random([1, HEADS, DIM], 4);
      const vT = random([1, HEADS, DIM], 5);
      // The state after absorbing the whole context (one block): same size whatever the context.
      let state: AttentionCellState | null = null;
      return {
        name: 'per-token step',
        backend: 'cpu',
        size: `L=${context},H=${HEADS},d=${DIM}`,
        work: 1,
        unit: 'tokens/s' as const,
        setup: () => {
          state = noGrad(
            () =>
              attentionCell.block(
                attentionCell.init(backend, { batch: 1, heads: HEADS, dim: DIM }),
                q,
                kCache,
                vCache,
              ).state,
          );
        },
        ours: () => tidy(() => noGrad(() => void attentionCell.step(state!, q, kT, vT))),
        baseline: {
          name: 'KV-cache step (softmax over L keys)',
          fn: () =>
            tidy(() =>
              noGrad(() => {
                const weights = softmax(attentionScores(q, kCache), -1);
                void matmul(reshape(weights, [1, HEADS, 1, context]), vCache);
              }),
            ),
        },
        teardown: () => dispose([q, kCache, vCache, kT, vT, state]),
        extra: () => ({
          stateFloats: HEADS * (DIM + 2),
          kvCacheFloats: 2 * HEADS * context * DIM,
        }),
      };
    }),
});
