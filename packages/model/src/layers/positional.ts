/**
 * Sinusoidal position encodings (Vaswani et al., 2017), computed on the host for any position, so the
 * streaming form needs only a position counter.
 * @packageDocumentation
 */
import { type Backend, type Tensor, tensor } from '@aaren/core';

/** How token positions enter a model: added sinusoidal encodings, or none. */
export type PositionalEncoding = 'sinusoidal' | 'none';

/**
 * `PE[p, 2i] = sin(p / 10000^{2i/d})`, `PE[p, 2i+1] = cos(p / 10000^{2i/d})` for positions
 * `start … start + count − 1`, as an f32 tensor `[count, d]`.
 */
export function sinusoidalEncoding(backend: Backend, start: number, count: number, dim: number): Tensor {
  const data = new Float32Array(count * dim);
  for (let p = 0; p < count; p++) {
    const pos = start + p;
    for (let i = 0; i < dim; i += 2) {
      const angle = pos / 10000 ** (i / dim);
      data[p * dim + i] = Math.sin(angle);
      if (i + 1 < dim) data[p * dim + i + 1] = Math.cos(angle);
    }
  }
  return tensor(backend, data, [count, dim]);
}
