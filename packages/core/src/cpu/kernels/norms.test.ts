import { describe, it } from 'vitest';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

/** float64 reference normalisation of `span` (centred or not). */
function normalize(span: number[], center: boolean, eps: number): number[] {
  const mean = center ? span.reduce((s, x) => s + x, 0) / span.length : 0;
  const variance = span.reduce((s, x) => s + (x - mean) ** 2, 0) / span.length;
  return span.map((x) => (x - mean) / Math.sqrt(variance + eps));
}

describe('cpu norms', () => {
  const random = rng(71);
  const rows = 3;
  const n = 8;
  const data = randomArray(random, rows * n, -3, 5);
  const gamma = randomArray(random, n);
  const beta = randomArray(random, n);
  const eps = 1e-5;

  it('layerNorm with and without affine parameters', () => {
    const h = new Harness();
    for (const affine of [false, true]) {
      const out = h.output([rows, n]);
      h.backend.kernels.layerNorm(
        h.input(data, [rows, n]),
        affine ? h.input(gamma, [n]) : null,
        affine ? h.input(beta, [n]) : null,
        eps,
        out,
      );
      const expected: number[] = [];
      for (let r = 0; r < rows; r++) {
        const y = normalize(Array.from(data.subarray(r * n, r * n + n)), true, eps);
        for (const [j, v] of y.entries()) expected.push(affine ? v * gamma[j]! + beta[j]! : v);
      }
      expectClose(h.read(out), expected, 1e-5, 1e-6);
    }
  });

  it('rmsNorm with gamma, reading from an offset view', () => {
    const h = new Harness();
    const padded = new Float32Array(5 + rows * n);
    padded.set(data, 5);
    const out = h.output([rows, n]);
    h.backend.kernels.rmsNorm(
      h.input(padded, [rows, n], { offset: 5, strides: [n, 1] }),
      h.input(gamma, [n]),
      eps,
      out,
    );
    const expected: number[] = [];
    for (let r = 0; r < rows; r++) {
      const y = normalize(Array.from(data.subarray(r * n, r * n + n)), false, eps);
      for (const [j, v] of y.entries()) expected.push(v * gamma[j]!);
    }
    expectClose(h.read(out), expected, 1e-5, 1e-6);
  });

  it('groupNorm normalises each contiguous group and applies per-channel affine', () => {
    const h = new Harness();
    const groups = 4;
    const size = n / groups;
    const out = h.output([rows, n]);
    h.backend.kernels.groupNorm(
      h.input(data, [rows, n]),
      groups,
      h.input(gamma, [n]),
      h.input(beta, [n]),
      eps,
      out,
    );
    const expected: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < groups; q++) {
        const start = r * n + q * size;
        const y = normalize(Array.from(data.subarray(start, start + size)), true, eps);
        for (const [j, v] of y.entries()) expected.push(v * gamma[q * size + j]! + beta[q * size + j]!);
      }
    }
    expectClose(h.read(out), expected, 1e-5, 1e-6);
  });
});
