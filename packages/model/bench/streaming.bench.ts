/**
 * Streaming inference per token after a context of L tokens: Aaren's `step` (constant-size state, should be
 * flat in L) against the causal Transformer's `step` with a KV cache of L tokens (the baseline; O(L) per
 * token). Both stacks: d_model 64, 4 heads, d_ff 256, 2 layers, batch 1. The context is consumed with
 * `prefill` (parallel) in setup. `extra` records the state bytes each holds.
 */
import { defineSuite } from '@aaren/bench';
import { cpuBackend, createRng, keep, noGrad, randomNormal, type Tensor, tidy } from '@aaren/core';
import {
  AarenStack,
  type AarenState,
  type EncoderConfig,
  type TransformerCache,
  TransformerStack,
} from '../src/index.js';

const quick = process.env.AAREN_BENCH_QUICK !== undefined;
const backend = cpuBackend();
const CONFIG: EncoderConfig = { dModel: 64, heads: 4, dFF: 256, layers: 2 };
const CONTEXTS = quick ? [256, 1024] : [1024, 4096, 16384];
const PREFILL_BLOCK = 512;

const aaren = new AarenStack(CONFIG).init(backend, createRng(0));
const transformer = new TransformerStack(CONFIG).init(backend, createRng(0));

function prefill<S extends AarenState | TransformerCache>(
  model: AarenStack | TransformerStack,
  state: S,
  tokens: number,
): S {
  const rng = createRng(tokens);
  for (let done = 0; done < tokens; done += PREFILL_BLOCK) {
    const n = Math.min(PREFILL_BLOCK, tokens - done);
    tidy(() => {
      const x = randomNormal(backend, [1, n, CONFIG.dModel], rng);
      noGrad(() => (model as AarenStack).prefill(state as never, x));
    });
  }
  return state;
}

export default defineSuite({
  name: 'streaming',
  cases: () =>
    CONTEXTS.map((context) => {
      let aState: AarenState | null = null;
      let tState: TransformerCache | null = null;
      let token: Tensor | null = null;
      return {
        name: 'per-token step after L tokens',
        backend: 'cpu',
        size: `L=${context},d=${CONFIG.dModel},layers=${CONFIG.layers}`,
        work: 1,
        unit: 'tokens/s' as const,
        setup: () => {
          token = keep(randomNormal(backend, [1, CONFIG.dModel], createRng(1)));
          aState = prefill(aaren, aaren.createState(1), context);
          tState = prefill(transformer, transformer.createCache(1, { capacity: context * 2 }), context);
        },
        // Each repetition adds one token; the Transformer's cache grows by a few tokens over the timing,
        // which is negligible against L.
        ours: () => tidy(() => void aaren.step(aState!, token!)),
        baseline: {
          name: 'Transformer + KV cache step',
          fn: () => tidy(() => void transformer.step(tState!, token!)),
        },
        teardown: () => {
          aState?.dispose();
          tState?.dispose();
          token?.dispose();
        },
        extra: () => ({ aarenStateBytes: aState?.stateBytes(), transformerStateBytes: tState?.stateBytes() }),
      };
    }),
});
