import { describe, it } from 'vitest';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

/** Naive float64 scan of one `[n]` lane with `combine` and identity `id`. */
function scanLane(
  lane: number[],
  combine: (a: number, b: number) => number,
  id: number,
  reverse: boolean,
  exclusive: boolean,
): number[] {
  const n = lane.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let acc = id;
    for (let j = 0; j < n; j++) {
      const before = reverse ? j > i : j < i;
      if (before || (!exclusive && j === i)) acc = combine(acc, lane[j]!);
    }
    out[i] = acc;
  }
  return out;
}

describe('cpu cumsum and cummax', () => {
  const [outer, n, inner] = [2, 6, 3];
  const data = randomArray(rng(91), 1 + outer * n * inner, -2, 2);
  for (const kernel of ['cumsum', 'cummax'] as const) {
    for (const reverse of [false, true]) {
      for (const exclusive of [false, true]) {
        it(`${kernel} (reverse=${reverse}, exclusive=${exclusive}) matches a naive scan`, () => {
          const h = new Harness();
          const x = h.input(data, [outer, n, inner], { offset: 1, strides: [n * inner, inner, 1] });
          const out = h.output([outer, n, inner]);
          h.backend.kernels[kernel](x, out, { reverse, exclusive });
          const expected = new Array<number>(outer * n * inner);
          for (let o = 0; o < outer; o++) {
            for (let j = 0; j < inner; j++) {
              const lane = Array.from({ length: n }, (_, i) => data[1 + o * n * inner + i * inner + j]!);
              const scanned =
                kernel === 'cumsum'
                  ? scanLane(lane, (a, b) => a + b, 0, reverse, exclusive)
                  : scanLane(lane, Math.max, Number.NEGATIVE_INFINITY, reverse, exclusive);
              scanned.forEach((v, i) => {
                expected[o * n * inner + i * inner + j] = v;
              });
            }
          }
          expectClose(h.read(out), expected, 1e-6, 1e-6);
        });
      }
    }
  }
});
