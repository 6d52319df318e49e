import { describe, expect, it } from 'vitest';
import { gradients, isGradEnabled, noGrad, record, requireGrad } from './autograd.js';
import { cpuBackend } from './cpu/index.js';
import { GradientError, ShapeError } from './errors.js';
import { tensor } from './ops/creation.js';
import { add, cos, exp, mul, pow, sin, square, sub, tanh, where } from './ops/elementwise.js';
import { concat, reshape, slice } from './ops/layout.js';
import { linear, matmul } from './ops/matmul.js';
import { layerNorm, logSoftmax, softmax } from './ops/nn.js';
import { max, mean, sum } from './ops/reduce.js';
import type { Shape } from './shape.js';
import type { Tensor } from './tensor.js';
import { expectAllClose } from './testing/all-close.js';
import { checkGradients } from './testing/gradcheck.js';
import { createTestRng } from './testing/test-rng.js';

// Analytic values (float64 formulas of the same f32 inputs): |actual − expected| ≤ 1e-5 + 1e-5·|expected|.
// Finite-difference checks: checkGradients defaults (eps 1e-2, rtol 2e-2, atol 2e-3).
const VALUES = { rtol: 1e-5, atol: 1e-5 };

const backend = cpuBackend();
const rng = createTestRng(0xa9);

const sizeOf = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const f32 = (data: ArrayLike<number>, shape: Shape) => tensor(backend, Float32Array.from(data), shape);
const param = (data: ArrayLike<number>, shape: Shape) => requireGrad(f32(data, shape));
const randomParam = (shape: Shape, lo = -1, hi = 1) => param(rng.floats(sizeOf(shape), lo, hi), shape);
const values = (t: Tensor | null) => Array.from(t!.dataSync());

describe('gradients', () => {
  it('accumulates over a tensor used several times', () => {
    const data = [-1.5, 0.5, 2];
    const x = param(data, [3]);
    // f = Σ (x·x + 3x + x) → f' = 2x + 4
    const f = sum(add(add(mul(x, x), mul(x, 3)), x));
    expectAllClose(
      values(gradients(f, [x])[0]!),
      data.map((v) => 2 * v + 4),
      VALUES,
    );
    // The same tensor as both operands of one op.
    expect(values(gradients(sum(add(x, x)), [x])[0]!)).toEqual([2, 2, 2]);
    // Used directly and through views.
    const g = gradients(sum(add(mul(x, 2), concat([slice(x, [1]), slice(x, [0], [1])], 0))), [x])[0]!;
    expect(values(g)).toEqual([3, 3, 3]);
  });

  it('handles diamond graphs (shared subexpressions)', async () => {
    const data = [-0.7, 0.1, 0.9];
    const x = param(data, [3]);
    // a = eˣ; f = Σ sin(a)·cos(a) = Σ sin(2a)/2 → f' = cos(2a)·a
    const f = (t: Tensor) => {
      const a = exp(t);
      return mul(sin(a), cos(a));
    };
    const [g] = gradients(sum(f(x)), [x]);
    expectAllClose(
      values(g!),
      data.map((v) => Math.cos(2 * Math.exp(v)) * Math.exp(v)),
      VALUES,
    );
    await checkGradients(f, [x]);
    // A deeper diamond: two paths of different lengths from x to the output.
    await checkGradients(
      (t) => {
        const a = tanh(t);
        const b = mul(a, a);
        return add(mul(b, a), sub(t, b));
      },
      [randomParam([2, 3])],
    );
  });

  it('returns gradients for intermediate tensors and null for tensors the output does not depend on', () => {
    const x = param([1, 2], [2]);
    const y = param([3, 4], [2]);
    const unrelated = param([5], [1]);
    const mid = mul(x, 3);
    const out = sum(mul(mid, y));
    const [gMid, gx, gu, gy] = gradients(out, [mid, x, unrelated, y]);
    expect(values(gMid!)).toEqual([3, 4]);
    expect(values(gx!)).toEqual([9, 12]);
    expect(gu).toBeNull();
    expect(values(gy!)).toEqual([3, 6]);
  });

  it('leaves the graph intact: a second call gives the same result', () => {
    const x = param([0.5, -0.25], [2]);
    const out = sum(exp(mul(x, x)));
    const first = values(gradients(out, [x])[0]!);
    expect(values(gradients(out, [x])[0]!)).toEqual(first);
  });

  it('uses the seed for non-scalar outputs', () => {
    const x = param([1, 2, 3], [3]);
    const y = mul(x, x);
    const [g] = gradients(y, [x], { seed: f32([1, 0, -1], [3]) });
    expect(values(g!)).toEqual([2, 0, -6]);
    // A one-element output of any rank needs no seed.
    expect(values(gradients(reshape(sum(y), [1, 1]), [x])[0]!)).toEqual([2, 4, 6]);
  });

  it('returns distinct tensors that can be disposed independently (no aliasing of each other or the seed)', () => {
    const a = param([1, 2], [2]);
    const b = param([3, 4], [2]);
    const [ga, gb] = gradients(sum(add(a, b)), [a, b]);
    expect(ga).not.toBe(gb);
    ga!.dispose();
    expect(values(gb!)).toEqual([1, 1]);
    const seed = f32([5, 6], [2]);
    const [gs] = gradients(add(a, 1), [a], { seed });
    expect(gs).not.toBe(seed);
    gs!.dispose();
    expect(values(seed)).toEqual([5, 6]);
  });

  it('non-f32 inputs to ops receive no gradient (e.g. the condition of where)', () => {
    const x = param([1, 2], [2]);
    const cond = tensor(backend, new Int32Array([1, 0]), [2]);
    const [gx, gc] = gradients(sum(where(cond, x, 0)), [x, cond]);
    expect(values(gx!)).toEqual([1, 0]);
    expect(gc).toBeNull();
  });
});

describe('gradients: errors', () => {
  it('a non-scalar output without a seed', () => {
    const x = param([1, 2], [2]);
    expect(() => gradients(mul(x, 2), [x])).toThrow(GradientError);
    expect(() => gradients(mul(x, 2), [x])).toThrow(/not a scalar; pass options\.seed/);
  });

  it('a seed whose shape differs from the output', () => {
    const x = param([1, 2], [2]);
    expect(() => gradients(mul(x, 2), [x], { seed: f32([1, 1, 1], [3]) })).toThrow(/seed shape \[3\]/);
  });

  it('an output that does not depend on any tensor requiring gradients', () => {
    const x = f32([1, 2], [2]);
    expect(() => gradients(sum(x), [x])).toThrow(GradientError);
    expect(() => gradients(sum(x), [x])).toThrow(/does not depend on any tensor that requires gradients/);
  });

  it('requireGrad on an i32 tensor', () => {
    expect(() => requireGrad(tensor(backend, new Int32Array([1]), [1]))).toThrow(GradientError);
  });

  it('a backward that returns a wrongly shaped gradient names the op', () => {
    const x = param([1, 2], [2]);
    const y = noGrad(() => mul(x, 2));
    record(y, 'myBrokenOp', [x], (g) => [sum(g)]);
    expect(() => gradients(sum(y), [x])).toThrow(
      /backward of 'myBrokenOp' returned a gradient of shape \[\]/,
    );
  });

  it('shape errors name the op and every shape', () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = f32([1, 2, 3, 4], [4]);
    let caught: unknown;
    try {
      add(a, b);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShapeError);
    const e = caught as ShapeError;
    expect(e.message).toContain('add');
    expect(e.message).toContain('[2, 3]');
    expect(e.message).toContain('[4]');
    expect(e.op).toBe('add');
    expect(e.shapes).toEqual([[2, 3], [4]]);
    expect(e.code).toBe('E_SHAPE');
    expect(() => mul(a, b)).toThrow(/^mul: .*\[2, 3\].*\[4\]/);
    expect(() => sub(b, a)).toThrow(/^sub: .*\[4\].*\[2, 3\]/);
    expect(() => where(f32([1, 0], [2]), a, 0)).toThrow(/^where: .*\[2\].*\[2, 3\]/);
    expect(() => matmul(a, a)).toThrow(/^matmul: .*\[2, 3\], \[2, 3\]/);
  });
});

describe('record', () => {
  it('records only when some input requires gradients and gradients are enabled', () => {
    const x = f32([1], [1]);
    const p = param([1], [1]);
    expect(mul(x, 2).requiresGrad).toBe(false);
    expect(mul(x, 2).gradNode).toBeNull();
    const y = mul(p, 2);
    expect(y.requiresGrad).toBe(true);
    expect(y.gradNode?.op).toBe('mul');
    expect(y.gradNode?.inputs[0]).toBe(p);
  });

  it('a null gradient from a backward means no contribution', () => {
    const x = param([1, 2], [2]);
    const y = param([3, 4], [2]);
    const out = record(
      noGrad(() => add(x, y)),
      'leftOnly',
      [x, y],
      (g) => [g, null],
    );
    const [gx, gy] = gradients(sum(out), [x, y]);
    expect(values(gx!)).toEqual([1, 1]);
    expect(gy).toBeNull();
  });
});

describe('noGrad', () => {
  it('disables recording inside, returns the value and restores the state (also after a throw)', () => {
    const x = param([1, 2], [2]);
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      noGrad(() => expect(isGradEnabled()).toBe(false));
      expect(isGradEnabled()).toBe(false);
      return mul(x, x);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradNode).toBeNull();
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    // A result computed under noGrad is a constant for later differentiation.
    const [g] = gradients(sum(mul(x, y)), [x]);
    expect(values(g!)).toEqual([1, 4]);
  });

  it('gradients without createGraph are constants', () => {
    const x = param([1, 2], [2]);
    const [g] = gradients(sum(mul(x, x)), [x]);
    expect(g!.requiresGrad).toBe(false);
    expect(() => gradients(sum(g!), [x])).toThrow(GradientError);
  });
});

describe('createGraph: higher-order derivatives', () => {
  it('d²/dx² x³ = 6x and d³/dx³ x³ = 6 (products and pow)', () => {
    const data = [-1.5, 0.5, 2];
    for (const cube of [(t: Tensor) => mul(t, mul(t, t)), (t: Tensor) => pow(t, 3)]) {
      const x = param(data, [3]);
      const [g1] = gradients(sum(cube(x)), [x], { createGraph: true });
      expect(g1!.requiresGrad).toBe(true);
      expectAllClose(
        values(g1!),
        data.map((v) => 3 * v * v),
        VALUES,
      );
      const [g2] = gradients(sum(g1!), [x], { createGraph: true });
      expectAllClose(
        values(g2!),
        data.map((v) => 6 * v),
        VALUES,
      );
      const [g3] = gradients(sum(g2!), [x]);
      expectAllClose(values(g3!), [6, 6, 6], VALUES);
    }
  });

  it('d²/dx² tanh = −2 tanh·(1 − tanh²)', () => {
    const data = [-1, 0.3, 1.2];
    const x = param(data, [3]);
    const [g1] = gradients(sum(tanh(x)), [x], { createGraph: true });
    const [g2] = gradients(sum(g1!), [x]);
    expectAllClose(
      values(g2!),
      data.map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)),
      VALUES,
    );
  });

  it('second derivatives match finite differences of the gradient (Hessian-vector products)', async () => {
    const grad = (f: (t: Tensor) => Tensor) => (t: Tensor) =>
      gradients(sum(f(t)), [t], { createGraph: true })[0]!;
    await checkGradients(
      grad((t) => mul(exp(t), sin(t))),
      [randomParam([2, 3])],
    );
    await checkGradients(
      grad((t) => mul(softmax(t), t)),
      [randomParam([2, 3])],
    );
    await checkGradients(
      grad((t) => mul(logSoftmax(t), square(t))),
      [randomParam([2, 3])],
    );
    await checkGradients(
      grad((t) => mul(layerNorm(t), t)),
      [randomParam([2, 4], -2, 2)],
    );
    await checkGradients(
      grad((t) => square(matmul(t, t))),
      [randomParam([3, 3])],
    );
    await checkGradients(
      grad((t) => mul(max(t, 1), mean(t, 1))),
      [param([0.1, 0.5, -0.3, 0.9, -0.6, 0.2], [2, 3])],
    );
  });

  it('gradients of a gradient with respect to another input (mixed partials)', () => {
    const x = param([2], [1]);
    const y = param([3], [1]);
    // f = x²y → ∂f/∂x = 2xy → ∂²f/∂y∂x = 2x
    const [gx] = gradients(sum(mul(square(x), y)), [x], { createGraph: true });
    const [gxy, gxx] = gradients(sum(gx!), [y, x]);
    expect(values(gxy!)).toEqual([4]);
    expect(values(gxx!)).toEqual([6]);
  });
});

describe('checkGradients', () => {
  it('reports the errors it measured and checks only inputs that require gradients', async () => {
    const w = randomParam([3, 2]);
    const x = f32(rng.floats(8, -1, 1), [4, 2]);
    const report = await checkGradients((a, b) => linear(b!, a!), [w, x]);
    expect(report.checked).toBe(6);
    expect(report.mismatches).toBe(0);
    expect(report.maxAbsError).toBeLessThan(2e-3);
    expect(report.worst?.input).toBe(0);
    expect(report.worst!.ratio).toBeLessThanOrEqual(1);
  });

  it('detects a wrong backward and names the input, element and both values', async () => {
    const x = param([0.5, -1, 1.5], [3]);
    const badSquare = (t: Tensor) =>
      record(
        noGrad(() => square(t)),
        'badSquare',
        [t],
        (g) => [mul(g, t)],
      );
    await expect(checkGradients(badSquare, [x])).rejects.toThrow(
      /checkGradients: 3 of 3 gradient elements out of tolerance .*input 0 \(shape \[3\]\) element \[0\]: analytic/,
    );
  });

  it('accepts an explicit projection seed and rejects a missing requireGrad', async () => {
    const x = randomParam([2, 2]);
    const seed = f32([1, 0, 0, 0], [2, 2]);
    const report = await checkGradients((t) => exp(t), [x], { seed });
    // Only element 0 of exp(x) is weighted: the other three gradients are zero.
    expect(report.checked).toBe(4);
    expect(seed.isDisposed).toBe(false);
    await expect(checkGradients((t) => exp(t), [f32([1], [1])])).rejects.toThrow(
      /no input requires gradients/,
    );
  });

  it('disposes everything it creates', async () => {
    const b = cpuBackend();
    const x = requireGrad(tensor(b, new Float32Array([0.1, 0.2, 0.3]), [3]));
    const before = b.memoryInfo().liveBuffers;
    await checkGradients((t) => softmax(mul(t, t)), [x]);
    expect(b.memoryInfo().liveBuffers).toBe(before);
  });
});
