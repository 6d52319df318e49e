import {
  add,
  cpuBackend,
  createRng,
  mul,
  noGrad,
  randomNormal,
  slice,
  squeeze,
  type Tensor,
  tensor,
  tidy,
} from '@aaren/core';
import { expectAllClose } from '@aaren/core/testing';
import { describe, expect, it } from 'vitest';
import { ModelConfigError, ModelShapeError } from '../errors.js';
import { seriesStats } from '../heads/revin.js';
import { Classifier } from './classifier.js';
import { createModel } from './create-model.js';
import { DecisionModel } from './decision-model.js';
import { EventForecaster } from './event-forecaster.js';
import { Forecaster } from './forecaster.js';

const backend = cpuBackend();
const encoder = { dModel: 16, heads: 2, dFF: 32, layers: 2 };
const backbones = ['aaren', 'transformer'] as const;

function column(x: Tensor, t: number): Tensor {
  const [b = 0, , ...rest] = x.shape;
  return squeeze(slice(x, [0, t, ...rest.map(() => 0)], [b, 1, ...rest]), [1]);
}

describe.each(backbones)('task models (%s backbone)', (backbone) => {
  it('Forecaster: shapes, loss, RevIN, and streaming equal to predict', () => {
    const model = new Forecaster({ backbone, encoder, channels: 3, lookback: 12, horizon: 5 }).init(
      backend,
      createRng(1),
    );
    const input = randomNormal(backend, [2, 12, 3], createRng(2), 4, 3);
    const target = randomNormal(backend, [2, 5, 3], createRng(3));
    const pred = noGrad(() => model.predict(input));
    expect(pred.shape).toEqual([2, 5, 3]);
    const { loss, metrics } = model.lossAndMetrics({ input, target });
    expect(loss.shape).toEqual([]);
    expect(Object.keys(metrics).sort()).toEqual(['loss', 'mae', 'mse']);
    expect(metrics.mse!.sum.dataSync()[0]! / 30).toBeCloseTo(loss.dataSync()[0]!, 4);
    // Shifting and scaling a window shifts and scales its forecast (instance normalisation).
    const moved = noGrad(() => model.predict(add(mul(input, 2.5), -7))).dataSync();
    expectAllClose(
      moved,
      Float32Array.from(pred.dataSync(), (v) => v * 2.5 - 7),
      { atol: 1e-3, rtol: 1e-4 },
    );
    // Streaming with the window's own statistics reproduces predict at the window's end.
    const stats = seriesStats(input);
    const state = model.createState(2, { mean: stats.mean, std: stats.std });
    let last: Float32Array | null = null;
    for (let t = 0; t < 12; t++)
      last = tidy(() => model.step(state, column(input, t)).dataSync() as Float32Array);
    state.dispose();
    expectAllClose(last!, pred.dataSync(), { atol: 1e-4, rtol: 1e-4 });
  });

  it.each(['last', 'mean'] as const)(
    'Classifier (%s pooling): loss, accuracy, masks and streaming',
    (pooling) => {
      const model = new Classifier({ backbone, encoder, classes: 4, input: { features: 3 }, pooling }).init(
        backend,
        createRng(4),
      );
      const input = randomNormal(backend, [2, 7, 3], createRng(5));
      const labels = tensor(backend, new Int32Array([1, 3]), [2]);
      const { loss, metrics } = model.lossAndMetrics({ input, labels });
      expect(Number.isFinite(loss.dataSync()[0]!)).toBe(true);
      const acc = metrics.accuracy!.sum.dataSync()[0]!;
      expect([0, 1, 2]).toContain(acc);
      const logits = noGrad(() => model.logits(input)).dataSync();
      const state = model.createState(2);
      let last: Float32Array | null = null;
      for (let t = 0; t < 7; t++)
        last = tidy(() => model.step(state, column(input, t)).dataSync() as Float32Array);
      state.dispose();
      expectAllClose(last!, logits, { atol: 1e-4, rtol: 1e-4 });
      // Right padding: the padded batch element gives the logits of its unpadded prefix.
      const mask = tensor(backend, [1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1], [2, 7]);
      const padded = noGrad(() => model.logits(input, mask)).dataSync();
      const prefix = noGrad(() => model.logits(slice(input, [0, 0, 0], [1, 5, 3]))).dataSync();
      expectAllClose(padded.subarray(0, 4), prefix, { atol: 1e-4, rtol: 1e-4 });
    },
  );

  it('Classifier over token ids', () => {
    const model = new Classifier({ backbone, encoder, classes: 2, input: { vocabSize: 10 } }).init(
      backend,
      createRng(6),
    );
    const ids = tensor(backend, new Int32Array([1, 2, 3, 9, 0, 4]), [2, 3]);
    const logits = noGrad(() => model.logits(ids));
    expect(logits.shape).toEqual([2, 2]);
  });

  it('EventForecaster: NLL + mark metrics, padding ignored, streaming equal to the parallel predictions', () => {
    const model = new EventForecaster({ backbone, encoder, marks: 3, mixtureComponents: 4 }).init(
      backend,
      createRng(7),
    );
    const marks = tensor(backend, new Int32Array([0, 2, 1, 1, 0, 1, 2, 0]), [2, 4]);
    const times = tensor(backend, [0.5, 0.9, 2.0, 2.1, 0.2, 1.2, 1.3, 3.3], [2, 4]);
    const { loss, metrics } = model.lossAndMetrics({ marks, times });
    expect(Object.keys(metrics).sort()).toEqual(['loss', 'markAccuracy', 'markNll', 'timeNll']);
    const l = loss.dataSync()[0]!;
    const tn = metrics.timeNll!.sum.dataSync()[0]! / 6;
    const mn = metrics.markNll!.sum.dataSync()[0]! / 6;
    expect(l).toBeCloseTo(tn + mn, 4);
    // Padding: a masked last event changes nothing for the other predictions' sums.
    const mask = tensor(backend, [1, 1, 1, 0, 1, 1, 1, 1], [2, 4]);
    const masked = model.lossAndMetrics({ marks, times, mask });
    expect((masked.metrics.timeNll!.count as Tensor).dataSync()[0]).toBe(5);
    // Streaming.
    const pred = noGrad(() => model.predict({ marks, times }));
    const state = model.createState(2);
    for (let t = 0; t < 4; t++) {
      const out = tidy(() => {
        const p = model.step(state, { mark: column(marks, t), time: column(times, t) });
        return [p.markLogits.dataSync(), p.mixture.means.dataSync()];
      });
      expectAllClose(out[0]!, column(pred.markLogits, t).dataSync(), { atol: 1e-4, rtol: 1e-4 });
      expectAllClose(out[1]!, column(pred.mixture.means, t).dataSync(), { atol: 1e-4, rtol: 1e-4 });
    }
    state.dispose();
  });

  it('DecisionModel: loss, accuracy and streaming', () => {
    const model = new DecisionModel({ backbone, encoder, stateDim: 4, actions: 3, returnScale: 10 }).init(
      backend,
      createRng(8),
    );
    const returnsToGo = tensor(backend, [5, 4, 4, 2, 3, 3, 1, 0], [2, 4]);
    const observations = randomNormal(backend, [2, 4, 4], createRng(9));
    const actions = tensor(backend, new Int32Array([0, 2, 1, 1, 2, 2, 0, 1]), [2, 4]);
    const { metrics } = model.lossAndMetrics({ returnsToGo, observations, actions });
    expect(metrics.actionAccuracy!.count).toBe(8);
    const logits = noGrad(() => model.actionLogits({ returnsToGo, observations, actions }));
    const state = model.createState(2);
    for (let t = 0; t < 4; t++) {
      const previous = t === 0 ? tensor(backend, new Int32Array([-1, -1]), [2]) : column(actions, t - 1);
      const out = tidy(() =>
        model
          .step(state, {
            returnToGo: column(returnsToGo, t),
            observation: column(observations, t),
            previousAction: previous,
          })
          .dataSync(),
      );
      expectAllClose(out, column(logits, t).dataSync(), { atol: 1e-4, rtol: 1e-4 });
    }
    state.dispose();
  });
});

describe('configuration and shape errors', () => {
  it('createModel rebuilds each task from its config', () => {
    const m = createModel({
      task: 'classification',
      backbone: 'aaren',
      encoder,
      classes: 3,
      input: { features: 2 },
    });
    expect(m).toBeInstanceOf(Classifier);
    expect(createModel(m.config).paramCount()).toBe(m.paramCount());
    expect(() => createModel({ task: 'nope' } as never)).toThrow(ModelConfigError);
  });

  it('names the option and the shape at fault', () => {
    expect(
      () =>
        new Forecaster({
          backbone: 'aaren',
          encoder: { ...encoder, heads: 3 },
          channels: 1,
          lookback: 4,
          horizon: 2,
        }),
    ).toThrow(/heads \(3\) must divide dModel \(16\)/);
    const model = new Forecaster({ backbone: 'aaren', encoder, channels: 2, lookback: 4, horizon: 2 }).init(
      backend,
      createRng(0),
    );
    expect(() => model.predict(randomNormal(backend, [1, 4, 3], createRng(0)))).toThrow(ModelShapeError);
    expect(() => model.predict(randomNormal(backend, [1, 4, 3], createRng(0)))).toThrow(
      /input must be \[B, L, 2\]/,
    );
  });
});
