/**
 * The contract of streaming states: what `createState` returns and `step` advances.
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';

/**
 * A recurrent state for token-by-token inference, created by an encoder's `createState(batch)` and advanced
 * in place by its `step(state, x)`. It owns its tensors (exempt from `tidy` scopes): call
 * {@link StreamingState.dispose} when done.
 */
export interface StreamingState {
  /** Which encoder made it. */
  readonly kind: 'aaren' | 'transformer';
  /** Batch size `B` of the streams. */
  readonly batch: number;
  /** Number of tokens consumed so far. */
  readonly position: number;
  /**
   * Bytes of sequence-dependent memory held now: Aaren's `(m, u, w)` per layer (constant in the number of
   * tokens), or the Transformer's cached keys and values (growing linearly).
   */
  stateBytes(): number;
  /** Bytes of inference-layout weight copies the state holds (constant; not sequence memory). */
  weightBytes(): number;
  /** Frees every tensor of the state. Idempotent. */
  dispose(): void;
}

/** Options of a streaming `step`. */
export interface StepOptions {
  /** `[B]` (f32 or i32): `0` skips this token for that stream (it is not attended by later tokens). */
  readonly mask?: Tensor | null;
}

/** Options of a parallel `forward`. */
export interface ForwardOptions {
  /** Padding mask `[B, N]` (f32 or i32): nonzero keeps a token, `0` means it is never attended. */
  readonly mask?: Tensor | null;
}
