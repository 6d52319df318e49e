/**
 * {@link Classifier}: one label per sequence (the paper's classification task; accuracy).
 * @packageDocumentation
 */
import {
  add,
  argmax,
  cast,
  crossEntropy,
  div,
  embedding,
  equal,
  keep,
  mul,
  normalInit,
  sum,
  type Tensor,
  zeros,
} from '@aaren/core';
import { ModelConfigError, ModelShapeError } from '../errors.js';
import type { BatchEvaluation } from '../heads/metrics.js';
import { lastToken, meanPool, type Pooling } from '../heads/pooling.js';
import { ClassificationHead } from '../heads/task-heads.js';
import { Linear } from '../layers/linear.js';
import { Module } from '../layers/module.js';
import type { Encoder } from './create-encoder.js';
import { positiveInt, TaskModel, type TaskModelConfigBase, type TaskState } from './task-model.js';

/** Inputs of a {@link Classifier}: real-valued features per step, or token ids from a vocabulary. */
export type ClassifierInput = { readonly features: number } | { readonly vocabSize: number };

/** Configuration of a {@link Classifier}. */
export interface ClassifierConfig extends TaskModelConfigBase {
  /** Always `'classification'`. */
  readonly task: 'classification';
  /** Number of classes. */
  readonly classes: number;
  /** `{ features: F }` for `[B, N, F]` f32 inputs, `{ vocabSize: V }` for `[B, N]` i32 token ids. */
  readonly input: ClassifierInput;
  /** `'last'` (the output at the last unmasked step; default) or `'mean'` (mean over unmasked steps). */
  readonly pooling?: Pooling;
}

/** A batch of sequences and labels. */
export interface ClassificationBatch {
  /** `[B, N, F]` f32 features or `[B, N]` i32 token ids. */
  readonly input: Tensor;
  /** Class labels `[B]` (i32). */
  readonly labels: Tensor;
  /** Optional right-padding mask `[B, N]` (1 = real step). */
  readonly mask?: Tensor | null;
}

/** Extra streaming state of a {@link Classifier} with mean pooling: the running sum of outputs `[B, d]`. */
export interface ClassifierStreamExtra {
  /** Σ of the outputs so far (mean pooling only; `null` for last-token pooling). */
  sum: Tensor | null;
}

/** Token embedding table `[V, d]` (N(0, 1), as `torch.nn.Embedding`). */
class TokenTable extends Module {
  constructor(vocab: number, dModel: number) {
    super();
    this.addParameter('weight', [vocab, dModel], normalInit(1));
  }
  forward(ids: Tensor): Tensor {
    return embedding(this.param('weight'), ids);
  }
}

/**
 * Sequence classifier: tokens from features (`embed: Linear(F, d)`) or ids (`embed.weight: [V, d]`), plus
 * position encodings; the encoder; pooling (`'last'` or `'mean'`, mask-aware); `head: Linear(d, classes)`.
 * Loss: cross-entropy; metrics `loss`, `accuracy`.
 */
export class Classifier extends TaskModel<ClassificationBatch> {
  /** Configuration with defaults. */
  readonly config: ClassifierConfig;
  /** Input embedding. */
  readonly embed: Linear | TokenTable;
  /** Sequence encoder. */
  readonly encoder: Encoder;
  /** Pooled output → logits. */
  readonly head: ClassificationHead;

  constructor(config: Omit<ClassifierConfig, 'task'> & { readonly task?: 'classification' }) {
    super();
    const where = 'Classifier';
    const classes = positiveInt(where, 'classes', config.classes);
    const pooling = config.pooling ?? 'last';
    if (pooling !== 'last' && pooling !== 'mean') {
      throw new ModelConfigError(
        where,
        'pooling',
        `must be 'last' or 'mean', got ${JSON.stringify(pooling)}`,
      );
    }
    this.config = {
      ...config,
      task: 'classification',
      pooling,
      positional: config.positional ?? 'sinusoidal',
    };
    this.encoder = this.makeEncoder(config);
    const d = this.encoder.dModel;
    const input = config.input as Partial<{ features: number; vocabSize: number }> | undefined;
    if (input && input.features !== undefined) {
      this.embed = this.addModule(
        'embed',
        new Linear(positiveInt(where, 'input.features', input.features), d),
      );
    } else if (input && input.vocabSize !== undefined) {
      this.embed = this.addModule(
        'embed',
        new TokenTable(positiveInt(where, 'input.vocabSize', input.vocabSize), d),
      );
    } else {
      throw new ModelConfigError(where, 'input', 'must be { features: F } or { vocabSize: V }');
    }
    this.addModule('encoder', this.encoder);
    this.head = this.addModule('head', new ClassificationHead(d, classes));
  }

  private tokens(input: Tensor): Tensor {
    if (this.embed instanceof Linear) {
      const f = this.embed.inFeatures;
      if (input.dtype !== 'f32' || input.shape[input.rank - 1] !== f) {
        throw new ModelShapeError('Classifier', 'input', `f32 [..., ${f}]`, [input.shape]);
      }
      return this.embed.forward(input);
    }
    if (input.dtype !== 'i32')
      throw new ModelShapeError('Classifier', 'input', 'i32 token ids [..., N]', [input.shape]);
    return this.embed.forward(input);
  }

  /** Class logits `[B, classes]` for `input` (`[B, N, F]` or `[B, N]` ids) with an optional mask `[B, N]`. */
  logits(input: Tensor, mask?: Tensor | null): Tensor {
    const h = this.encoder.forward(this.withPositions(this.tokens(input)), { mask: mask ?? null });
    const pooled = this.config.pooling === 'mean' ? meanPool(h, mask) : lastToken(h, mask);
    return this.head.forward(pooled);
  }

  /** Cross-entropy loss; metrics `loss`, `accuracy`. */
  lossAndMetrics(batch: ClassificationBatch): BatchEvaluation {
    const logits = this.logits(batch.input, batch.mask);
    const labels = batch.labels;
    if (labels.dtype !== 'i32' || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
      throw new ModelShapeError(
        'Classifier.lossAndMetrics',
        'batch.labels',
        `i32 [B] = [${logits.shape[0]}]`,
        [labels.shape],
      );
    }
    const loss = crossEntropy(logits, labels);
    const b = labels.shape[0]!;
    const correct = sum(cast(equal(argmax(logits, -1), labels), 'f32'));
    return { loss, metrics: { loss: { sum: mul(loss, b), count: b }, accuracy: { sum: correct, count: b } } };
  }

  /** A streaming state for `batch` sequences: after each step, logits for the sequence so far. */
  createState(batch: number): TaskState<ClassifierStreamExtra> {
    const sumState =
      this.config.pooling === 'mean' ? keep(zeros(this.backend, [batch, this.encoder.dModel])) : null;
    return this.newState(batch, { sum: sumState });
  }

  /** Consumes one step (`[B, F]` features or `[B]` ids) and returns the logits `[B, classes]` so far. */
  step(state: TaskState<ClassifierStreamExtra>, x: Tensor): Tensor {
    return this.streamStep(
      'Classifier.step',
      state,
      () => this.tokens(x),
      (h) => {
        if (!state.extra.sum) return this.head.forward(h);
        const total = keep(add(state.extra.sum, h));
        state.extra.sum.dispose();
        state.extra.sum = total;
        return this.head.forward(div(total, state.position));
      },
    );
  }
}
