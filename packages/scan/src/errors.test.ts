import { describe, expect, it } from 'vitest';
import {
  attentionCodec,
  attentionFromScores,
  attentionLeaf,
  attentionMonoid,
  contiguousLine,
  linearRecurrenceLoop,
  packedAttentionFromScores,
  packedFromValues,
  packedSumMonoid,
  reducePacked,
  ScanError,
  scalarCodec,
  scanAxis,
  scanBlockwise,
  scanPackedBlockwise,
  scanPackedSequential,
  segmentedScan,
  segmentedScanPacked,
  sumMonoid,
  valuesFromPacked,
} from './index.js';

/** Runs `f` and returns the ScanError it throws. */
function scanError(f: () => unknown): ScanError {
  try {
    f();
  } catch (e) {
    if (e instanceof ScanError) return e;
    throw e;
  }
  throw new Error('expected a ScanError');
}

describe('ScanError', () => {
  it('names the function, the argument and the rejected value', () => {
    const e = scanError(() => scanBlockwise(sumMonoid, [1, 2], { blockSize: 0 }));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ScanError');
    expect(e.code).toBe('E_SCAN_ARGUMENT');
    expect(e.fn).toBe('scanBlockwise');
    expect(e.argument).toBe('options.blockSize');
    expect(e.message).toBe('scanBlockwise: options.blockSize must be a positive integer, got 0');
  });

  it.each([
    [
      () => scanBlockwise(sumMonoid, [1], { blockSize: 1.5 }),
      /blockSize must be a positive integer, got 1.5/,
    ],
    [() => scanPackedBlockwise(packedSumMonoid, line(2), line(2), { blockSize: -1 }), /got -1/],
    [
      () => segmentedScan(sumMonoid, [1, 2, 3], [true]),
      /segmentedScan: flags has length 1 but there are 3 values/,
    ],
    [
      () => segmentedScanPacked(packedSumMonoid, line(3), [1, 0, 0], line(2)),
      /segmentedScanPacked: output.length is 2 but input.length is 3/,
    ],
    [
      () => scanPackedSequential(packedSumMonoid, line(3), line(2)),
      /output.length is 2 but input.length is 3/,
    ],
    [
      () =>
        scanPackedSequential(
          packedSumMonoid,
          { data: new Float64Array(3), offset: 1, stride: 1, length: 3 },
          line(3),
        ),
      /scanPackedSequential: input \(offset 1, stride 1, length 3, width 1\) spans entries \[1, 4\) outside an array of length 3/,
    ],
    [
      () =>
        scanPackedSequential(packedSumMonoid, line(3), {
          data: new Float64Array(3),
          offset: 0,
          stride: 0,
          length: 3,
        }),
      /output.stride is 0, so elements of width 1 would overlap/,
    ],
    [() => contiguousLine(new Float64Array(5), 2), /not a whole number of elements of width 2/],
    [
      () => scanAxis(packedSumMonoid, new Float64Array(6), [2, 3], 2),
      /scanAxis: axis 2 is out of range for rank 2/,
    ],
    [
      () => scanAxis(packedSumMonoid, new Float64Array(6), [2, 4], 0),
      /shape \[2, 4\] has 8 entries but data has length 6/,
    ],
    [
      () => scanAxis(attentionMonoidPacked(), new Float64Array(12), [4, 3], 0),
      /shape \[4, 3\] must end with the monoid's element width 4/,
    ],
    [
      () => scanAxis(packedSumMonoid, new Float64Array(6), [2, 3], 0, { output: new Float64Array(5) }),
      /options.output has length 5 but data has length 6/,
    ],
    [() => attentionMonoid(0), /attentionMonoid: dim must be a positive integer, got 0/],
    [() => attentionLeaf(Number.NaN, [1]), /attentionLeaf: score must not be NaN/],
    [() => attentionFromScores([1, 2], [[1]]), /values has 1 vectors but there are 2 scores/],
    [() => attentionFromScores([1, 2], [[1], [1, 2]]), /values\[1\] has length 2, expected 1/],
    [() => attentionMonoid(2).combine(attentionLeaf(0, [1]), attentionLeaf(0, [1])), /expects u of length 2/],
    [
      () => packedAttentionFromScores([1, 2], [1, 2, 3], 2),
      /values has length 3 but 2 scores × dim 2 need 4/,
    ],
    [() => packedFromValues(scalarCodec, [1, 2], new Float64Array(1)), /out has length 1 but 2 elements/],
    [() => valuesFromPacked(attentionCodec(1), new Float64Array(4)), /cannot hold 1.333/],
    [() => reducePacked(packedSumMonoid, line(2), new Float64Array(1), 1), /outOffset 1 leaves no room/],
    [() => linearRecurrenceLoop([1, 2], [1]), /b has length 1 but a has length 2/],
  ])('rejects bad arguments with a clear message (%#)', (f, message) => {
    expect(scanError(f).message).toMatch(message);
  });
});

function line(n: number) {
  return contiguousLine(new Float64Array(n), 1);
}

function attentionMonoidPacked() {
  return { name: 'w4', width: 4, setIdentity: () => {}, combine: () => {} };
}
