import { describe, expect, it } from 'vitest';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

describe('cpu rope', () => {
  const rows = 2;
  const T = 3;
  const D = 6;
  const half = D / 2;
  const random = rng(81);
  const x = randomArray(random, rows * T * D);
  const angles = randomArray(random, T * half, -3, 3);
  const cos = angles.map(Math.cos);
  const sin = angles.map(Math.sin);

  /** float64 reference with explicit pair indices. */
  function reference(interleaved: boolean, inverse: boolean): number[] {
    const out = new Array<number>(x.length).fill(0);
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < T; t++) {
        for (let j = 0; j < half; j++) {
          const theta = (inverse ? -1 : 1) * angles[t * half + j]!;
          const i1 = (r * T + t) * D + (interleaved ? 2 * j : j);
          const i2 = (r * T + t) * D + (interleaved ? 2 * j + 1 : j + half);
          out[i1] = x[i1]! * Math.cos(theta) - x[i2]! * Math.sin(theta);
          out[i2] = x[i1]! * Math.sin(theta) + x[i2]! * Math.cos(theta);
        }
      }
    }
    return out;
  }

  for (const interleaved of [false, true]) {
    it(`rotates pairs (interleaved=${interleaved}) and the inverse undoes it`, () => {
      const h = new Harness();
      const out = h.output([rows, T, D]);
      const cosView = h.input(cos, [T, half]);
      const sinView = h.input(sin, [T, half]);
      h.backend.kernels.rope(h.input(x, [rows, T, D]), cosView, sinView, out, {
        interleaved,
        inverse: false,
      });
      expectClose(h.read(out), reference(interleaved, false), 1e-6, 1e-6);
      const inv = h.output([rows, T, D]);
      h.backend.kernels.rope(h.input(x, [rows, T, D]), cosView, sinView, inv, { interleaved, inverse: true });
      expectClose(h.read(inv), reference(interleaved, true), 1e-6, 1e-6);
      const back = h.output([rows, T, D]);
      h.backend.kernels.rope(out, cosView, sinView, back, { interleaved, inverse: true });
      expectClose(h.read(back), x, 1e-5, 1e-6);
    });
  }

  it('rejects an odd feature extent', () => {
    const h = new Harness();
    expect(() =>
      h.backend.kernels.rope(
        h.input([1, 2, 3], [1, 1, 3]),
        h.input([1], [1, 1]),
        h.input([0], [1, 1]),
        h.output([1, 1, 3]),
        {
          interleaved: false,
          inverse: false,
        },
      ),
    ).toThrow(/even/);
  });
});
