/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019), with the semantics of
 * `torch.optim.AdamW`.
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors.js';
import { add, div, maximum, mul, sqrt, square, sub } from '../ops/elementwise.js';
import { materialize, type Tensor } from '../tensor.js';
import { assign } from './assign.js';
import { checkBoolean, checkNonNegative, type Hyperparameters, Optimizer } from './optimizer.js';

/** Options of {@link AdamW}; defaults as in `torch.optim.AdamW`. */
export interface AdamWOptions {
  /** Learning rate γ. Default `1e-3`. */
  readonly lr?: number;
  /** Decay rates (β₁, β₂) of the first and second moment estimates, each in `[0, 1)`. Default `[0.9, 0.999]`. */
  readonly betas?: readonly [number, number];
  /** ε added to the denominator. Default `1e-8`. */
  readonly eps?: number;
  /** Decoupled weight decay λ: `θ ← θ − γλθ` before the Adam update. Default `1e-2`. */
  readonly weightDecay?: number;
  /** Use the AMSGrad variant (running maximum of the second moment). Default `false`. */
  readonly amsgrad?: boolean;
}

/** Validated {@link AdamW} hyperparameters. @internal */
export interface AdamWConfig {
  /** β₁, decay rate of the first moment. */
  readonly beta1: number;
  /** β₂, decay rate of the second moment. */
  readonly beta2: number;
  /** ε added to the denominator. */
  readonly eps: number;
  /** Decoupled weight decay λ. */
  readonly weightDecay: number;
  /** Whether the AMSGrad variant is used. */
  readonly amsgrad: boolean;
}

function checkBeta(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new InvalidArgumentError(op, `${name} must be in [0, 1), got ${String(value)}`);
  }
  return value;
}

function adamwConfig(
  op: string,
  o: { beta1?: unknown; beta2?: unknown; eps?: unknown; weightDecay?: unknown; amsgrad?: unknown },
): AdamWConfig {
  return {
    beta1: checkBeta(op, 'beta1', o.beta1 ?? 0.9),
    beta2: checkBeta(op, 'beta2', o.beta2 ?? 0.999),
    eps: checkNonNegative(op, 'eps', o.eps ?? 1e-8),
    weightDecay: checkNonNegative(op, 'weightDecay', o.weightDecay ?? 1e-2),
    amsgrad: checkBoolean(op, 'amsgrad', o.amsgrad ?? false),
  };
}

/**
 * AdamW as `torch.optim.AdamW` (its documented algorithm). For each parameter θ with gradient g at its t-th
 * update (t counts the steps where its gradient was not `null`):
 * ```
 * θ ← θ − γλθ                                  (decoupled weight decay)
 * m ← β₁m + (1 − β₁)g                          ('exp_avg' state)
 * v ← β₂v + (1 − β₂)g²                         ('exp_avg_sq' state)
 * v̂max ← max(v̂max, v)                          (amsgrad only; 'max_exp_avg_sq' state)
 * θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)      (v → v̂max with amsgrad)
 * ```
 * The learning rate can change between steps ({@link Optimizer.setLearningRate}, or `step(grads, lr)`),
 * e.g. from {@link warmupCosine}.
 * @example
 * ```ts
 * const opt = new AdamW(params, { lr: 3e-4, weightDecay: 0.1 });
 * const schedule = warmupCosine({ warmupSteps: 100, totalSteps: 10_000, peakLr: 3e-4 });
 * for (let i = 0; i < 10_000; i++) {
 *   tidy(() => opt.step(gradients(loss(), params), schedule(opt.stepCount)));
 * }
 * ```
 */
export class AdamW extends Optimizer<AdamWConfig> {
  /** Class name stored in state dicts. */
  readonly name = 'AdamW';

  /**
   * @param params - Parameters to optimise (f32, distinct).
   * @throws {@link InvalidArgumentError} for out-of-range hyperparameters.
   */
  constructor(params: readonly Tensor[], options: AdamWOptions = {}) {
    const betas = options.betas ?? [0.9, 0.999];
    super(
      params,
      options.lr ?? 1e-3,
      adamwConfig('AdamW', { ...options, beta1: betas[0], beta2: betas[1] }),
      'AdamW',
    );
  }

  /** The hyperparameters other than the learning rate. */
  get options(): Readonly<AdamWConfig> {
    return { ...this.config };
  }

  protected updateParameter(index: number, param: Tensor, grad: Tensor, step: number): void {
    const { beta1, beta2, eps, weightDecay, amsgrad } = this.config;
    const lr = this.learningRate;
    const decayed = weightDecay !== 0 ? mul(param, 1 - lr * weightDecay) : param;
    const mPrev = this.getSlot(index, 'exp_avg');
    const vPrev = this.getSlot(index, 'exp_avg_sq');
    const m = mPrev ? add(mul(mPrev, beta1), mul(grad, 1 - beta1)) : mul(grad, 1 - beta1);
    const v = vPrev ? add(mul(vPrev, beta2), mul(square(grad), 1 - beta2)) : mul(square(grad), 1 - beta2);
    let second = v;
    if (amsgrad) {
      const maxPrev = this.getSlot(index, 'max_exp_avg_sq');
      second = maxPrev ? maximum(maxPrev, v) : materialize(v);
      this.setSlot(index, 'max_exp_avg_sq', second);
    }
    this.setSlot(index, 'exp_avg', m);
    this.setSlot(index, 'exp_avg_sq', v);
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const stepSize = lr / biasCorrection1;
    const denom = add(div(sqrt(second), Math.sqrt(biasCorrection2)), eps);
    assign(param, sub(decayed, mul(div(m, denom), stepSize)));
  }

  protected configRecord(): Hyperparameters {
    return { ...this.config };
  }

  protected parseConfig(record: Hyperparameters): AdamWConfig {
    return adamwConfig('AdamW.loadStateDict', record);
  }

  protected slotNames(config: AdamWConfig, paramStep: number): readonly string[] {
    if (paramStep === 0) return [];
    return config.amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq'];
  }
}
