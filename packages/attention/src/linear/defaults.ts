/**
 * Default options of the linear-attention ops.
 * @packageDocumentation
 */

/** Default chunk size of the chunked form. */
export const DEFAULT_LINEAR_CHUNK_SIZE = 64;

/** Default `eps` added to the normaliser. */
export const DEFAULT_LINEAR_EPS = 1e-6;
