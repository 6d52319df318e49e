/**
 * The four task heads of the paper's experiments, each a small module on top of the encoder's outputs.
 * @packageDocumentation
 */
import { add, mul, reshape, slice, type Tensor } from '@aaren/core';
import { Linear } from '../layers/linear.js';
import { Module } from '../layers/module.js';
import type { LogNormalMixture } from './log-normal-mixture.js';

/** Multi-horizon forecasting: one token's output `[B, d]` → the next `horizon` steps `[B, horizon, C]`. */
export class ForecastHead extends Module {
  /** `d → horizon·C`. */
  readonly proj: Linear;
  /** Steps predicted. */
  readonly horizon: number;
  /** Channels per step. */
  readonly channels: number;

  constructor(dModel: number, horizon: number, channels: number) {
    super();
    this.proj = this.addModule('proj', new Linear(dModel, horizon * channels));
    this.horizon = horizon;
    this.channels = channels;
  }

  /** `h: [B, d]` → `[B, horizon, C]`. */
  forward(h: Tensor): Tensor {
    return reshape(this.proj.forward(h), [h.shape[0]!, this.horizon, this.channels]);
  }
}

/** Classification: a pooled output `[B, d]` → class logits `[B, classes]`. */
export class ClassificationHead extends Module {
  /** `d → classes`. */
  readonly proj: Linear;

  constructor(dModel: number, classes: number) {
    super();
    this.proj = this.addModule('proj', new Linear(dModel, classes));
  }

  /** `h: [..., d]` → `[..., classes]`. */
  forward(h: Tensor): Tensor {
    return this.proj.forward(h);
  }
}

/** Outputs of {@link EventHead}: the next event's mark logits and inter-event-time mixture. */
export interface EventPrediction {
  /** Mark logits `[..., K]`. */
  readonly markLogits: Tensor;
  /** Log-normal mixture over the time to the next event, `[..., M]` per parameter. */
  readonly mixture: LogNormalMixture;
}

/**
 * Event forecasting: the output after event `i`, `[..., d]`, → logits of event `i+1`'s mark and a mixture of
 * `M` log-normals for its inter-event time (`μ = timeShift + timeScale·μ̂`, `σ = timeScale·σ̂`, so the raw
 * outputs live on the scale of standardised `log τ`).
 */
export class EventHead extends Module {
  /** `d → K` mark logits. */
  readonly marks: Linear;
  /** `d → 3M`: mixture logits, means, log-scales. */
  readonly time: Linear;
  /** Mixture components `M`. */
  readonly components: number;
  /** Shift of `log τ` (the training mean of `log τ`). */
  readonly timeShift: number;
  /** Scale of `log τ` (the training standard deviation of `log τ`). */
  readonly timeScale: number;

  constructor(dModel: number, marks: number, components: number, timeShift = 0, timeScale = 1) {
    super();
    this.marks = this.addModule('marks', new Linear(dModel, marks));
    this.time = this.addModule('time', new Linear(dModel, 3 * components));
    this.components = components;
    this.timeShift = timeShift;
    this.timeScale = timeScale;
  }

  /** `h: [..., d]` → mark logits and mixture parameters. */
  forward(h: Tensor): EventPrediction {
    const m = this.components;
    const raw = this.time.forward(h);
    const lead = raw.shape.slice(0, -1);
    const part = (i: number) => slice(raw, [...lead.map(() => 0), i * m], [...lead, m]);
    const logScaleShift = Math.log(this.timeScale);
    const mixture: LogNormalMixture = {
      logits: part(0),
      means:
        this.timeShift === 0 && this.timeScale === 1
          ? part(1)
          : affine(part(1), this.timeScale, this.timeShift),
      logScales: logScaleShift === 0 ? part(2) : affine(part(2), 1, logScaleShift),
    };
    return { markLogits: this.marks.forward(h), mixture };
  }
}

function affine(x: Tensor, scale: number, shift: number): Tensor {
  return add(mul(x, scale), shift);
}

/** Return-conditioned action prediction: the output at step `t`, `[..., d]`, → action logits `[..., A]`. */
export class DecisionHead extends Module {
  /** `d → A`. */
  readonly proj: Linear;

  constructor(dModel: number, actions: number) {
    super();
    this.proj = this.addModule('proj', new Linear(dModel, actions));
  }

  /** `h: [..., d]` → `[..., A]`. */
  forward(h: Tensor): Tensor {
    return this.proj.forward(h);
  }
}
