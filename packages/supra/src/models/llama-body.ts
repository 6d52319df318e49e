/**
 * The Llama/Mistral decoder body (`transformers`' `LlamaModel`/`MistralModel` without attention): token
 * embedding, pre-RMSNorm residual blocks with a gated MLP `down(act(gate(x)) · up(x))`, final RMSNorm and
 * the (possibly tied) LM head.
 * @packageDocumentation
 */
import { add, embedding, linear, mul, rmsNorm, type Tensor } from '@aaren/core';
import type { LlamaConfig } from '../config/model-config.js';
import { llamaLayerNames } from '../weights/expected-weights.js';
import { activate } from './activation.js';
import type { DecoderBody } from './decoder-body.js';
import { weightGetter } from './decoder-body.js';

/** The {@link DecoderBody} of a Llama-family model. */
export function llamaBody(config: LlamaConfig, weights: ReadonlyMap<string, Tensor>): DecoderBody {
  const w = weightGetter(weights, config);
  const eps = config.rmsNormEps;
  const proj = (x: Tensor, name: string) => linear(x, w.get(`${name}.weight`), w.optional(`${name}.bias`));
  return {
    embed: (ids) => embedding(w.get('model.embed_tokens.weight'), ids),
    layer(i, h, attend) {
      const n = llamaLayerNames(i);
      const x = rmsNorm(h, w.get(n.inputNorm), eps);
      const attended = attend(i, proj(x, n.q), proj(x, n.k), proj(x, n.v));
      const h1 = add(h, proj(attended, n.o));
      const y = rmsNorm(h1, w.get(n.postNorm), eps);
      const gated = mul(activate(config.hiddenAct, proj(y, n.gate)), proj(y, n.up));
      return add(h1, proj(gated, n.down));
    },
    head(h) {
      const x = rmsNorm(h, w.get('model.norm.weight'), eps);
      const table = config.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
      return linear(x, w.get(table));
    },
  };
}
