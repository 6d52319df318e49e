/**
 * Tensor helpers for tests: one CPU backend, f32 inputs from arrays, float64 readback, and gradients of the
 * projected loss `L = Σ out ⊙ R`.
 */
import { type Backend, cpuBackend, gradients, mul, requireGrad, sum, type Tensor, tensor } from '@aaren/core';

/** The CPU backend shared by the tests. */
export const cpu: Backend = cpuBackend();

/** An f32 tensor of `shape` holding `data`. */
export function f32(data: ArrayLike<number>, shape: readonly number[]): Tensor {
  return tensor(cpu, Float32Array.from(data), shape);
}

/** The elements of `t` as float64, row-major. */
export function read(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync());
}

/**
 * Gradients of `Σ f(...inputs) ⊙ projection` with respect to each input, computed by autograd on fresh
 * leaves holding `data`.
 */
export function gradientsOf(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly { data: ArrayLike<number>; shape: readonly number[] }[],
  projection: ArrayLike<number>,
): Float64Array[] {
  const leaves = inputs.map((x) => requireGrad(f32(x.data, x.shape)));
  const out = f(...leaves);
  const loss = sum(mul(out, f32(projection, out.shape)));
  return gradients(loss, leaves).map((g) => (g ? read(g) : new Float64Array(0)));
}

/** `Σ f(...inputs) ⊙ projection` in float64 for f32 inputs holding `data`. */
export function projectedLoss(
  f: (...inputs: Tensor[]) => Tensor,
  data: readonly ArrayLike<number>[],
  shapes: readonly (readonly number[])[],
  projection: ArrayLike<number>,
): number {
  const out = read(f(...data.map((d, i) => f32(d, shapes[i]!))));
  let total = 0;
  for (let i = 0; i < out.length; i++) total += out[i]! * projection[i]!;
  return total;
}
