/**
 * A finite-difference gradient checker for differentiable ops: compares the gradients computed by
 * reverse-mode autograd ({@link gradients}) with central differences of the forward pass.
 * @packageDocumentation
 */
import { gradients } from '../autograd.js';
import { tensor } from '../ops/creation.js';
import { mul } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { shapesEqual } from '../shape.js';
import { type Tensor, tidy } from '../tensor.js';
import { unravelIndex } from './all-close.js';
import { createTestRng } from './test-rng.js';

/** Options of {@link checkGradients}. */
export interface GradientCheckOptions {
  /**
   * Half-width of the central difference `(f(x + eps) − f(x − eps)) / 2eps`. Default `1e-2`.
   * In f32 the rounding error of the difference quotient grows like `ulp(f)/eps` while the truncation error
   * shrinks like `eps²·f'''/6`; `1e-2` balances the two for values of order 1 (see {@link checkGradients}).
   */
  readonly eps?: number;
  /** Relative tolerance, scaled by `|numeric|`. Default `2e-2`. */
  readonly rtol?: number;
  /** Absolute tolerance. Default `2e-3`. */
  readonly atol?: number;
  /**
   * Weights `w` of the projection `L = Σ fn(...inputs) · w` (the output's shape, f32). Defaults to values
   * drawn uniformly from `[−1, −0.1] ∪ [0.1, 1]` by a generator seeded with {@link GradientCheckOptions.rngSeed},
   * so every output element contributes to the checked gradient with a distinct weight.
   */
  readonly seed?: Tensor;
  /** Seed of the generator of the default projection weights. Default `0x5eed`. */
  readonly rngSeed?: number;
}

/** The element where analytic and numeric gradients disagree most, relative to the tolerance. */
export interface GradientCheckWorst {
  /** Position of the input in the `inputs` array. */
  readonly input: number;
  /** Flat (row-major) index of the element within that input. */
  readonly index: number;
  /** The same index as a multi-index into the input's shape. */
  readonly multiIndex: readonly number[];
  /** Gradient from autograd. */
  readonly analytic: number;
  /** Central finite difference. */
  readonly numeric: number;
  /** `|analytic − numeric| / (atol + rtol·|numeric|)`: above 1 is a mismatch. */
  readonly ratio: number;
}

/** What {@link checkGradients} measured. */
export interface GradientCheckReport {
  /** Number of input elements whose gradient was checked. */
  readonly checked: number;
  /** Largest `|analytic − numeric|`. */
  readonly maxAbsError: number;
  /** Largest `|analytic − numeric| / |numeric|` over elements with `|numeric| > atol`. */
  readonly maxRelError: number;
  /** The element closest to (or furthest beyond) the tolerance; `null` when nothing was checked. */
  readonly worst: GradientCheckWorst | null;
  /** Number of elements out of tolerance (0 when the check passed; otherwise an error is thrown). */
  readonly mismatches: number;
}

function describe(t: Tensor): string {
  return `[${t.shape.join(', ')}]`;
}

function projected(y: Float32Array | Int32Array, w: Float32Array): number {
  let acc = 0;
  for (let k = 0; k < y.length; k++) acc += y[k]! * w[k]!;
  return acc;
}

function defaultWeights(n: number, seed: number): Float32Array {
  const rng = createTestRng(seed);
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const m = rng.uniform(0.1, 1);
    w[i] = rng.bool() ? m : -m;
  }
  return w;
}

function formatNumber(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(6) : String(x);
}

/**
 * Checks the gradients of `fn` at `inputs` against central finite differences and returns what it
 * measured; throws an `Error` naming the input, element, both values and the tolerance on any mismatch.
 *
 * Method: the output `y = fn(...inputs)` is projected to the scalar `L = Σ y · w` with fixed random weights
 * `w` (so non-scalar outputs are covered: `∂L/∂x = Σ_k w_k ∂y_k/∂x`), and `gradients(L, inputs)` is compared,
 * element by element, with `(L(x + eps·e_i) − L(x − eps·e_i)) / (x_i⁺ − x_i⁻)`, where each perturbed input is
 * a fresh contiguous tensor (which also requires gradients, so `fn` may call `gradients` itself: pass
 * `x => gradients(f(x), [x], { createGraph: true })[0]` to check second derivatives), and `L` is accumulated
 * in float64 from the read-back f32 data. The denominator is the perturbation actually representable in
 * f32. Element i passes when `|analytic − numeric| ≤ atol + rtol·|numeric|`. The inputs must be distinct
 * tensors (pass `x` once and use it twice inside `fn`).
 *
 * Only inputs with `requiresGrad` are checked; every other input must get `null` from `gradients` (a
 * non-`null` gradient for it is reported as an error). i32 inputs (indices, labels) are passed through.
 *
 * Tolerances: f32 outputs carry a relative rounding error of about `6e-8` per element (a few ulps for
 * composite ops), so the difference quotient carries an absolute error of roughly `1e-7·|y|/eps` per
 * affected output element (`≈1e-5·|y|` at the default `eps = 1e-2`), and the truncation error of the
 * central difference is `eps²·|f'''|/6 ≈ 2e-5·|f'''|`. The defaults `rtol = 2e-2`, `atol = 2e-3` leave a
 * margin of about 100× over both for inputs and outputs of order 1–10 with moderate curvature, while
 * still catching every wrong factor, sign, missing term or transposed index (errors of order 1). Measured
 * on the CPU backend over the ~200 checks of core's op tests: the worst element used 3% of this tolerance
 * (largest relative error 8e-4, largest absolute error 1e-3, both mostly truncation error). Keep
 * inputs at least `2·eps` away from kinks (relu and abs at 0, ties of max/min) and poles (log, 1/x at 0).
 * Outputs of order 100 or more, or sharply curved functions, need a larger `atol`/smaller `eps`.
 *
 * @param fn the function to check; it must be deterministic and return an f32 tensor.
 * @param inputs its arguments; set `requiresGrad` (with `requireGrad`) on those to differentiate.
 * @returns the report; every tensor it created is disposed.
 * @throws Error when an analytic gradient is out of tolerance, when an input that does not require
 *   gradients receives one, or when no input requires gradients.
 * @example
 * ```ts
 * const x = requireGrad(tensor(cpu, [0.5, 1.5, 2]));
 * await checkGradients((t) => mul(t, exp(t)), [x]);
 * ```
 */
export async function checkGradients(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradientCheckOptions = {},
): Promise<GradientCheckReport> {
  const eps = options.eps ?? 1e-2;
  const rtol = options.rtol ?? 2e-2;
  const atol = options.atol ?? 2e-3;
  if (new Set(inputs).size !== inputs.length) {
    throw new Error('checkGradients: the same tensor is passed twice; pass it once and reuse it inside fn');
  }
  if (!inputs.some((t) => t.requiresGrad)) {
    throw new Error('checkGradients: no input requires gradients; call requireGrad() on the inputs to check');
  }

  // Analytic gradients of the projection.
  const analytic = tidy(() => {
    const y = fn(...inputs);
    if (y.dtype !== 'f32') throw new Error(`checkGradients: fn returned ${y}, expected an f32 tensor`);
    let w: Tensor;
    if (options.seed) {
      if (!shapesEqual(options.seed.shape, y.shape)) {
        throw new Error(
          `checkGradients: seed shape ${describe(options.seed)} differs from the output shape ${describe(y)}`,
        );
      }
      w = options.seed;
    } else {
      w = tensor(y.backend, defaultWeights(y.size, options.rngSeed ?? 0x5eed), y.shape, 'f32');
    }
    const loss = sum(mul(y, w));
    // The caller's seed is not returned from tidy (it belongs to the caller's scope).
    return { w: w === options.seed ? null : w, grads: gradients(loss, inputs) };
  });
  let weights: Float32Array;
  const grads: (Float32Array | null)[] = [];
  try {
    weights = Float32Array.from(await (analytic.w ?? options.seed!).data());
    for (let i = 0; i < inputs.length; i++) {
      const g = analytic.grads[i] ?? null;
      const input = inputs[i]!;
      if (!input.requiresGrad) {
        if (g !== null) {
          throw new Error(
            `checkGradients: input ${i} (shape ${describe(input)}) does not require gradients but received one`,
          );
        }
        grads.push(null);
        continue;
      }
      if (g !== null && !shapesEqual(g.shape, input.shape)) {
        throw new Error(
          `checkGradients: gradient of input ${i} has shape ${describe(g)}, expected ${describe(input)}`,
        );
      }
      grads.push(g === null ? new Float32Array(input.size) : Float32Array.from(await g.data()));
    }
  } finally {
    analytic.w?.dispose();
    for (const g of analytic.grads) g?.dispose();
  }

  // Numeric gradients by central differences.
  const evaluate = async (args: Tensor[]): Promise<number> => {
    const y = tidy(() => fn(...args));
    try {
      return projected(await y.data(), weights);
    } finally {
      if (!args.includes(y) && !inputs.includes(y)) y.dispose();
    }
  };
  let checked = 0;
  let mismatches = 0;
  let maxAbsError = 0;
  let maxRelError = 0;
  let worst: GradientCheckWorst | null = null;
  let firstFailure: GradientCheckWorst | null = null;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const g = grads[i];
    if (!g) continue;
    const base = Float32Array.from(await input.data());
    for (let j = 0; j < base.length; j++) {
      const x0 = base[j]!;
      const values: number[] = [];
      const points = [Math.fround(x0 + eps), Math.fround(x0 - eps)];
      for (const v of points) {
        const data = Float32Array.from(base);
        data[j] = v;
        const perturbed = tensor(input.backend, data, input.shape, 'f32');
        // Keep requiresGrad so that `fn` may itself call gradients() (checks of second derivatives).
        perturbed.requiresGrad = true;
        try {
          values.push(await evaluate(inputs.map((t, k) => (k === i ? perturbed : t))));
        } finally {
          perturbed.dispose();
        }
      }
      const numeric = (values[0]! - values[1]!) / (points[0]! - points[1]!);
      const a = g[j]!;
      const abs = Math.abs(a - numeric);
      const tol = atol + rtol * Math.abs(numeric);
      const ratio = Number.isNaN(abs) ? Number.POSITIVE_INFINITY : abs / tol;
      checked++;
      if (abs > maxAbsError || Number.isNaN(abs)) maxAbsError = Number.isNaN(abs) ? Number.NaN : abs;
      if (Math.abs(numeric) > atol && abs / Math.abs(numeric) > maxRelError)
        maxRelError = abs / Math.abs(numeric);
      const entry: GradientCheckWorst = {
        input: i,
        index: j,
        multiIndex: unravelIndex(j, input.shape),
        analytic: a,
        numeric,
        ratio,
      };
      if (worst === null || ratio > worst.ratio) worst = entry;
      if (!(ratio <= 1)) {
        mismatches++;
        firstFailure ??= entry;
      }
    }
  }
  if (mismatches > 0 && worst !== null && firstFailure !== null) {
    const at = (e: GradientCheckWorst) =>
      `input ${e.input} (shape ${describe(inputs[e.input]!)}) element [${e.multiIndex.join(', ')}]: ` +
      `analytic ${formatNumber(e.analytic)}, numeric ${formatNumber(e.numeric)}, ` +
      `|diff| ${formatNumber(Math.abs(e.analytic - e.numeric))}`;
    throw new Error(
      `checkGradients: ${mismatches} of ${checked} gradient elements out of tolerance ` +
        `(rtol=${rtol}, atol=${atol}, eps=${eps}); first at ${at(firstFailure)}; worst at ${at(worst)}; ` +
        `max abs error ${formatNumber(maxAbsError)}, max rel error ${formatNumber(maxRelError)}`,
    );
  }
  return { checked, maxAbsError, maxRelError, worst, mismatches };
}
