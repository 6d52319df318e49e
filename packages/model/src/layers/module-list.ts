/**
 * {@link ModuleList}: numbered sub-modules (`layers.0`, `layers.1`, ...).
 * @packageDocumentation
 */
import { Module } from './module.js';

/** A list of sub-modules named by their index, so parameter names read `layers.0.attn.query`. */
export class ModuleList<M extends Module> extends Module {
  /** The modules, in order. */
  readonly items: readonly M[];

  constructor(items: readonly M[]) {
    super();
    items.forEach((m, i) => {
      this.addModule(String(i), m);
    });
    this.items = Object.freeze([...items]);
  }

  /** Number of modules. */
  get length(): number {
    return this.items.length;
  }
}
