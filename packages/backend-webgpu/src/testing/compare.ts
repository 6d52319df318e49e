/**
 * Runs one kernel call on two backends (the WebGPU backend under test and the CPU reference) with the same
 * inputs, and returns both backends' outputs.
 * @packageDocumentation
 */
import type { Backend, DType, TensorData, TensorView } from '@aaren/core';
import { viewOf } from './views.js';

/** A tensor given to both backends. */
export interface Operand {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Values (inputs) or `null` (outputs, initialised to a sentinel). */
  readonly data: ArrayLike<number> | null;
}

/** The outputs of one backend, by operand name. */
export type Results = Record<string, TensorData>;

async function runOn(
  backend: Backend,
  operands: Readonly<Record<string, Operand>>,
  call: (backend: Backend, views: Record<string, TensorView>) => void,
): Promise<Results> {
  const views: Record<string, TensorView> = {};
  try {
    for (const [name, op] of Object.entries(operands)) {
      const size = op.shape.reduce((p, d) => p * d, 1);
      // One element of padding on each side, so offsets are exercised and stray writes show up.
      const buffer = backend.alloc(op.dtype, size + 2);
      const init = op.dtype === 'f32' ? new Float32Array(size + 2) : new Int32Array(size + 2);
      init.fill(-7777);
      if (op.data) init.set(Array.from(op.data), 1);
      backend.write(buffer, init);
      views[name] = viewOf(buffer, op.shape, 1);
    }
    call(backend, views);
    const out: Results = {};
    for (const [name, op] of Object.entries(operands)) {
      const size = op.shape.reduce((p, d) => p * d, 1);
      const all = await backend.read(views[name]!.buffer);
      if (all[0] !== -7777 || all[size + 1] !== -7777)
        throw new Error(`${name}: a kernel wrote outside its view`);
      out[name] = all.slice(1, size + 1);
    }
    return out;
  } finally {
    for (const v of Object.values(views)) backend.free(v.buffer);
  }
}

/** Runs `call` on both backends and returns `[ours, reference]`. */
export async function runBoth(
  ours: Backend,
  reference: Backend,
  operands: Readonly<Record<string, Operand>>,
  call: (backend: Backend, views: Record<string, TensorView>) => void,
): Promise<[Results, Results]> {
  return [await runOn(ours, operands, call), await runOn(reference, operands, call)];
}
