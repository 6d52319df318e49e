/**
 * The {@link Optimizer} base class shared by {@link SGD} and {@link AdamW}: parameter and gradient checks,
 * the learning rate, step counting, in-place updates under `noGrad` + `tidy`, per-parameter state tensors,
 * and `stateDict()` / `loadStateDict()` for exact resume.
 * @packageDocumentation
 */
import { noGrad } from '../autograd.js';
import { BackendMismatchError, DTypeError, InvalidArgumentError, ShapeError } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { keep, materialize, type Tensor, tidy } from '../tensor.js';

/** Hyperparameter values as stored in an {@link OptimizerStateDict}. */
export type Hyperparameters = Readonly<Record<string, number | boolean>>;

/**
 * Everything an optimizer needs to resume exactly. All fields but `tensors` are plain JSON data (store them
 * in the checkpoint's JSON); `tensors` are f32 tensors named `'<paramIndex>.<slot>'` (e.g. `'3.exp_avg'`,
 * `'0.momentum_buffer'`; slot names follow PyTorch's), ready for safetensors.
 */
export interface OptimizerStateDict {
  /** The optimizer class, e.g. `'AdamW'`; loading into another class is refused. */
  readonly optimizer: string;
  /** Number of `step()` calls made. */
  readonly step: number;
  /** Per parameter, the number of updates it received (steps where its gradient was not `null`). */
  readonly paramSteps: readonly number[];
  /** Learning rate (`lr`) and the other hyperparameters. */
  readonly hyperparameters: Hyperparameters;
  /** State tensors keyed `'<paramIndex>.<slot>'`. */
  readonly tensors: Readonly<Record<string, Tensor>>;
}

/** Throws unless `value` is a finite number ≥ 0 (or > 0 with `positive`). @internal */
export function checkNonNegative(op: string, name: string, value: unknown, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new InvalidArgumentError(
      op,
      `${name} must be a ${positive ? 'positive' : 'non-negative'} finite number, got ${String(value)}`,
    );
  }
  return value;
}

/** Throws unless `value` is a boolean. @internal */
export function checkBoolean(op: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidArgumentError(op, `${name} must be a boolean, got ${String(value)}`);
  return value;
}

/**
 * Base class of the optimizers. An optimizer holds a list of parameter tensors (f32, usually marked with
 * `requireGrad`) and, on {@link Optimizer.step}, updates them **in place** (their storage, so every holder of
 * the tensor objects sees the new values) from gradients given in the same order, e.g. the result of
 * `gradients(loss, params)`. It never disposes the gradients: they belong to the caller (use `tidy`).
 * State tensors (moments) live across steps and are freed by {@link Optimizer.dispose}.
 * @typeParam C - The subclass's validated hyperparameters (without the learning rate).
 */
export abstract class Optimizer<C extends object = object> {
  /** Class name stored in state dicts. */
  abstract readonly name: string;
  /** The parameters, in the order gradients are passed to {@link Optimizer.step}. */
  readonly params: readonly Tensor[];
  /** The hyperparameters other than the learning rate. */
  protected config: C;
  private lr: number;
  private steps = 0;
  private readonly perParamSteps: number[];
  private readonly slots: Map<string, Tensor>[];
  private disposed = false;

  /**
   * @param params - Parameters to optimise: distinct, f32, not disposed.
   * @param lr - Initial learning rate (≥ 0).
   * @param config - Validated hyperparameters.
   * @param op - Name for error messages (the subclass name).
   */
  protected constructor(params: readonly Tensor[], lr: number, config: C, op: string) {
    if (!Array.isArray(params)) throw new InvalidArgumentError(op, 'params must be an array of tensors');
    const seen = new Set<Tensor>();
    params.forEach((p, i) => {
      p.storage(op);
      if (p.dtype !== 'f32')
        throw new DTypeError(op, `parameter ${i} is ${p.dtype}; only f32 tensors can be optimised`);
      if (seen.has(p)) throw new InvalidArgumentError(op, `parameter ${i} appears more than once`);
      seen.add(p);
      if (p.backend !== params[0]!.backend)
        throw new BackendMismatchError(op, params[0]!.backend.name, p.backend.name);
    });
    this.params = Object.freeze([...params]);
    this.lr = checkNonNegative(op, 'lr', lr);
    this.config = config;
    this.perParamSteps = params.map(() => 0);
    this.slots = params.map(() => new Map());
  }

  /** The learning rate used by the next step. */
  get learningRate(): number {
    return this.lr;
  }

  /** Sets the learning rate for the following steps (e.g. from a schedule: `opt.setLearningRate(sched(opt.stepCount))`). */
  setLearningRate(lr: number): void {
    this.lr = checkNonNegative(`${this.name}.setLearningRate`, 'lr', lr);
  }

  /** Number of {@link Optimizer.step} calls made so far (restored by {@link Optimizer.loadStateDict}). */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * Updates every parameter whose gradient is not `null`, in place; parameters with a `null` gradient are
   * left untouched (no weight decay, no state change), as PyTorch does for `grad = None`. Runs under
   * `noGrad` and `tidy`: temporaries are freed, the gradients are not.
   * @param grads - One gradient (same shape as its parameter, f32) or `null` per parameter, in order.
   * @param lr - If given, the new learning rate (as {@link Optimizer.setLearningRate}) used from this step on.
   * @throws {@link InvalidArgumentError}, {@link ShapeError}, {@link DTypeError}, {@link BackendMismatchError}
   * on a mismatched gradient list; nothing is updated then.
   */
  step(grads: readonly (Tensor | null | undefined)[], lr?: number): void {
    const op = `${this.name}.step`;
    this.checkUsable(op);
    if (grads.length !== this.params.length) {
      throw new InvalidArgumentError(
        op,
        `got ${grads.length} gradients for ${this.params.length} parameters`,
      );
    }
    grads.forEach((g, i) => {
      const p = this.params[i]!;
      p.storage(op);
      if (!g) return;
      g.storage(op);
      if (!shapesEqual(g.shape, p.shape)) {
        throw new ShapeError(op, `gradient ${i} does not match its parameter`, [p.shape, g.shape]);
      }
      if (g.dtype !== 'f32') throw new DTypeError(op, `gradient ${i} is ${g.dtype}, expected f32`);
      if (g.backend !== p.backend) throw new BackendMismatchError(op, p.backend.name, g.backend.name);
    });
    if (lr !== undefined) this.setLearningRate(lr);
    noGrad(() =>
      tidy(() => {
        grads.forEach((g, i) => {
          if (!g) return;
          const t = ++this.perParamSteps[i]!;
          this.updateParameter(i, this.params[i]!, g, t);
        });
      }),
    );
    this.steps++;
  }

  /**
   * Computes one parameter's update (called inside `noGrad` + `tidy`) and writes it with `assign`.
   * @param index - Parameter index (for {@link Optimizer.getSlot} / {@link Optimizer.setSlot}).
   * @param step - This parameter's update count, starting at 1.
   */
  protected abstract updateParameter(index: number, param: Tensor, grad: Tensor, step: number): void;

  /** The subclass's hyperparameters as plain data (without `lr`). */
  protected abstract configRecord(): Hyperparameters;

  /** Validates hyperparameters read from a state dict (without `lr`); must not modify `this`. */
  protected abstract parseConfig(record: Hyperparameters): C;

  /** Slot names a parameter must have after `paramStep` updates under `config`. */
  protected abstract slotNames(config: C, paramStep: number): readonly string[];

  /** The state tensor `slot` of parameter `index`, if any. */
  protected getSlot(index: number, slot: string): Tensor | undefined {
    return this.slots[index]!.get(slot);
  }

  /**
   * Stores `value` as state `slot` of parameter `index`: it is kept (exempt from every `tidy` scope) and the
   * previous tensor in that slot is disposed. `value` must be a tensor the optimizer owns (not a gradient).
   */
  protected setSlot(index: number, slot: string, value: Tensor): void {
    const map = this.slots[index]!;
    const old = map.get(slot);
    map.set(slot, keep(value));
    if (old && old !== value) old.dispose();
  }

  /**
   * A snapshot of the optimizer state. The tensors are fresh copies owned by the caller (dispose them after
   * saving); later steps do not change them.
   */
  stateDict(): OptimizerStateDict {
    this.checkUsable(`${this.name}.stateDict`);
    const tensors: Record<string, Tensor> = {};
    noGrad(() => {
      this.slots.forEach((map, i) => {
        for (const [slot, t] of map) tensors[`${i}.${slot}`] = materialize(t);
      });
    });
    return {
      optimizer: this.name,
      step: this.steps,
      paramSteps: [...this.perParamSteps],
      hyperparameters: { lr: this.lr, ...this.configRecord() },
      tensors,
    };
  }

  /**
   * Restores a state saved by {@link Optimizer.stateDict} (possibly through a checkpoint file): step counts,
   * learning rate, hyperparameters and state tensors (copied: the caller may dispose `dict` afterwards).
   * Everything is validated before anything changes.
   * @throws {@link InvalidArgumentError} for another optimizer class, another parameter count, bad
   * hyperparameters, or missing/unknown state tensors; {@link ShapeError} / {@link DTypeError} /
   * {@link BackendMismatchError} for a state tensor that does not fit its parameter.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const op = `${this.name}.loadStateDict`;
    this.checkUsable(op);
    if (dict.optimizer !== this.name) {
      throw new InvalidArgumentError(op, `state dict is for '${dict.optimizer}', not '${this.name}'`);
    }
    if (!Number.isInteger(dict.step) || dict.step < 0) {
      throw new InvalidArgumentError(op, `step must be a non-negative integer, got ${dict.step}`);
    }
    const n = this.params.length;
    if (!Array.isArray(dict.paramSteps) || dict.paramSteps.length !== n) {
      throw new InvalidArgumentError(op, `paramSteps must list ${n} counts (one per parameter)`);
    }
    for (const s of dict.paramSteps) {
      if (!Number.isInteger(s) || s < 0)
        throw new InvalidArgumentError(op, `invalid parameter step count ${s}`);
    }
    const lr = checkNonNegative(op, 'lr', dict.hyperparameters.lr);
    for (const key of Object.keys(this.configRecord())) {
      if (!(key in dict.hyperparameters))
        throw new InvalidArgumentError(op, `hyperparameter '${key}' is missing`);
    }
    const config = this.parseConfig(dict.hyperparameters);
    const incoming = new Map<string, Tensor>(Object.entries(dict.tensors));
    const parsed: { index: number; slot: string; tensor: Tensor }[] = [];
    for (let i = 0; i < n; i++) {
      const p = this.params[i]!;
      for (const slot of this.slotNames(config, dict.paramSteps[i]!)) {
        const key = `${i}.${slot}`;
        const t = incoming.get(key);
        if (!t) throw new InvalidArgumentError(op, `missing state tensor '${key}'`);
        incoming.delete(key);
        t.storage(op);
        if (!shapesEqual(t.shape, p.shape)) {
          throw new ShapeError(op, `state tensor '${key}' does not match parameter ${i}`, [p.shape, t.shape]);
        }
        if (t.dtype !== 'f32') throw new DTypeError(op, `state tensor '${key}' is ${t.dtype}, expected f32`);
        if (t.backend !== p.backend) throw new BackendMismatchError(op, p.backend.name, t.backend.name);
        parsed.push({ index: i, slot, tensor: t });
      }
    }
    const extra = [...incoming.keys()];
    if (extra.length > 0) throw new InvalidArgumentError(op, `unexpected state tensors: ${extra.join(', ')}`);
    // Validated: now replace everything.
    this.clearSlots();
    noGrad(() => {
      for (const { index, slot, tensor } of parsed) this.setSlot(index, slot, materialize(tensor));
    });
    this.lr = lr;
    this.config = config;
    this.steps = dict.step;
    dict.paramSteps.forEach((s, i) => {
      this.perParamSteps[i] = s;
    });
  }

  /** Frees the state tensors. The parameters are not touched; the optimizer cannot be used afterwards. */
  dispose(): void {
    this.clearSlots();
    this.disposed = true;
  }

  private clearSlots(): void {
    for (const map of this.slots) {
      for (const t of map.values()) t.dispose();
      map.clear();
    }
  }

  private checkUsable(op: string): void {
    if (this.disposed) throw new InvalidArgumentError(op, 'the optimizer was disposed');
  }
}
