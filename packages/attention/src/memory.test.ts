/**
 * Memory behaviour: the blockwise scan's working memory is bounded by the block size, the cell's state has a
 * fixed size, and no form leaks buffers when run without gradients.
 */
import { type Backend, cpuBackend, dispose, noGrad, tensor, tidy } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../test/helpers/random.js';
import { attentionCell, attentionScan, attentionScanBlockwise } from './index.js';

/** A CPU backend that records the peak of live bytes. */
function trackedBackend(): { backend: Backend; peak: () => number; reset: () => void } {
  const inner = cpuBackend();
  let peak = 0;
  const backend: Backend = {
    ...inner,
    alloc(dtype, size) {
      const buffer = inner.alloc(dtype, size);
      peak = Math.max(peak, inner.memoryInfo().liveBytes);
      return buffer;
    },
  };
  return {
    backend,
    peak: () => peak,
    reset: () => {
      peak = inner.memoryInfo().liveBytes;
    },
  };
}

describe('memory', () => {
  const n = 8192;
  const d = 16;
  const rng = createRng(71);

  it('blockwise working memory is O(blockSize) beyond the inputs and the output, below the scan', () => {
    const { backend, peak, reset } = trackedBackend();
    const q = tensor(backend, rng.normal(d), [1, d]);
    const k = tensor(backend, rng.normal(n * d), [1, 1, n, d]);
    const v = tensor(backend, rng.normal(n * d), [1, 1, n, d]);
    const outputBytes = n * d * 4;
    const extra = (run: () => unknown) => {
      reset();
      const base = backend.memoryInfo().liveBytes;
      noGrad(() => tidy(() => void run()));
      return peak() - base - outputBytes;
    };
    // Per-block temporaries: a few copies of one block of keys and values (b·(d + dv) floats each).
    const bound = (blockSize: number) => 16 * blockSize * 2 * d * 4;
    const small = extra(() => attentionScanBlockwise(q, k, v, { blockSize: 128 }));
    const large = extra(() => attentionScanBlockwise(q, k, v, { blockSize: 2048 }));
    const scan = extra(() => attentionScan(q, k, v));
    expect(small).toBeLessThan(bound(128));
    expect(large).toBeLessThan(bound(2048));
    expect(small).toBeLessThan(large);
    // The full scan holds O(N) temporaries (scores, running maxima and denominators).
    expect(small).toBeLessThan(scan);
    expect(scan).toBeGreaterThanOrEqual(3 * n * 4);
    dispose([q, k, v]);
  });

  it('leaves no buffer behind without gradients (scan, blockwise, steps)', () => {
    const { backend } = trackedBackend();
    const q = tensor(backend, rng.normal(d), [1, d]);
    const k = tensor(backend, rng.normal(64 * d), [1, 1, 64, d]);
    const v = tensor(backend, rng.normal(64 * d), [1, 1, 64, d]);
    const live = () => backend.memoryInfo().liveBuffers;
    const before = live();
    noGrad(() => tidy(() => void attentionScan(q, k, v)));
    noGrad(() => tidy(() => void attentionScanBlockwise(q, k, v, { blockSize: 5 })));
    const out = noGrad(() => attentionScanBlockwise(q, k, v, { blockSize: 5 }));
    expect(live()).toBe(before + 1); // only the output, even outside tidy()
    out.dispose();
    let state = attentionCell.init(backend, { batch: 1, heads: 1, dim: d });
    const kt = tensor(backend, rng.normal(d), [1, 1, d]);
    const stateBuffers = live();
    for (let t = 0; t < 20; t++) {
      const next = noGrad(() => tidy(() => attentionCell.step(state, q, kt, kt).state));
      dispose(state);
      state = next;
      expect(live()).toBe(stateBuffers); // constant-size state, nothing else kept
    }
    dispose([q, k, v, kt, state]);
  });
});
