/**
 * `cos`/`sin` tables for rotary position embeddings, computed in float32 like PyTorch so that long positions
 * round the same way as in `transformers`.
 * @packageDocumentation
 */
import { type Backend, type Tensor, tensor } from '@aaren/core';

const f32 = Math.fround;

/**
 * Tables `cos, sin: [length, D/2]` for positions `start … start + length − 1`: angle `fl32(p·θ_j)` (the float32
 * product that `transformers` computes), then `cos`/`sin` rounded to float32 and multiplied by `scaling`.
 */
export function ropeTables(
  backend: Backend,
  inverseFrequencies: ArrayLike<number>,
  start: number,
  length: number,
  scaling = 1,
): { cos: Tensor; sin: Tensor } {
  const half = inverseFrequencies.length;
  const cos = new Float32Array(length * half);
  const sin = new Float32Array(length * half);
  for (let t = 0; t < length; t++) {
    const p = f32(start + t);
    for (let j = 0; j < half; j++) {
      const angle = f32(p * inverseFrequencies[j]!);
      cos[t * half + j] = f32(f32(Math.cos(angle)) * scaling);
      sin[t * half + j] = f32(f32(Math.sin(angle)) * scaling);
    }
  }
  return { cos: tensor(backend, cos, [length, half]), sin: tensor(backend, sin, [length, half]) };
}
