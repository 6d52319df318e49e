/**
 * Options shared by every scan function, value-level and packed.
 * @packageDocumentation
 */

/**
 * Direction and inclusivity of a scan over `x_0 … x_{n-1}` (⊕ is the monoid's `combine`, `e` its identity):
 *
 * | `reverse` | `exclusive` | output `y_i`                                       |
 * |-----------|-------------|----------------------------------------------------|
 * | false     | false       | `x_0 ⊕ x_1 ⊕ … ⊕ x_i`                              |
 * | false     | true        | `x_0 ⊕ … ⊕ x_{i-1}` (`y_0 = e`)                    |
 * | true      | false       | `x_i ⊕ x_{i+1} ⊕ … ⊕ x_{n-1}`                      |
 * | true      | true        | `x_{i+1} ⊕ … ⊕ x_{n-1}` (`y_{n-1} = e`)            |
 *
 * Reverse scans keep the original order inside every product: the earlier element is always the left
 * operand of `combine`, so non-commutative monoids (linear recurrence, segmented) stay correct.
 */
export interface ScanOptions {
  /** Leave each element out of its own output (`y_i` covers strictly earlier/later elements). Default `false`. */
  readonly exclusive?: boolean;
  /** Accumulate from the end: `y_i` covers `x_i … x_{n-1}` instead of `x_0 … x_i`. Default `false`. */
  readonly reverse?: boolean;
}

/** Options of the blockwise scans; other scans accept and ignore `blockSize`. */
export interface BlockwiseScanOptions extends ScanOptions {
  /** Elements per block (a positive integer). Default 256. Mirrors the workgroup tile of a GPU kernel. */
  readonly blockSize?: number;
}
