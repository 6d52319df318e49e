import { describe, expect, it } from 'vitest';
import { gradients, requireGrad } from '../autograd.js';
import { cpuBackend } from '../cpu/index.js';
import { GradientError, InvalidArgumentError } from '../errors.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectAllClose } from '../testing/all-close.js';
import { checkGradients } from '../testing/gradcheck.js';
import { createTestRng } from '../testing/test-rng.js';
import { tensor, zeros } from './creation.js';
import { type CumulativeOpOptions, cummax, cumsum } from './cumulative.js';
import { mul } from './elementwise.js';
import { transpose } from './layout.js';
import { sum } from './reduce.js';

// Values: float64 scans of the same f32 inputs, |actual − expected| ≤ 1e-5 + 1e-4·|expected| (the scan
// tolerance of the conformance suite); cummax is exact. Gradients: checkGradients defaults
// (eps 1e-2, rtol 2e-2, atol 2e-3); cumsum is linear, so the central difference is exact up to rounding.
const SCAN = { rtol: 1e-4, atol: 1e-5 };

const backend = cpuBackend();
const rng = createTestRng(0xc5);

const sizeOf = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const f32 = (data: ArrayLike<number>, shape: Shape) => tensor(backend, Float32Array.from(data), shape);
const values = (t: Tensor) => Array.from(t.dataSync());

/** Plain-JS scan of row-major `data` of `shape` along `axis`. */
function scanRef(
  data: ArrayLike<number>,
  shape: Shape,
  axis: number,
  options: CumulativeOpOptions,
  identity: number,
  f: (acc: number, v: number) => number,
): number[] {
  const n = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const out = new Array<number>(data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = identity;
      for (let s = 0; s < n; s++) {
        const k = options.reverse ? n - 1 - s : s;
        const at = (o * n + k) * inner + i;
        if (options.exclusive) {
          out[at] = acc;
          acc = f(acc, data[at]!);
        } else {
          acc = f(acc, data[at]!);
          out[at] = acc;
        }
      }
    }
  }
  return out;
}

const COMBOS: CumulativeOpOptions[] = [
  {},
  { exclusive: true },
  { reverse: true },
  { exclusive: true, reverse: true },
];
const label = (o: CumulativeOpOptions) => `exclusive=${o.exclusive ?? false} reverse=${o.reverse ?? false}`;
const SHAPE = [2, 3, 4];

describe('cumsum', () => {
  for (const options of COMBOS) {
    for (const axis of [0, 1, -1]) {
      it(`${label(options)} axis ${axis}: values and gradient`, async () => {
        const data = rng.floats(sizeOf(SHAPE), -1, 1);
        const y = cumsum(f32(data, SHAPE), axis, options);
        expect(y.shape).toEqual(SHAPE);
        const a = axis < 0 ? axis + 3 : axis;
        expectAllClose(
          y.dataSync(),
          scanRef(data, SHAPE, a, options, 0, (p, v) => p + v),
          {
            ...SCAN,
            shape: SHAPE,
          },
        );
        await checkGradients((t) => cumsum(t, axis, options), [requireGrad(f32(data, SHAPE))]);
      });
    }
  }

  it('defaults to the last axis, inclusive, forward', () => {
    expect(values(cumsum(f32([1, 2, 3, 4], [2, 2])))).toEqual([1, 3, 3, 7]);
  });

  it('gradient of Σ cumsum is the count of outputs each input reaches', () => {
    const x = requireGrad(f32([1, 2, 3, 4], [4]));
    expect(values(gradients(sum(cumsum(x)), [x])[0]!)).toEqual([4, 3, 2, 1]);
    expect(values(gradients(sum(cumsum(x, 0, { exclusive: true })), [x])[0]!)).toEqual([3, 2, 1, 0]);
    expect(values(gradients(sum(cumsum(x, 0, { reverse: true })), [x])[0]!)).toEqual([1, 2, 3, 4]);
    expect(values(gradients(sum(cumsum(x, 0, { reverse: true, exclusive: true })), [x])[0]!)).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('works on strided inputs, size-0 tensors, and second order', async () => {
    const xt = transpose(f32([1, 2, 3, 4, 5, 6], [2, 3]));
    // xt = [[1, 4], [2, 5], [3, 6]]
    expect(values(cumsum(xt, 0))).toEqual([1, 4, 3, 9, 6, 15]);
    expect(values(cumsum(xt, 1, { reverse: true }))).toEqual([5, 4, 7, 5, 9, 6]);
    expect(cumsum(zeros(backend, [2, 0]), 1).shape).toEqual([2, 0]);
    await checkGradients(
      (t) => gradients(sum(mul(cumsum(t, 0), t)), [t], { createGraph: true })[0]!,
      [requireGrad(f32(rng.floats(4, -1, 1), [4]))],
    );
  });

  it('rejects an out-of-range axis', () => {
    expect(() => cumsum(f32([1, 2], [2]), 1)).toThrow(InvalidArgumentError);
  });
});

describe('cummax', () => {
  for (const options of COMBOS) {
    for (const axis of [0, 1, 2]) {
      it(`${label(options)} axis ${axis}: values (−∞ before the first element when exclusive)`, () => {
        const data = rng.floats(sizeOf(SHAPE), -1, 1);
        const y = cummax(f32(data, SHAPE), axis, options);
        expect(values(y)).toEqual(scanRef(data, SHAPE, axis, options, Number.NEGATIVE_INFINITY, Math.max));
      });
    }
  }

  it('handles ties and −∞ inputs', () => {
    const inf = Number.NEGATIVE_INFINITY;
    expect(values(cummax(f32([inf, 1, 1, 0, 2], [5])))).toEqual([inf, 1, 1, 1, 2]);
  });

  it('is recorded, but differentiating it throws GradientError', () => {
    const x = requireGrad(f32([1, 3, 2], [3]));
    const y = cummax(x);
    expect(y.requiresGrad).toBe(true);
    expect(() => gradients(sum(y), [x])).toThrow(GradientError);
    expect(() => gradients(sum(y), [x])).toThrow(/cummax is not differentiable/);
  });
});
