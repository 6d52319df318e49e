/**
 * The GPT-2 decoder body (`transformers`' `GPT2Model` without attention): token plus learned position
 * embeddings, pre-LayerNorm residual blocks whose projections are `Conv1D`s (`x·W + b` with `W: [in, out]`),
 * a GELU MLP, the final LayerNorm and the tied LM head.
 * @packageDocumentation
 */
import {
  add,
  arange,
  embedding,
  layerNorm,
  linear,
  reshape,
  slice,
  type Tensor,
  transposeLast2,
} from '@aaren/core';
import type { Gpt2Config } from '../config/model-config.js';
import { ModelInputError } from '../errors.js';
import { gpt2LayerNames } from '../weights/expected-weights.js';
import { activate } from './activation.js';
import type { DecoderBody } from './decoder-body.js';
import { weightGetter } from './decoder-body.js';

/** The {@link DecoderBody} of a GPT-2 model. */
export function gpt2Body(config: Gpt2Config, weights: ReadonlyMap<string, Tensor>): DecoderBody {
  const w = weightGetter(weights, config);
  const eps = config.layerNormEps;
  const d = config.hiddenSize;
  // Conv1D: y = x·W + b with W [in, out]; linear() takes [out, in], so pass the transposed view (no copy).
  const conv = (x: Tensor, name: string) =>
    linear(x, transposeLast2(w.get(`${name}.weight`)), w.get(`${name}.bias`));
  const norm = (x: Tensor, name: string) => layerNorm(x, w.get(`${name}.weight`), w.get(`${name}.bias`), eps);
  return {
    embed(ids, start) {
      const t = ids.shape[1]!;
      if (start + t > config.maxPositionEmbeddings) {
        throw new ModelInputError(
          'gpt2',
          'inputIds',
          `at most ${config.maxPositionEmbeddings} positions (n_positions) in all, with ${start} already cached`,
          ids.shape,
        );
      }
      const positions = arange(ids.backend, start, start + t, 1, 'i32');
      const pos = embedding(w.get('transformer.wpe.weight'), positions);
      return add(embedding(w.get('transformer.wte.weight'), ids), reshape(pos, [1, t, d]));
    },
    layer(i, h, attend) {
      const n = gpt2LayerNames(i);
      const qkv = conv(norm(h, n.ln1), n.attn);
      const [b = 0, t = 0] = h.shape;
      const part = (j: number) => slice(qkv, [0, 0, j * d], [b, t, d]);
      const h1 = add(h, conv(attend(i, part(0), part(1), part(2)), n.proj));
      const m = conv(activate(config.activation, conv(norm(h1, n.ln2), n.fc)), n.mlpProj);
      return add(h1, m);
    },
    head(h) {
      const x = norm(h, 'transformer.ln_f');
      return linear(x, w.get(config.tieWordEmbeddings ? 'transformer.wte.weight' : 'lm_head.weight'));
    },
  };
}
