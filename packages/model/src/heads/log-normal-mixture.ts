/**
 * The log-normal mixture distribution of inter-event times (Shchur et al., ICLR 2020, "Intensity-free
 * learning of temporal point processes"), as used for Aaren's event forecasting experiments.
 * @packageDocumentation
 */
import {
  add,
  div,
  exp,
  expandDims,
  log,
  logSoftmax,
  logSumExp,
  mul,
  neg,
  square,
  sub,
  sum,
  type Tensor,
} from '@aaren/core';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Parameters of a mixture of `M` log-normals, `[..., M]` each. */
export interface LogNormalMixture {
  /** Unnormalised mixture weights (logits): `π = softmax(logits)`. */
  readonly logits: Tensor;
  /** Means `μ_m` of `log τ`. */
  readonly means: Tensor;
  /** `log σ_m`, log standard deviations of `log τ`. */
  readonly logScales: Tensor;
}

/**
 * `log p(τ)` for `τ > 0` under the mixture, `[...]`:
 * `log p(τ) = logsumexp_m( log π_m − log σ_m − ½ log 2π − (log τ − μ_m)² / (2σ_m²) ) − log τ`.
 * Differentiable in the mixture parameters.
 * @param tau - inter-event times `[...]`, positive
 */
export function logNormalMixtureLogProb(mixture: LogNormalMixture, tau: Tensor): Tensor {
  const logTau = log(tau);
  const x = expandDims(logTau, -1);
  const z = div(sub(x, mixture.means), exp(mixture.logScales));
  const perComponent = sub(
    sub(logSoftmax(mixture.logits, -1), mixture.logScales),
    add(mul(square(z), 0.5), HALF_LOG_2PI),
  );
  return sub(logSumExp(perComponent, -1), logTau);
}

/** Mean inter-event time `E[τ] = Σ_m π_m · exp(μ_m + σ_m²/2)`, `[...]`. */
export function logNormalMixtureMean(mixture: LogNormalMixture): Tensor {
  const logPi = logSoftmax(mixture.logits, -1);
  const half = mul(exp(mul(mixture.logScales, 2)), 0.5);
  return sum(exp(add(logPi, add(mixture.means, half))), -1);
}

/** Negative log-likelihood `−log p(τ)` (see {@link logNormalMixtureLogProb}). */
export function logNormalMixtureNll(mixture: LogNormalMixture, tau: Tensor): Tensor {
  return neg(logNormalMixtureLogProb(mixture, tau));
}
