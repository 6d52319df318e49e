/**
 * Internal: validation and reverse handling shared by the packed scans.
 * @packageDocumentation
 */
import { ScanError } from '../errors.js';
import { dualPackedMonoid, type PackedMonoid } from '../packed-monoid.js';
import type { ScanOptions } from '../scan-options.js';
import { checkLine, type PackedLine, reverseLine } from './line.js';

/** A validated, forward-oriented packed scan problem. */
export interface OrientedProblem {
  readonly monoid: PackedMonoid;
  readonly input: PackedLine;
  readonly output: PackedLine;
  readonly exclusive: boolean;
}

/**
 * Checks both lines and, for `reverse: true`, returns reversed views of them with the dual monoid so that
 * a forward scan computes `y_i = x_i ⊕ … ⊕ x_{n−1}` in the original order.
 */
export function orientPacked(
  fn: string,
  monoid: PackedMonoid,
  input: PackedLine,
  output: PackedLine,
  options: ScanOptions,
): OrientedProblem {
  checkLine(fn, 'input', input, monoid.width, false);
  checkLine(fn, 'output', output, monoid.width, true);
  if (input.length !== output.length) {
    throw new ScanError(fn, 'output.length', `is ${output.length} but input.length is ${input.length}`);
  }
  const exclusive = options.exclusive ?? false;
  if (!options.reverse) return { monoid, input, output, exclusive };
  return {
    monoid: dualPackedMonoid(monoid),
    input: reverseLine(input),
    output: reverseLine(output),
    exclusive,
  };
}
