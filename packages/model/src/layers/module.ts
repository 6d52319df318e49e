/**
 * {@link Module}: an explicit container of named parameters, the base of every layer, stack and task model.
 * No global state: a module is built from its configuration, then its tensors are created on a backend by
 * {@link Module.init} (from a seeded generator) or {@link Module.loadParameters} (from a checkpoint).
 * @packageDocumentation
 */
import {
  assign,
  type Backend,
  type Initializer,
  keep,
  noGrad,
  type Rng,
  requireGrad,
  type Shape,
  shapesEqual,
  type Tensor,
  zeros,
} from '@aaren/core';
import { ModuleStateError, ParameterMismatchError } from '../errors.js';

interface ParameterEntry {
  readonly kind: 'parameter';
  readonly shape: readonly number[];
  readonly init: Initializer;
  value: Tensor | null;
}

interface ChildEntry {
  readonly kind: 'module';
  readonly module: Module;
}

/**
 * Base class of layers and models. A subclass declares, in its constructor and in a fixed order, its own
 * parameters ({@link Module.addParameter}: name, shape, initialiser) and its sub-modules
 * ({@link Module.addModule}). Parameter names are dotted paths through the sub-modules, e.g.
 * `layers.0.attn.query`, stable across runs, and are the tensor names in checkpoints.
 *
 * - {@link Module.paramCount} and {@link Module.parameterShapes} need no tensors (no backend).
 * - {@link Module.init} creates every parameter in declaration order from one generator, so a seed fixes
 *   the weights on every backend; parameters are marked `requireGrad` and exempt from `tidy` scopes.
 * - {@link Module.parameters} returns them by name, in that same order (the optimizer's order).
 */
export abstract class Module {
  private readonly entries = new Map<string, ParameterEntry | ChildEntry>();
  private backendRef: Backend | null = null;

  /** Class name used in error messages. */
  get moduleName(): string {
    return this.constructor.name;
  }

  /**
   * Declares a parameter of this module. Call from the constructor, in a fixed order.
   * @param name - local name (no dots)
   * @param shape - its shape
   * @param init - how {@link Module.init} fills it
   */
  protected addParameter(name: string, shape: Shape, init: Initializer): void {
    this.checkNewName(name);
    this.entries.set(name, { kind: 'parameter', shape: [...shape], init, value: null });
  }

  /** Declares a sub-module (its parameters are named `name.*`) and returns it. */
  protected addModule<M extends Module>(name: string, module: M): M {
    this.checkNewName(name);
    this.entries.set(name, { kind: 'module', module });
    return module;
  }

  /** The current tensor of this module's own parameter `name`. @throws {@link ModuleStateError} before init. */
  protected param(name: string): Tensor {
    const entry = this.entries.get(name);
    if (entry?.kind !== 'parameter') {
      throw new ModuleStateError(this.moduleName, `has no parameter '${name}'`);
    }
    if (!entry.value) {
      throw new ModuleStateError(
        this.moduleName,
        `parameter '${name}' is used before init(backend, rng) or loadParameters()`,
      );
    }
    return entry.value;
  }

  private checkNewName(name: string): void {
    if (name.length === 0 || name.includes('.')) {
      throw new ModuleStateError(this.moduleName, `invalid member name '${name}' (non-empty, no dots)`);
    }
    if (this.entries.has(name))
      throw new ModuleStateError(this.moduleName, `member '${name}' declared twice`);
  }

  /** Whether the parameters exist (after {@link Module.init} or {@link Module.loadParameters}). */
  get initialized(): boolean {
    for (const [, entry] of this.walk()) if (!entry.value) return false;
    return true;
  }

  /** The backend holding the parameters. @throws {@link ModuleStateError} before init. */
  get backend(): Backend {
    if (!this.backendRef) throw new ModuleStateError(this.moduleName, 'has no backend before init()');
    return this.backendRef;
  }

  /** Every parameter entry with its dotted name, in declaration order (depth first). */
  private *walk(prefix = ''): Generator<[string, ParameterEntry, Module]> {
    for (const [name, entry] of this.entries) {
      const full = prefix + name;
      if (entry.kind === 'parameter') yield [full, entry, this];
      else yield* entry.module.walk(`${full}.`);
    }
  }

  private setBackend(backend: Backend): void {
    this.backendRef = backend;
    for (const entry of this.entries.values()) if (entry.kind === 'module') entry.module.setBackend(backend);
  }

  /**
   * Creates every parameter on `backend`, in declaration order, drawing from `rng`. Replaces (and disposes)
   * existing values. Returns `this`.
   */
  init(backend: Backend, rng: Rng): this {
    noGrad(() => {
      for (const [, entry] of this.walk()) {
        const value = keep(requireGrad(entry.init(backend, entry.shape, rng)));
        entry.value?.dispose();
        entry.value = value;
      }
    });
    this.setBackend(backend);
    return this;
  }

  /** Parameters by dotted name, in declaration order. @throws {@link ModuleStateError} before init. */
  parameters(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [name, entry] of this.walk()) {
      if (!entry.value) {
        throw new ModuleStateError(
          this.moduleName,
          `parameter '${name}' is used before init(backend, rng) or loadParameters()`,
        );
      }
      out.set(name, entry.value);
    }
    return out;
  }

  /** Parameter shapes by dotted name (no backend needed). */
  parameterShapes(): Map<string, readonly number[]> {
    const out = new Map<string, readonly number[]>();
    for (const [name, entry] of this.walk()) out.set(name, entry.shape);
    return out;
  }

  /** Number of scalar parameters (no backend needed). */
  paramCount(): number {
    let n = 0;
    for (const [, entry] of this.walk()) n += entry.shape.reduce((p, d) => p * d, 1);
    return n;
  }

  /**
   * Sets every parameter from `values` (e.g. read from a checkpoint), by dotted name. The values are copied:
   * into the existing tensors when the module is initialised (same objects, so optimizers holding them keep
   * working), otherwise into new tensors on `backend`; the caller keeps ownership of `values`. Every name, shape and dtype is checked
   * before anything changes.
   * @throws {@link ParameterMismatchError} for a missing, unexpected or mis-shaped parameter.
   */
  loadParameters(
    backend: Backend,
    values: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>,
  ): this {
    const map = values instanceof Map ? values : new Map(Object.entries(values));
    const entries = [...this.walk()];
    for (const [name, entry] of entries) {
      const v = map.get(name);
      if (!v) throw new ParameterMismatchError(this.moduleName, name, 'is missing');
      if (v.dtype !== 'f32')
        throw new ParameterMismatchError(this.moduleName, name, `is ${v.dtype}, not f32`);
      if (v.backend !== backend || (entry.value && entry.value.backend !== backend)) {
        throw new ParameterMismatchError(
          this.moduleName,
          name,
          `lives on backend '${v.backend.name}'; load it onto '${backend.name}' (the module's backend) first`,
        );
      }
      if (!shapesEqual(v.shape, entry.shape)) {
        throw new ParameterMismatchError(
          this.moduleName,
          name,
          `has shape [${v.shape.join(', ')}], expected [${entry.shape.join(', ')}]`,
        );
      }
    }
    const known = new Set(entries.map(([n]) => n));
    for (const name of map.keys()) {
      if (!known.has(name))
        throw new ParameterMismatchError(this.moduleName, name, 'is not a parameter of this model');
    }
    noGrad(() => {
      for (const [name, entry] of entries) {
        const source = map.get(name)!;
        if (entry.value) {
          assign(entry.value, source);
        } else {
          const created = zeros(backend, entry.shape);
          assign(created, source);
          entry.value = keep(requireGrad(created));
        }
      }
    });
    this.setBackend(backend);
    return this;
  }

  /**
   * Runs `fn` with some parameters replaced by other tensors (by dotted name), then restores them. For
   * functional use: finite-difference gradient checks, evaluating perturbed or averaged weights.
   */
  withParameters<T>(overrides: ReadonlyMap<string, Tensor>, fn: () => T): T {
    const saved: [ParameterEntry, Tensor | null][] = [];
    const known = new Set([...this.walk()].map(([n]) => n));
    for (const name of overrides.keys()) {
      if (!known.has(name))
        throw new ParameterMismatchError(this.moduleName, name, 'is not a parameter of this model');
    }
    for (const [name, entry] of this.walk()) {
      const v = overrides.get(name);
      if (!v) continue;
      if (!shapesEqual(v.shape, entry.shape)) {
        throw new ParameterMismatchError(
          this.moduleName,
          name,
          `override has shape [${v.shape.join(', ')}], expected [${entry.shape.join(', ')}]`,
        );
      }
      saved.push([entry, entry.value]);
      entry.value = v;
    }
    try {
      return fn();
    } finally {
      for (const [entry, value] of saved) entry.value = value;
    }
  }

  /** Frees every parameter tensor; the module needs {@link Module.init} or a load before further use. */
  dispose(): void {
    for (const [, entry] of this.walk()) {
      entry.value?.dispose();
      entry.value = null;
    }
  }
}
