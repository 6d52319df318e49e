import { describe, expect, it } from 'vitest';
import { cpuBackend } from './cpu/index.js';
import { InvalidArgumentError } from './errors.js';
import {
  calculateGain,
  computeFans,
  constantInit,
  kaimingNormal,
  kaimingUniform,
  linearInit,
  normalInit,
  onesInit,
  truncatedNormalInit,
  uniformInit,
  xavierNormal,
  xavierUniform,
  zerosInit,
} from './init.js';
import { createRng } from './random.js';

const backend = cpuBackend();

function stats(d: ArrayLike<number>): { mean: number; variance: number; maxAbs: number } {
  let s = 0;
  let maxAbs = 0;
  for (let i = 0; i < d.length; i++) {
    s += d[i]!;
    maxAbs = Math.max(maxAbs, Math.abs(d[i]!));
  }
  const mean = s / d.length;
  let v = 0;
  for (let i = 0; i < d.length; i++) v += (d[i]! - mean) ** 2;
  return { mean, variance: v / d.length, maxAbs };
}

describe('calculateGain and computeFans', () => {
  it('matches torch.nn.init.calculate_gain', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(calculateGain('selu')).toBe(0.75);
    expect(() => calculateGain('swish' as never)).toThrow(InvalidArgumentError);
  });

  it('computes fans for linear [out, in] and conv [out, in, k...] shapes', () => {
    expect(computeFans([3, 5])).toEqual({ fanIn: 5, fanOut: 3 });
    expect(computeFans([16, 8, 3, 3])).toEqual({ fanIn: 72, fanOut: 144 });
    expect(computeFans([4, 2, 7])).toEqual({ fanIn: 14, fanOut: 28 });
    expect(() => computeFans([5])).toThrow(InvalidArgumentError);
    expect(() => computeFans([])).toThrow(InvalidArgumentError);
  });
});

describe('initialisers', () => {
  it('constant initialisers', () => {
    expect(Array.from(zerosInit()(backend, [2, 2], createRng(0)).dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(onesInit()(backend, [3], createRng(0)).dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(constantInit(0.5)(backend, [2], createRng(0)).dataSync())).toEqual([0.5, 0.5]);
  });

  it('uniformInit, normalInit and truncatedNormalInit', () => {
    const u = uniformInit(-0.1, 0.3)(backend, [50_000], createRng(1)).dataSync();
    expect(u.every((x) => x >= -0.1 && x < 0.3)).toBe(true);
    expect(Math.abs(stats(u).mean - 0.1)).toBeLessThan(0.002);
    const n = normalInit(0.02)(backend, [100_000], createRng(2));
    expect(n.dtype).toBe('f32');
    const s = stats(n.dataSync());
    expect(Math.abs(s.mean)).toBeLessThan(0.0004);
    expect(Math.abs(Math.sqrt(s.variance) / 0.02 - 1)).toBeLessThan(0.01);
    const t = truncatedNormalInit(0.02)(backend, [10_000], createRng(3)).dataSync();
    expect(stats(t).maxAbs).toBeLessThanOrEqual(Math.fround(0.04));
    expect(() => normalInit(-1)).toThrow(InvalidArgumentError);
  });

  it('xavierUniform: bound gain·√(6/(fanIn+fanOut)) and variance gain²·2/(fanIn+fanOut)', () => {
    const shape = [256, 512];
    const gain = calculateGain('tanh');
    const d = xavierUniform(gain)(backend, shape, createRng(4)).dataSync();
    const bound = gain * Math.sqrt(6 / (256 + 512));
    const s = stats(d);
    expect(s.maxAbs).toBeLessThanOrEqual(bound);
    expect(s.maxAbs).toBeGreaterThan(0.99 * bound);
    // Relative SE of the variance of a uniform sample: √(0.8/n) ≈ 0.25%.
    expect(Math.abs(s.variance / ((gain * gain * 2) / (256 + 512)) - 1)).toBeLessThan(0.015);
  });

  it('xavierNormal: std gain·√(2/(fanIn+fanOut)) on a conv shape', () => {
    const shape = [64, 32, 3, 3];
    const d = xavierNormal()(backend, shape, createRng(5)).dataSync();
    const std = Math.sqrt(2 / (32 * 9 + 64 * 9));
    const s = stats(d);
    expect(Math.abs(s.mean)).toBeLessThan((5 * std) / Math.sqrt(d.length));
    // Relative SE of a normal sample variance: √(2/n) ≈ 0.33%.
    expect(Math.abs(s.variance / (std * std) - 1)).toBeLessThan(0.02);
  });

  it('kaimingUniform: default (leaky relu, a = 0) uses gain √2 on fan_in; fanOut mode', () => {
    const shape = [300, 400];
    const d = kaimingUniform()(backend, shape, createRng(6)).dataSync();
    const bound = Math.sqrt(3) * (Math.SQRT2 / Math.sqrt(400));
    const s = stats(d);
    expect(s.maxAbs).toBeLessThanOrEqual(bound);
    expect(Math.abs(s.variance / ((bound * bound) / 3) - 1)).toBeLessThan(0.015);
    const out = kaimingUniform({ mode: 'fanOut', nonlinearity: 'relu' })(
      backend,
      shape,
      createRng(6),
    ).dataSync();
    expect(stats(out).maxAbs).toBeLessThanOrEqual(Math.sqrt(3) * (Math.SQRT2 / Math.sqrt(300)));
    expect(stats(out).maxAbs).toBeGreaterThan(0.99 * Math.sqrt(3) * (Math.SQRT2 / Math.sqrt(300)));
    expect(() => kaimingUniform({ mode: 'fan_in' as never })).toThrow(InvalidArgumentError);
  });

  it('kaimingNormal: std gain/√fan', () => {
    const d = kaimingNormal({ nonlinearity: 'relu' })(backend, [128, 64, 5], createRng(7)).dataSync();
    const std = Math.SQRT2 / Math.sqrt(64 * 5);
    expect(Math.abs(stats(d).variance / (std * std) - 1)).toBeLessThan(0.02);
  });

  it('fan-based initialisers reject rank-1 shapes and accept empty ones', () => {
    expect(() => xavierUniform()(backend, [10], createRng(0))).toThrow(InvalidArgumentError);
    expect(() => kaimingNormal()(backend, [10], createRng(0))).toThrow(InvalidArgumentError);
    expect(kaimingUniform()(backend, [0, 4], createRng(0)).size).toBe(0);
  });

  it('is reproducible from the seed', () => {
    const a = xavierUniform()(backend, [8, 8], createRng(9)).dataSync();
    const b = xavierUniform()(backend, [8, 8], createRng(9)).dataSync();
    expect(b).toEqual(a);
  });
});

describe('linearInit', () => {
  it('matches nn.Linear: weight and bias in U(−1/√in, 1/√in)', () => {
    const rng = createRng(10);
    const { weight, bias } = linearInit(backend, rng, 200, 300);
    expect(weight.shape).toEqual([200, 300]);
    expect(bias.shape).toEqual([200]);
    const bound = 1 / Math.sqrt(300);
    const w = stats(weight.dataSync());
    const b = stats(bias.dataSync());
    expect(w.maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-12));
    expect(w.maxAbs).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(w.variance / ((bound * bound) / 3) - 1)).toBeLessThan(0.015);
    expect(b.maxAbs).toBeLessThanOrEqual(bound);
    // Weight drawn first (60000 draws), then the bias from the same stream.
    const ref = createRng(10);
    for (let i = 0; i < 200 * 300; i++) ref.nextUint32();
    const firstBias = Math.fround(-bound + 2 * bound * ref.next());
    expect(bias.dataSync()[0]).toBe(firstBias);
    expect(() => linearInit(backend, rng, 0, 3)).toThrow(InvalidArgumentError);
  });
});
