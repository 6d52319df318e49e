/**
 * Many-to-many softmax attention: the attention scan (O(N·d)) against quadratic causal attention (O(N²·d),
 * materialised N × N scores) as N grows, forward only and forward + backward, on the CPU backend.
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
import { attentionScan, attentionScanBlockwise, quadraticAttention } from '../src/index.js';

const quick = isQuickBench();
const backend = cpuBackend();
const HEADS = 1;
const DIM = 64;
const SIZES = quick ? [256, 1024] : [1024, 2048, 4096, 8192, 16384, 32768, 65536];
/** Largest N at which the quadratic baseline (N² scores, ~3 N×N f32 buffers) is timed. */
const QUADRATIC_MAX = quick ? 1024 : 4096;
const TRAIN_SIZES = quick ? [256] : [1024, 4096, 16384];
const TRAIN_QUADRATIC_MAX = quick ? 256 : 1024;

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

function inputs(n: number) {
  return {
    q: random([HEADS, DIM], 1),
    k: random([1, HEADS, n, DIM], 2),
    v: random([1, HEADS, n, DIM], 3),
  };
}

function forward(f: typeof attentionScan, x: ReturnType<typeof inputs>): () => void {
  return () => tidy(() => noGrad(() => void f(x.q, x.k, x.v)));
}

function training(f: typeof attentionScan, x: ReturnType<typeof inputs>): () => void {
  return () =>
    tidy(() => {
      const q = requireGrad(x.q);
      const k = requireGrad(x.k);
      const v = requireGrad(x.v);
      void gradients(sum(f(q, k, v)), [q, k, v]);
    });
}

export default defineSuite({
  name: 'attention-scan',
  cases: () => [
    ...SIZES.map((n) => {
      const x = inputs(n);
      return {
        name: 'forward',
        backend: 'cpu',
        size: `N=${n},H=${HEADS},d=${DIM}`,
        work: n * HEADS,
        unit: 'tokens/s' as const,
        ours: forward(attentionScan, x),
        ...(n <= QUADRATIC_MAX
          ? { baseline: { name: 'quadraticAttention', fn: forward(quadraticAttention, x) } }
          : {}),
        teardown: () => dispose(x),
      };
    }),
    ...SIZES.filter((n) => n >= 4096 || quick).map((n) => {
      const x = inputs(n);
      return {
        name: 'forward blockwise (block 1024)',
        backend: 'cpu',
        size: `N=${n},H=${HEADS},d=${DIM}`,
        work: n * HEADS,
        unit: 'tokens/s' as const,
        ours: () => tidy(() => noGrad(() => void attentionScanBlockwise(x.q, x.k, x.v, { blockSize: 1024 }))),
        baseline: { name: 'attentionScan', fn: forward(attentionScan, x) },
        teardown: () => dispose(x),
      };
    }),
    ...TRAIN_SIZES.map((n) => {
      const x = inputs(n);
      return {
        name: 'forward+backward',
        backend: 'cpu',
        size: `N=${n},H=${HEADS},d=${DIM}`,
        work: n * HEADS,
        unit: 'tokens/s' as const,
        ours: training(attentionScan, x),
        ...(n <= TRAIN_QUADRATIC_MAX
          ? { baseline: { name: 'quadraticAttention (autograd)', fn: training(quadraticAttention, x) } }
          : {}),
        teardown: () => dispose(x),
      };
    }),
  ],
});
