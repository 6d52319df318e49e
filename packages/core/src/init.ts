/**
 * Parameter initialisers, following `torch.nn.init`. Each factory (`xavierUniform()`, `kaimingNormal()`,
 * ...) returns an {@link Initializer}: a function `(backend, shape, rng) => Tensor` that makes a new f32
 * tensor. Initialisers draw from the {@link Rng} passed in, so a seeded generator gives the same weights on
 * every backend. They do not mark tensors as trainable: call `requireGrad` on the result.
 *
 * Fans ({@link computeFans}) follow PyTorch's `_calculate_fan_in_and_fan_out` for weights stored
 * `[out, in, ...kernel]`: a linear weight `[out, in]` has `fanIn = in`, `fanOut = out`; a convolution
 * weight `[out, in, k1, k2, ...]` has `fanIn = in·k1·k2·…` and `fanOut = out·k1·k2·…`.
 * @packageDocumentation
 */
import type { Backend } from './backend.js';
import { InvalidArgumentError } from './errors.js';
import { full } from './ops/creation.js';
import { type Rng, randomNormal, randomUniform, truncatedNormal } from './random.js';
import { assertValidShape, type Shape, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** Makes a new f32 tensor of `shape` on `backend`, drawing any randomness from `rng`. */
export type Initializer = (backend: Backend, shape: Shape, rng: Rng) => Tensor;

/**
 * Activation functions known to {@link calculateGain} (PyTorch's `calculate_gain` names, camel-cased:
 * `'leakyRelu'` is `'leaky_relu'`; `'linear'` also stands for the convolutions and the identity).
 */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/**
 * The recommended gain for an activation, as PyTorch's `nn.init.calculate_gain`: 1 for `linear` and
 * `sigmoid`, 5/3 for `tanh`, √2 for `relu`, √(2/(1 + slope²)) for `leakyRelu` (`param` is the negative
 * slope, default 0.01), 3/4 for `selu`.
 * @throws {@link InvalidArgumentError} for an unknown name or a non-finite slope.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) {
        throw new InvalidArgumentError('calculateGain', `negative slope must be finite, got ${slope}`);
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new InvalidArgumentError('calculateGain', `unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

/** Fan-in and fan-out of a weight shape; see {@link computeFans}. */
export interface Fans {
  /** Inputs feeding each output unit: `shape[1] · ∏ shape[2:]`. */
  readonly fanIn: number;
  /** Outputs fed by each input unit: `shape[0] · ∏ shape[2:]`. */
  readonly fanOut: number;
}

/**
 * Fans of a weight of `shape` laid out `[out, in, ...receptiveField]` (PyTorch's convention for
 * `nn.Linear` and `nn.ConvNd`): `fanIn = shape[1]·r`, `fanOut = shape[0]·r` with `r = ∏ shape[2:]`.
 * @throws {@link InvalidArgumentError} for shapes of rank below 2, which have no defined fans.
 */
export function computeFans(shape: Shape): Fans {
  assertValidShape('computeFans', shape);
  if (shape.length < 2) {
    throw new InvalidArgumentError(
      'computeFans',
      `fan in and fan out need a shape of rank ≥ 2, got [${shape.join(', ')}]`,
    );
  }
  const receptive = sizeOf(shape.slice(2));
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

function checkPositive(op: string, name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InvalidArgumentError(op, `${name} must be a positive finite number, got ${value}`);
  }
}

function checkFiniteArg(op: string, name: string, value: number): void {
  if (!Number.isFinite(value)) throw new InvalidArgumentError(op, `${name} must be finite, got ${value}`);
}

/** Uniform in `[−bound, bound)`; an empty shape gives an empty tensor (no fans needed). */
function symmetricUniform(backend: Backend, shape: Shape, rng: Rng, bound: number): Tensor {
  if (bound === 0) return full(backend, shape, 0);
  return randomUniform(backend, shape, rng, -bound, bound);
}

/** An initialiser of zeros (ignores the generator). */
export function zerosInit(): Initializer {
  return (backend, shape) => full(backend, shape, 0);
}

/** An initialiser of ones (ignores the generator). */
export function onesInit(): Initializer {
  return (backend, shape) => full(backend, shape, 1);
}

/** An initialiser filling every element with `value` (PyTorch `constant_`). */
export function constantInit(value: number): Initializer {
  checkFiniteArg('constantInit', 'value', value);
  return (backend, shape) => full(backend, shape, value);
}

/** Uniform in `[lo, hi)` (PyTorch `uniform_`; defaults `[0, 1)`). */
export function uniformInit(lo = 0, hi = 1): Initializer {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new InvalidArgumentError('uniformInit', `need finite lo < hi, got [${lo}, ${hi})`);
  }
  return (backend, shape, rng) => randomUniform(backend, shape, rng, lo, hi);
}

/** Normal N(mean, std²) (PyTorch `normal_`; e.g. `normalInit(0.02)` for GPT-2-style weights). */
export function normalInit(std = 1, mean = 0): Initializer {
  checkPositive('normalInit', 'std', std);
  checkFiniteArg('normalInit', 'mean', mean);
  return (backend, shape, rng) => randomNormal(backend, shape, rng, mean, std);
}

/**
 * Truncated normal N(mean, std²) restricted to `[a, b]`, by default `mean ± 2·std` (see
 * {@link truncatedNormal} for the method and how the default differs from PyTorch's absolute `±2`).
 */
export function truncatedNormalInit(std = 1, mean = 0, a?: number, b?: number): Initializer {
  checkPositive('truncatedNormalInit', 'std', std);
  checkFiniteArg('truncatedNormalInit', 'mean', mean);
  const lo = a ?? mean - 2 * std;
  const hi = b ?? mean + 2 * std;
  if (!(lo < hi)) throw new InvalidArgumentError('truncatedNormalInit', `a (${lo}) must be below b (${hi})`);
  return (backend, shape, rng) => truncatedNormal(backend, shape, rng, mean, std, lo, hi);
}

/**
 * Glorot/Xavier uniform (PyTorch `xavier_uniform_`): U(−c, c) with `c = gain·√(6/(fanIn + fanOut))`, i.e.
 * variance `gain²·2/(fanIn + fanOut)`. Needs a shape of rank ≥ 2 ({@link computeFans}).
 */
export function xavierUniform(gain = 1): Initializer {
  checkPositive('xavierUniform', 'gain', gain);
  return (backend, shape, rng) => {
    if (sizeOf(shape) === 0) return full(backend, shape, 0);
    const { fanIn, fanOut } = computeFans(shape);
    const std = gain * Math.sqrt(2 / (fanIn + fanOut));
    return symmetricUniform(backend, shape, rng, Math.sqrt(3) * std);
  };
}

/**
 * Glorot/Xavier normal (PyTorch `xavier_normal_`): N(0, std²) with `std = gain·√(2/(fanIn + fanOut))`.
 * Needs a shape of rank ≥ 2.
 */
export function xavierNormal(gain = 1): Initializer {
  checkPositive('xavierNormal', 'gain', gain);
  return (backend, shape, rng) => {
    if (sizeOf(shape) === 0) return full(backend, shape, 0);
    const { fanIn, fanOut } = computeFans(shape);
    return randomNormal(backend, shape, rng, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
  };
}

/** Options of {@link kaimingUniform} and {@link kaimingNormal} (PyTorch's arguments and defaults). */
export interface KaimingOptions {
  /** Negative slope of the rectifier that follows (used with `'leakyRelu'`). Default 0. */
  readonly a?: number;
  /** `'fanIn'` (default) preserves the forward activations' variance, `'fanOut'` the backward gradients'. */
  readonly mode?: 'fanIn' | 'fanOut';
  /** Activation that follows, for {@link calculateGain}. Default `'leakyRelu'` (with `a = 0`: gain √2). */
  readonly nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, shape: Shape, options: KaimingOptions): number {
  const fans = computeFans(shape);
  const fan = (options.mode ?? 'fanIn') === 'fanIn' ? fans.fanIn : fans.fanOut;
  const gain = calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0);
  if (fan === 0) throw new InvalidArgumentError(op, `fan is 0 for shape [${shape.join(', ')}]`);
  return gain / Math.sqrt(fan);
}

function checkKaiming(op: string, options: KaimingOptions): void {
  const mode = options.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') {
    throw new InvalidArgumentError(op, `mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  }
  calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0);
}

/**
 * He/Kaiming uniform (PyTorch `kaiming_uniform_`): U(−bound, bound) with `bound = √3·gain/√fan`, the gain
 * from {@link calculateGain}`(nonlinearity, a)` and the fan chosen by `mode`. Needs a shape of rank ≥ 2.
 */
export function kaimingUniform(options: KaimingOptions = {}): Initializer {
  checkKaiming('kaimingUniform', options);
  return (backend, shape, rng) => {
    if (sizeOf(shape) === 0) return full(backend, shape, 0);
    return symmetricUniform(backend, shape, rng, Math.sqrt(3) * kaimingStd('kaimingUniform', shape, options));
  };
}

/**
 * He/Kaiming normal (PyTorch `kaiming_normal_`): N(0, std²) with `std = gain/√fan`. Needs a shape of
 * rank ≥ 2.
 */
export function kaimingNormal(options: KaimingOptions = {}): Initializer {
  checkKaiming('kaimingNormal', options);
  return (backend, shape, rng) => {
    if (sizeOf(shape) === 0) return full(backend, shape, 0);
    return randomNormal(backend, shape, rng, 0, kaimingStd('kaimingNormal', shape, options));
  };
}

/** Parameters of a linear layer `y = x·Wᵀ + b`, as made by {@link linearInit}. */
export interface LinearParameters {
  /** Weight `[outFeatures, inFeatures]` (PyTorch layout). */
  readonly weight: Tensor;
  /** Bias `[outFeatures]`. */
  readonly bias: Tensor;
}

/**
 * Weights of a linear layer initialised exactly as PyTorch's `nn.Linear.reset_parameters`: the weight by
 * `kaiming_uniform_(a = √5)`, which works out to U(−1/√in, 1/√in), then the bias from the same
 * U(−1/√in, 1/√in). The weight is drawn first, then the bias (row-major), from `rng`.
 * @throws {@link InvalidArgumentError} unless both sizes are positive integers.
 */
export function linearInit(
  backend: Backend,
  rng: Rng,
  outFeatures: number,
  inFeatures: number,
): LinearParameters {
  for (const [name, v] of [
    ['outFeatures', outFeatures],
    ['inFeatures', inFeatures],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new InvalidArgumentError('linearInit', `${name} must be a positive integer, got ${v}`);
    }
  }
  const weight = kaimingUniform({ a: Math.sqrt(5), nonlinearity: 'leakyRelu' })(
    backend,
    [outFeatures, inFeatures],
    rng,
  );
  const bound = 1 / Math.sqrt(inFeatures);
  const bias = randomUniform(backend, [outFeatures], rng, -bound, bound);
  return { weight, bias };
}
