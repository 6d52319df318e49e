/**
 * {@link createEncoder}: an Aaren or Transformer stack by name.
 * @packageDocumentation
 */
import { ModelConfigError } from '../errors.js';
import { AarenStack } from './aaren-stack.js';
import type { EncoderConfig } from './encoder-config.js';
import type { EncoderKind } from './sequence-encoder.js';
import { TransformerStack } from './transformer-stack.js';

/** Either encoder. */
export type Encoder = AarenStack | TransformerStack;

/** A new (uninitialised) encoder of `kind` with `config`. */
export function createEncoder(kind: EncoderKind, config: EncoderConfig): Encoder {
  if (kind === 'aaren') return new AarenStack(config);
  if (kind === 'transformer') return new TransformerStack(config);
  throw new ModelConfigError(
    'createEncoder',
    'backbone',
    `must be 'aaren' or 'transformer', got ${JSON.stringify(kind)}`,
  );
}
