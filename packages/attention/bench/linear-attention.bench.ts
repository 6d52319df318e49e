/**
 * Decayed linear attention: chunked-parallel form (core ops, C = 64) against the recurrent form (the
 * backend's `linearAttention` kernel), forward and forward + backward, and the per-token decoding step.
 */
import { defineSuite, isQuickBench, uniformFloat32 } from '@aaren/bench';
import {
  cpuBackend,
  dispose,
  gradients,
  noGrad,
  requireGrad,
  sum,
  type Tensor,
  tensor,
  tidy,
} from '@aaren/core';
import { linearAttention, linearAttentionState, linearAttentionStep, supraDecay } from '../src/index.js';

const quick = isQuickBench();
const backend = cpuBackend();
const HEADS = 4;
const DIM = 64;
const CHUNK = 64;
const SIZES = quick ? [256] : [1024, 4096, 16384];
const decay = supraDecay(HEADS);

function random(shape: number[], seed: number, lo = -1): Tensor {
  return tensor(
    backend,
    uniformFloat32(
      shape.reduce((a, b) => a * b, 1),
      seed,
      lo,
      1,
    ),
    shape,
  );
}

function inputs(n: number) {
  // Non-negative features, as after SUPRA's ReLU feature map.
  return {
    q: random([1, HEADS, n, DIM], 1, 0),
    k: random([1, HEADS, n, DIM], 2, 0),
    v: random([1, HEADS, n, DIM], 3),
  };
}

type Mode = 'chunked' | 'recurrent';

function forward(mode: Mode, x: ReturnType<typeof inputs>): () => void {
  return () =>
    tidy(() => noGrad(() => void linearAttention(x.q, x.k, x.v, decay, { mode, chunkSize: CHUNK })));
}

function training(mode: Mode, x: ReturnType<typeof inputs>): () => void {
  return () =>
    tidy(() => {
      const q = requireGrad(x.q);
      const k = requireGrad(x.k);
      const v = requireGrad(x.v);
      void gradients(sum(linearAttention(q, k, v, decay, { mode, chunkSize: CHUNK })), [q, k, v]);
    });
}

export default defineSuite({
  name: 'linear-attention',
  cases: () => [
    ...SIZES.flatMap((n) => {
      const x = inputs(n);
      const common = {
        backend: 'cpu',
        size: `N=${n},H=${HEADS},d=${DIM}`,
        work: n * HEADS,
        unit: 'tokens/s' as const,
      };
      return [
        {
          ...common,
          name: `chunked (C=${CHUNK}) forward`,
          ours: forward('chunked', x),
          baseline: { name: 'recurrent kernel', fn: forward('recurrent', x) },
        },
        {
          ...common,
          name: `chunked (C=${CHUNK}) forward+backward`,
          ours: training('chunked', x),
          baseline: { name: 'recurrent kernel', fn: training('recurrent', x) },
          teardown: () => dispose(x),
        },
      ];
    }),
    (() => {
      const state = linearAttentionState(backend, { batch: 1, heads: HEADS, dk: DIM, dv: DIM });
      const token = {
        q: random([1, HEADS, DIM], 4, 0),
        k: random([1, HEADS, DIM], 5, 0),
        v: random([1, HEADS, DIM], 6),
      };
      return {
        name: 'decoding step',
        backend: 'cpu',
        size: `H=${HEADS},dk=dv=${DIM}`,
        work: 1,
        unit: 'tokens/s' as const,
        ours: () =>
          tidy(() => noGrad(() => void linearAttentionStep(state, token.q, token.k, token.v, decay))),
        teardown: () => dispose([state, token]),
      };
    })(),
  ],
});
