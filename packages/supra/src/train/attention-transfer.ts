/**
 * Attention transfer: before next-token uptraining, train the feature maps φ so that each layer's linear
 * attention reproduces the teacher's softmax attention on the teacher's own activations (as in later
 * linearization work: Hedgehog, Zhang et al. 2024; LoLCATs, Zhang et al. 2024). Only φ learns; every other
 * weight stays the teacher's.
 * @packageDocumentation
 */
import { add, groupNorm, mseLoss, mul, noGrad, type Tensor, tensor } from '@aaren/core';
import type { CausalLM } from '../models/causal-lm.js';
import type { TransformerLM } from '../models/transformer-lm.js';
import type { SupraLM } from '../supra/supra-lm.js';
import type { TokenBatch } from './token-windows.js';

/** The names of a SUPRA model's feature-map weights (the parameters attention transfer trains). */
export function featureMapWeightNames(model: SupraLM): string[] {
  return [...model.weights.keys()].filter((n) => /\.feature_map(_kv)?\.(weight|bias)$/.test(n));
}

/**
 * A {@link Trainer} loss for attention transfer from `teacher` to `student`: the teacher runs its own forward;
 * at every layer the student's linear attention sees the teacher's `q, k, v` and is compared (mean squared
 * error, averaged over layers) with the teacher's softmax attention output. With the paper's GroupNorm the
 * teacher's output is normalised the same way (per token and head, no affine), since GroupNorm fixes the
 * scale of the student's output.
 *
 * @example
 * ```ts
 * const trainer = new Trainer(student, windows, {
 *   steps: 200, batchSize: 8, trainable: featureMapWeightNames(student),
 *   loss: attentionTransferLoss(teacher, student),
 * });
 * ```
 */
export function attentionTransferLoss(
  teacher: TransformerLM,
  student: SupraLM,
): (model: CausalLM, batch: TokenBatch) => Tensor {
  const heads = student.config.numHeads;
  const { normalization, groupNormEps } = student.settings;
  return (_model, batch) => {
    const ids = tensor(teacher.backend, batch.inputs, [batch.batch, batch.seqLength], 'i32');
    const losses: Tensor[] = [];
    teacher.forwardWith(ids, (layer, q, k, v, context) => {
      const target = noGrad(() => teacher.attention(layer, q, k, v, context, null));
      const reference =
        normalization === 'group-norm'
          ? noGrad(() => groupNorm(target, heads, null, null, groupNormEps))
          : target;
      losses.push(mseLoss(student.attention(layer, q, k, v, context, null), reference));
      return target;
    });
    const total = losses.reduce((a, b) => add(a, b));
    return mul(total, 1 / losses.length);
  };
}
