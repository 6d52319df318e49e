/**
 * The algorithm variants the tests compare: every value-level and packed scan, with several block sizes.
 */
import {
  type PackedScanFunction,
  type ScanFunction,
  scanBlelloch,
  scanBlockwise,
  scanHillisSteele,
  scanPackedBlelloch,
  scanPackedBlockwise,
  scanPackedHillisSteele,
  scanPackedSequential,
  scanSequential,
} from '../src/index.js';

/** Block sizes covering 1, small odd/even sizes and a size larger than any generated sequence. */
export const blockSizes = [1, 2, 3, 7, 1000] as const;

/** Named value-level scans. */
export const valueAlgorithms: readonly { name: string; scan: ScanFunction }[] = [
  { name: 'sequential', scan: scanSequential },
  ...blockSizes.map((blockSize) => ({
    name: `blockwise(${blockSize})`,
    scan: ((monoid, values, options) =>
      scanBlockwise(monoid, values, { ...options, blockSize })) as ScanFunction,
  })),
  { name: 'blelloch', scan: scanBlelloch },
  { name: 'hillis-steele', scan: scanHillisSteele },
];

/** Named packed scans. */
export const packedAlgorithms: readonly { name: string; scan: PackedScanFunction }[] = [
  { name: 'packed sequential', scan: scanPackedSequential },
  ...blockSizes.map((blockSize) => ({
    name: `packed blockwise(${blockSize})`,
    scan: ((monoid, input, output, options) =>
      scanPackedBlockwise(monoid, input, output, { ...options, blockSize })) as PackedScanFunction,
  })),
  { name: 'packed blelloch', scan: scanPackedBlelloch },
  { name: 'packed hillis-steele', scan: scanPackedHillisSteele },
];
