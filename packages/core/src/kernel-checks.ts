/**
 * Argument checks shared by backends: every backend validates kernel arguments the same way and throws
 * the same typed errors, so these live in core next to the contract (for backend authors; ops never need
 * them).
 * @packageDocumentation
 */
import type { MatmulOptions, TensorView } from './backend.js';
import { InvalidArgumentError, ShapeError } from './errors.js';

/** Extents of a batched matrix product. */
export interface MatmulExtents {
  readonly batch: number;
  readonly M: number;
  readonly N: number;
  readonly K: number;
}

/**
 * Checks the views of a `matmul` kernel call (`a: [batch, M, K]` or `[batch, K, M]` when transposed,
 * `b: [batch, K, N]` or `[batch, N, K]`, `out: [batch, M, N]`) and returns the extents.
 * @throws {@link ShapeError} naming all three shapes when they do not fit together.
 */
export function matmulExtents(
  a: TensorView,
  b: TensorView,
  out: TensorView,
  options: MatmulOptions,
): MatmulExtents {
  const { transposeA, transposeB } = options;
  const [batch = 0, M = 0, N = 0] = out.shape;
  const K = (transposeA ? a.shape[1] : a.shape[2]) ?? 0;
  const aM = transposeA ? a.shape[2] : a.shape[1];
  const bK = transposeB ? b.shape[2] : b.shape[1];
  const bN = transposeB ? b.shape[1] : b.shape[2];
  if (
    a.shape.length !== 3 ||
    b.shape.length !== 3 ||
    out.shape.length !== 3 ||
    a.shape[0] !== batch ||
    b.shape[0] !== batch ||
    aM !== M ||
    bK !== K ||
    bN !== N
  ) {
    throw new ShapeError(
      'matmul',
      `inner or batch extents do not match (transposeA=${transposeA}, transposeB=${transposeB})`,
      [a.shape, b.shape, out.shape],
    );
  }
  return { batch, M, N, K };
}

/**
 * Resolves the `offset`/`size` of a `read` or `write` against a buffer of `bufferSize` elements
 * (`size` defaults to the rest of the buffer) and returns the element count.
 * @throws {@link InvalidArgumentError} naming `op` when the range is not inside the buffer.
 */
export function bufferRange(
  op: string,
  bufferSize: number,
  offset: number,
  size: number | undefined,
): number {
  const n = size ?? bufferSize - offset;
  if (!Number.isInteger(offset) || !Number.isInteger(n) || offset < 0 || n < 0 || offset + n > bufferSize) {
    throw new InvalidArgumentError(
      op,
      `range [${offset}, ${offset + n}) is outside the buffer of ${bufferSize} elements`,
    );
  }
  return n;
}

/**
 * Checks the `groups` argument of a `groupNorm` kernel call against the `channels` of its input.
 * @throws {@link InvalidArgumentError} unless `groups` is a positive divisor of `channels`.
 */
export function checkGroupNormGroups(channels: number, groups: number): void {
  if (!Number.isInteger(groups) || groups <= 0 || channels % groups !== 0) {
    throw new InvalidArgumentError(
      'groupNorm',
      `groups = ${groups} must be a positive divisor of the ${channels} channels`,
    );
  }
}
