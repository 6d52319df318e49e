/**
 * {@link StepLinear}: one or more {@link Linear} layers fused into a single pre-transposed matrix, the
 * inference layout used by the streaming `step` paths.
 * @packageDocumentation
 */
import {
  add,
  concat,
  contiguous,
  keep,
  matmul,
  noGrad,
  type Tensor,
  transposeLast2,
  zeros,
} from '@aaren/core';
import type { Linear } from './linear.js';

/**
 * Snapshot of linear layers in the layout a per-token step wants: `x·Wᵀ` as `x·M` with `M = Wᵀ`
 * contiguous (`[in, out₁ + out₂ + …]`), so a one-row product neither transposes nor packs the weight, and
 * layers that read the same input (e.g. the key and value projections) run as one product.
 *
 * It is a copy: later in-place updates of the layers (training) are not seen. Streaming states build it
 * when they are created and dispose it with themselves.
 */
export class StepLinear {
  /** `[in, Σ out]`, contiguous. */
  readonly weightT: Tensor;
  /** `[Σ out]`, or `null` when no layer has a bias. */
  readonly bias: Tensor | null;
  /** Output width of each fused layer, in order. */
  readonly widths: readonly number[];

  constructor(layers: readonly Linear[]) {
    const built = noGrad(() => {
      const w =
        layers.length === 1
          ? layers[0]!.weight
          : concat(
              layers.map((l) => l.weight),
              0,
            );
      const weightT = keep(contiguous(transposeLast2(w)));
      const anyBias = layers.some((l) => l.bias !== null);
      let bias: Tensor | null = null;
      if (anyBias) {
        const parts = layers.map((l) => l.bias ?? zeros(l.weight.backend, [l.outFeatures]));
        bias = keep(layers.length === 1 ? contiguous(parts[0]!) : concat(parts, 0));
      }
      return { weightT, bias };
    });
    this.weightT = built.weightT;
    this.bias = built.bias;
    this.widths = layers.map((l) => l.outFeatures);
  }

  /** `x: [B, in]` → `[B, Σ out]`. */
  apply(x: Tensor): Tensor {
    const y = matmul(x, this.weightT);
    return this.bias ? add(y, this.bias) : y;
  }

  /** Bytes held by the snapshot. */
  get bytes(): number {
    return 4 * (this.weightT.size + (this.bias?.size ?? 0));
  }

  /** Frees the snapshot. */
  dispose(): void {
    this.weightT.dispose();
    this.bias?.dispose();
  }
}
