/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay, with the
 * semantics of `torch.optim.SGD`.
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors.js';
import { add, mul, sub } from '../ops/elementwise.js';
import { materialize, type Tensor } from '../tensor.js';
import { assign } from './assign.js';
import { checkBoolean, checkNonNegative, type Hyperparameters, Optimizer } from './optimizer.js';

/** Options of {@link SGD}; defaults as in `torch.optim.SGD`. */
export interface SGDOptions {
  /** Learning rate γ. Default `1e-3`. */
  readonly lr?: number;
  /** Momentum factor μ. Default 0 (plain SGD, no state). */
  readonly momentum?: number;
  /** Dampening τ of the momentum: `b ← μ·b + (1 − τ)·g`. Default 0. */
  readonly dampening?: number;
  /** Use Nesterov momentum (needs `momentum > 0` and `dampening = 0`). Default `false`. */
  readonly nesterov?: boolean;
  /** L2 penalty λ added to the gradient: `g ← g + λ·θ`. Default 0. */
  readonly weightDecay?: number;
}

/** Validated {@link SGD} hyperparameters. @internal */
export interface SGDConfig {
  /** Momentum factor μ. */
  readonly momentum: number;
  /** Dampening τ. */
  readonly dampening: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;
  /** L2 penalty λ. */
  readonly weightDecay: number;
}

function sgdConfig(
  op: string,
  o: { momentum?: unknown; dampening?: unknown; nesterov?: unknown; weightDecay?: unknown },
): SGDConfig {
  const config: SGDConfig = {
    momentum: checkNonNegative(op, 'momentum', o.momentum ?? 0),
    dampening: checkNonNegative(op, 'dampening', o.dampening ?? 0),
    nesterov: checkBoolean(op, 'nesterov', o.nesterov ?? false),
    weightDecay: checkNonNegative(op, 'weightDecay', o.weightDecay ?? 0),
  };
  if (config.nesterov && (config.momentum <= 0 || config.dampening !== 0)) {
    throw new InvalidArgumentError(op, 'Nesterov momentum requires momentum > 0 and dampening = 0');
  }
  return config;
}

/**
 * SGD as `torch.optim.SGD` (its documented algorithm): for each parameter θ with gradient g at its t-th
 * update,
 * ```
 * g ← g + λθ                                 (λ = weightDecay ≠ 0)
 * b ← g  if t = 1,  else  μ·b + (1 − τ)·g    (μ = momentum ≠ 0; b is the 'momentum_buffer' state)
 * g ← g + μ·b  (nesterov)  or  g ← b
 * θ ← θ − γ·g
 * ```
 * @example
 * ```ts
 * const opt = new SGD([w, b], { lr: 0.1, momentum: 0.9 });
 * tidy(() => opt.step(gradients(loss(), [w, b])));
 * ```
 */
export class SGD extends Optimizer<SGDConfig> {
  /** Class name stored in state dicts. */
  readonly name = 'SGD';

  /**
   * @param params - Parameters to optimise (f32, distinct).
   * @throws {@link InvalidArgumentError} for negative or non-finite values, or Nesterov without momentum.
   */
  constructor(params: readonly Tensor[], options: SGDOptions = {}) {
    super(params, options.lr ?? 1e-3, sgdConfig('SGD', options), 'SGD');
  }

  /** The hyperparameters other than the learning rate. */
  get options(): Readonly<SGDConfig> {
    return { ...this.config };
  }

  protected updateParameter(index: number, param: Tensor, grad: Tensor): void {
    const { momentum, dampening, nesterov, weightDecay } = this.config;
    let d = grad;
    if (weightDecay !== 0) d = add(d, mul(param, weightDecay));
    if (momentum !== 0) {
      const prev = this.getSlot(index, 'momentum_buffer');
      // First update: b = g (a copy: the gradient belongs to the caller).
      const buf = prev ? add(mul(prev, momentum), mul(d, 1 - dampening)) : d === grad ? materialize(d) : d;
      this.setSlot(index, 'momentum_buffer', buf);
      d = nesterov ? add(d, mul(buf, momentum)) : buf;
    }
    assign(param, sub(param, mul(d, this.learningRate)));
  }

  protected configRecord(): Hyperparameters {
    return { ...this.config };
  }

  protected parseConfig(record: Hyperparameters): SGDConfig {
    return sgdConfig('SGD.loadStateDict', record);
  }

  protected slotNames(config: SGDConfig, paramStep: number): readonly string[] {
    return config.momentum !== 0 && paramStep > 0 ? ['momentum_buffer'] : [];
  }
}
