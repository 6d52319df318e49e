import { describe, expect, it } from 'vitest';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

/** Triple-loop float64 reference of `op(A)·op(B)` for one batch, reading the raw (possibly transposed) data. */
function reference(
  a: Float32Array,
  b: Float32Array,
  batch: number,
  M: number,
  N: number,
  K: number,
  transposeA: boolean,
  transposeB: boolean,
): Float64Array {
  const out = new Float64Array(batch * M * N);
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const x = transposeA ? a[p * K * M + k * M + i]! : a[p * M * K + i * K + k]!;
          const y = transposeB ? b[p * N * K + j * K + k]! : b[p * K * N + k * N + j]!;
          s += x * y;
        }
        out[p * M * N + i * N + j] = s;
      }
    }
  }
  return out;
}

const SIZES: [batch: number, M: number, N: number, K: number][] = [
  [1, 1, 1, 1],
  [1, 3, 1, 5],
  [2, 17, 33, 65],
  [3, 4, 8, 4],
  [1, 9, 7, 6],
  [2, 1, 13, 31],
];

describe('cpu matmul', () => {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      it(`matches a float64 triple loop (transposeA=${transposeA}, transposeB=${transposeB})`, () => {
        const h = new Harness();
        const random = rng(11);
        for (const [batch, M, N, K] of SIZES) {
          const aData = randomArray(random, batch * M * K);
          const bData = randomArray(random, batch * K * N);
          // Offset the inputs inside their buffers to check that `offset` is honoured.
          const pad = 3;
          const aBuf = new Float32Array(pad + aData.length);
          aBuf.set(aData, pad);
          const bBuf = new Float32Array(pad + bData.length);
          bBuf.set(bData, pad);
          const aShape = transposeA ? [batch, K, M] : [batch, M, K];
          const bShape = transposeB ? [batch, N, K] : [batch, K, N];
          const a = h.input(aBuf, aShape, { offset: pad, strides: [aShape[1]! * aShape[2]!, aShape[2]!, 1] });
          const b = h.input(bBuf, bShape, { offset: pad, strides: [bShape[1]! * bShape[2]!, bShape[2]!, 1] });
          const out = h.output([batch, M, N]);
          h.backend.kernels.matmul(a, b, out, { transposeA, transposeB });
          expectClose(
            h.read(out),
            reference(aData, bData, batch, M, N, K, transposeA, transposeB),
            1e-5,
            1e-6,
          );
        }
      });
    }
  }

  it('writes zeros when K = 0 and nothing when M = 0', () => {
    const h = new Harness();
    const out = h.output([2, 3, 4]);
    h.backend.kernels.matmul(h.input([], [2, 3, 0]), h.input([], [2, 0, 4]), out, {
      transposeA: false,
      transposeB: false,
    });
    expect(Array.from(h.read(out))).toEqual(new Array(24).fill(0));
    const empty = h.output([1, 0, 4]);
    h.backend.kernels.matmul(h.input([], [1, 0, 2]), h.input(new Float32Array(8), [1, 2, 4]), empty, {
      transposeA: false,
      transposeB: false,
    });
    expect(h.read(empty).length).toBe(0);
  });

  it('shares one matrix across the batch when its batch stride is 0', () => {
    const h = new Harness();
    const random = rng(5);
    const aData = randomArray(random, 3 * 4 * 5);
    const bData = randomArray(random, 5 * 6);
    for (const transposeB of [false, true]) {
      const b = h.input(bData, transposeB ? [3, 6, 5] : [3, 5, 6], {
        strides: transposeB ? [0, 5, 1] : [0, 6, 1],
      });
      const out = h.output([3, 4, 6]);
      h.backend.kernels.matmul(h.input(aData, [3, 4, 5]), b, out, { transposeA: false, transposeB });
      const bTiled = new Float32Array(3 * 30);
      for (let p = 0; p < 3; p++) bTiled.set(bData, p * 30);
      expectClose(h.read(out), reference(aData, bTiled, 3, 4, 6, 5, false, transposeB));
    }
  });

  it('rejects mismatched inner extents', () => {
    const h = new Harness();
    expect(() =>
      h.backend.kernels.matmul(
        h.input(new Float32Array(6), [1, 2, 3]),
        h.input(new Float32Array(8), [1, 4, 2]),
        h.output([1, 2, 2]),
        {
          transposeA: false,
          transposeB: false,
        },
      ),
    ).toThrow(/matmul/);
  });
});
