import { attentionCell } from '@aaren/attention';
import { cpuBackend, createRng, mul, randomNormal } from '@aaren/core';
import { expectAllClose } from '@aaren/core/testing';
import { describe, it } from 'vitest';
import { unmaskedCellStep } from './cell-step.js';

const backend = cpuBackend();

describe('unmaskedCellStep', () => {
  it.each([1, 300])('equals attentionCell.step over 20 tokens (scores scaled ×%d)', (magnitude) => {
    const [b, h, d] = [2, 3, 4];
    const q = mul(randomNormal(backend, [h, d], createRng(1)), magnitude);
    let ours = attentionCell.init(backend, { batch: b, heads: h, dim: d });
    let reference = ours;
    for (let t = 0; t < 20; t++) {
      const k = randomNormal(backend, [b, h, d], createRng(10 + t));
      const v = randomNormal(backend, [b, h, d], createRng(100 + t));
      const a = unmaskedCellStep(ours, q, k, v);
      const r = attentionCell.step(reference, q, k, v, { scale: 1 });
      expectAllClose(a.output.dataSync(), r.output.dataSync(), { atol: 1e-5, rtol: 1e-5 });
      ours = a.state;
      reference = r.state;
    }
  });
});
