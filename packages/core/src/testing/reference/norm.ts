/**
 * Float64 reference of the normalisation kernels: `layerNorm`, `rmsNorm`, `groupNorm`.
 * @packageDocumentation
 */

/** Layer norm of each row of `x: [rows, n]` with biased variance; `gamma`/`beta` `[n]` or null (1 and 0). */
export function layerNormReference(
  x: ArrayLike<number>,
  rows: number,
  n: number,
  gamma: ArrayLike<number> | null,
  beta: ArrayLike<number> | null,
  eps: number,
): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[r * n + i]!;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (x[r * n + i]! - mean) ** 2;
    variance /= n;
    for (let i = 0; i < n; i++) {
      const normalised = (x[r * n + i]! - mean) / Math.sqrt(variance + eps);
      out[r * n + i] = normalised * (gamma ? gamma[i]! : 1) + (beta ? beta[i]! : 0);
    }
  }
  return out;
}

/** RMS norm of each row of `x: [rows, n]`: `x / sqrt(mean(x²) + eps) · gamma`. */
export function rmsNormReference(
  x: ArrayLike<number>,
  rows: number,
  n: number,
  gamma: ArrayLike<number> | null,
  eps: number,
): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let meanSquare = 0;
    for (let i = 0; i < n; i++) meanSquare += x[r * n + i]! ** 2;
    meanSquare /= n;
    for (let i = 0; i < n; i++) {
      out[r * n + i] = (x[r * n + i]! / Math.sqrt(meanSquare + eps)) * (gamma ? gamma[i]! : 1);
    }
  }
  return out;
}

/**
 * Group norm of `x: [rows, C]`: channels split into `groups` contiguous groups of `C / groups`, each
 * normalised like layer norm, then `· gamma[c] + beta[c]`.
 */
export function groupNormReference(
  x: ArrayLike<number>,
  rows: number,
  channels: number,
  groups: number,
  gamma: ArrayLike<number> | null,
  beta: ArrayLike<number> | null,
  eps: number,
): Float64Array {
  const out = new Float64Array(rows * channels);
  const size = channels / groups;
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < groups; g++) {
      const start = r * channels + g * size;
      let mean = 0;
      for (let i = 0; i < size; i++) mean += x[start + i]!;
      mean /= size;
      let variance = 0;
      for (let i = 0; i < size; i++) variance += (x[start + i]! - mean) ** 2;
      variance /= size;
      for (let i = 0; i < size; i++) {
        const c = g * size + i;
        const normalised = (x[start + i]! - mean) / Math.sqrt(variance + eps);
        out[start + i] = normalised * (gamma ? gamma[c]! : 1) + (beta ? beta[c]! : 0);
      }
    }
  }
  return out;
}
