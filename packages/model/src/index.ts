/**
 * `@aaren/model`: Aaren ("Attention as an RNN", Feng et al., arXiv 2405.13956) as models you can train
 * and stream — Aaren layers and stacks, the causal Transformer baseline with a KV cache, the paper's four
 * task models (forecasting, classification, event forecasting, return-conditioned decisions), `fit`,
 * streaming inference, data utilities. Checkpoint files are in the Node-only entry `@aaren/model/node`.
 * @packageDocumentation
 */
export * from './data/index.js';
export * from './envs/corridor.js';
export * from './errors.js';
export * from './heads/log-normal-mixture.js';
export * from './heads/metrics.js';
export * from './heads/pooling.js';
export * from './heads/revin.js';
export * from './heads/task-heads.js';
export * from './layers/aaren-attention.js';
export * from './layers/activation.js';
export * from './layers/causal-self-attention.js';
export * from './layers/encoder-block.js';
export * from './layers/feed-forward.js';
export * from './layers/layer-norm.js';
export * from './layers/linear.js';
export * from './layers/module.js';
export * from './layers/module-list.js';
export * from './layers/positional.js';
export * from './layers/step-linear.js';
export * from './models/aaren-stack.js';
export * from './models/classifier.js';
export * from './models/create-encoder.js';
export * from './models/create-model.js';
export * from './models/decision-model.js';
export * from './models/encoder-config.js';
export * from './models/event-forecaster.js';
export * from './models/forecaster.js';
export * from './models/sequence-encoder.js';
export * from './models/task-model.js';
export * from './models/transformer-stack.js';
export * from './streaming/cell-step.js';
export * from './streaming/kv-cache.js';
export * from './streaming/streaming-state.js';
export * from './train/dataset.js';
export * from './train/evaluate.js';
export * from './train/fit.js';
