/**
 * Finite-difference gradient check for model-level tests: the method of `checkGradients` in
 * `@aaren/core/testing` (random projection of the output, central differences of f32 forwards accumulated
 * in float64). `@aaren/core/testing` does not export `checkGradients` yet; switch to it once it does.
 */
import { createRng, gradients, mul, noGrad, sum, type Tensor, tensor, tidy } from '@aaren/core';

/** Result of {@link gradcheck}. */
export interface GradcheckReport {
  /** Elements compared. */
  readonly checked: number;
  /** Elements out of tolerance. */
  readonly mismatches: number;
  /** Largest `|analytic − numeric|`. */
  readonly maxAbsError: number;
  /** Descriptions of the first mismatches. */
  readonly failures: string[];
}

/**
 * Compares `gradients(Σ fn(...inputs)·w, inputs)` with central differences for every element of every input
 * (inputs must require gradients and be contiguous f32 tensors; they are perturbed in a copy).
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: { eps?: number; rtol?: number; atol?: number; seed?: number } = {},
): GradcheckReport {
  const eps = options.eps ?? 1e-2;
  const rtol = options.rtol ?? 2e-2;
  const atol = options.atol ?? 2e-3;
  const backend = inputs[0]!.backend;
  const y0 = tidy(() => fn(...inputs));
  const rng = createRng(options.seed ?? 0x5eed);
  const w = new Float32Array(y0.size).map(() => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.1, 1));
  y0.dispose();
  const weights = tensor(backend, w, y0.shape);
  const analytic = tidy(() => gradients(sum(mul(fn(...inputs), weights)), inputs)).map(
    (g) => g?.dataSync() ?? null,
  );
  const evaluate = (args: Tensor[]): number =>
    noGrad(() =>
      tidy(() => {
        const y = fn(...args).dataSync();
        let acc = 0;
        for (let i = 0; i < y.length; i++) acc += y[i]! * w[i]!;
        return acc;
      }),
    );
  let checked = 0;
  let mismatches = 0;
  let maxAbsError = 0;
  const failures: string[] = [];
  inputs.forEach((input, k) => {
    const base = Float32Array.from(input.dataSync());
    const g = analytic[k];
    for (let i = 0; i < base.length; i++) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i] = Math.fround(base[i]! + eps);
      minus[i] = Math.fround(base[i]! - eps);
      const with_ = (data: Float32Array) =>
        inputs.map((t, j) => (j === k ? tensor(backend, data, t.shape) : t));
      const argsPlus = with_(plus);
      const argsMinus = with_(minus);
      const numeric = (evaluate(argsPlus) - evaluate(argsMinus)) / (plus[i]! - minus[i]!);
      argsPlus[k]!.dispose();
      argsMinus[k]!.dispose();
      const a = g ? g[i]! : 0;
      const err = Math.abs(a - numeric);
      maxAbsError = Math.max(maxAbsError, err);
      checked++;
      if (err > atol + rtol * Math.abs(numeric)) {
        mismatches++;
        if (failures.length < 5) failures.push(`input ${k} element ${i}: analytic ${a}, numeric ${numeric}`);
      }
    }
  });
  weights.dispose();
  return { checked, mismatches, maxAbsError, failures };
}
