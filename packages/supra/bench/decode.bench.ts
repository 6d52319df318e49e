/**
 * Decoding speed and memory against context length: the SUPRA model (fixed-size recurrent state) against
 * its teacher with a KV cache, same engine, same run. The context is filled directly (random keys and values
 * in the KV cache, the position of the SUPRA state advanced): decode cost does not depend on their values,
 * and this keeps the run short. Each repetition is one token: forward of one id with the cache, logits read
 * back.
 */
import { defineSuite, isQuickBench } from '@aaren/bench';
import { cpuBackend, createRng, noGrad, randomNormal, tensor, tidy } from '@aaren/core';
import { TEACHER_CONFIG } from '../experiments/teacher-config.js';
import { convertToSupra, initWeights, parseModelConfig, TransformerLM } from '../src/index.js';

const quick = isQuickBench();
const CONTEXTS = quick ? [256] : [1024, 2048, 4096, 8192];
const backend = cpuBackend();
const config = parseModelConfig(TEACHER_CONFIG);
const teacher = new TransformerLM(config, initWeights(backend, config, { seed: 1 }), backend);
const supra = convertToSupra(teacher, { copyWeights: false });
const kvHeads = config.family === 'llama' ? config.numKeyValueHeads : config.numHeads;

function decodeStep(model: TransformerLM | typeof supra, cache: never): () => void {
  let token = 7;
  return () => {
    const logits = tidy(() =>
      noGrad(() =>
        model.forward(tensor(backend, Int32Array.of(token), [1, 1], 'i32'), { cache, lastOnly: true }),
      ),
    );
    token = (logits.dataSync()[0]! > 0 ? 11 : 13) % config.vocabSize;
    logits.dispose();
  };
}

export default defineSuite({
  name: 'supra-decode',
  cases: () =>
    CONTEXTS.map((context) => {
      const kv = teacher.createCache(1);
      const state = supra.createCache(1);
      return {
        name: 'decode step: SUPRA state vs teacher KV cache',
        backend: 'cpu',
        size: `context=${context}`,
        work: 1,
        unit: 'tokens/s' as const,
        setup: () => {
          const rng = createRng(context);
          tidy(() => {
            for (let layer = 0; layer < config.numLayers; layer++) {
              const shape = [1, kvHeads, context, config.headDim];
              kv.append(layer, randomNormal(backend, shape, rng), randomNormal(backend, shape, rng));
            }
          });
          kv.advance(context);
          state.advance(context);
        },
        ours: decodeStep(supra, state as never),
        baseline: { name: 'teacher with KV cache', fn: decodeStep(teacher, kv as never) },
        extra: () => ({
          supraStateBytes: state.byteLength(),
          kvCacheBytes: kv.byteLength(),
          parameters: [...teacher.weights.values()].reduce((n, t) => n + t.size, 0),
        }),
        teardown: () => {
          kv.dispose();
          state.dispose();
        },
      };
    }),
});
