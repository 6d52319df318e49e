/**
 * The one error class thrown by `@aaren/scan`. Messages name the function, the argument and the value or
 * shape that was rejected, so a caller can fix the call without reading the library's source.
 * @packageDocumentation
 */

/** Formats a shape as `[2, 3, 4]` for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * An argument passed to a scan function or monoid constructor was invalid (bad block size, mismatched
 * lengths, an axis out of range, a packed line that runs outside its array...).
 *
 * @example
 * ```ts
 * try {
 *   scanBlockwise(sumMonoid, [1, 2], { blockSize: 0 });
 * } catch (e) {
 *   if (e instanceof ScanError) console.log(e.fn, e.argument, e.message);
 *   // scanBlockwise blockSize "scanBlockwise: blockSize must be a positive integer, got 0"
 * }
 * ```
 */
export class ScanError extends Error {
  /** Stable machine-readable identifier, shared with the `code` convention of `@aaren/core` errors. */
  readonly code = 'E_SCAN_ARGUMENT' as const;
  /** Name of the function (or monoid constructor) that rejected the call, e.g. `'scanAxis'`. */
  readonly fn: string;
  /** Name of the offending argument or option, e.g. `'axis'` or `'options.blockSize'`. */
  readonly argument: string;
  /**
   * @param fn - the function that rejected the call
   * @param argument - the argument or option that was wrong
   * @param detail - what was wrong with it, including the received value or shape
   */
  constructor(fn: string, argument: string, detail: string) {
    super(`${fn}: ${argument} ${detail}`);
    this.name = new.target.name;
    this.fn = fn;
    this.argument = argument;
  }
}
