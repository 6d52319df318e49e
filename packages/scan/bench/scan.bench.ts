/**
 * CPU scan throughput (GB/s, bytes read + written) for each monoid and algorithm, against a plain
 * JavaScript loop computing the same prefix results, timed in the same run.
 */
import { defineSuite, isQuickBench, uniformFloat64 } from '@aaren/bench';
import {
  contiguousLine,
  type PackedMonoid,
  type PackedScanFunction,
  packedAttentionMonoid,
  packedLinearRecurrenceMonoid,
  packedLogSumExpMonoid,
  packedMaxMonoid,
  packedSumMonoid,
  scanPackedBlelloch,
  scanPackedBlockwise,
  scanPackedHillisSteele,
  scanPackedSequential,
} from '../src/index.js';

interface MonoidCase {
  readonly label: string;
  readonly monoid: PackedMonoid;
  /** Leaf elements, `width` numbers each. */
  readonly input: Float64Array;
  /** The same prefix computation as a hand-written loop over the leaves. */
  readonly plainLoop: (input: Float64Array, output: Float64Array) => void;
}

function monoidCases(n: number): MonoidCase[] {
  const x = uniformFloat64(n, 1);
  const attentionDim = 16;
  const attentionLeaves = new Float64Array(n * (attentionDim + 2));
  const scores = uniformFloat64(n, 2, -5, 5);
  const values = uniformFloat64(n * attentionDim, 3);
  for (let i = 0; i < n; i++) {
    const o = i * (attentionDim + 2);
    attentionLeaves[o] = scores[i]!; // m
    attentionLeaves[o + 1] = 1; // w
    attentionLeaves.set(values.subarray(i * attentionDim, (i + 1) * attentionDim), o + 2); // u
  }
  const recurrence = new Float64Array(2 * n);
  const decays = uniformFloat64(n, 4, 0.5, 1);
  for (let i = 0; i < n; i++) {
    recurrence[2 * i] = decays[i]!;
    recurrence[2 * i + 1] = x[i]!;
  }
  return [
    {
      label: 'sum',
      monoid: packedSumMonoid,
      input: x,
      plainLoop: (inp, out) => {
        let acc = 0;
        for (let i = 0; i < inp.length; i++) out[i] = acc += inp[i]!;
      },
    },
    {
      label: 'max',
      monoid: packedMaxMonoid,
      input: x,
      plainLoop: (inp, out) => {
        let acc = -Infinity;
        for (let i = 0; i < inp.length; i++) out[i] = acc = Math.max(acc, inp[i]!);
      },
    },
    {
      label: 'logsumexp',
      monoid: packedLogSumExpMonoid,
      input: x,
      plainLoop: (inp, out) => {
        let acc = -Infinity;
        for (let i = 0; i < inp.length; i++) {
          const v = inp[i]!;
          const m = Math.max(acc, v);
          acc = m + Math.log(Math.exp(acc - m) + Math.exp(v - m));
          out[i] = acc;
        }
      },
    },
    {
      label: 'linear-recurrence',
      monoid: packedLinearRecurrenceMonoid(1),
      input: recurrence,
      plainLoop: (inp, out) => {
        let a = 1;
        let h = 0;
        for (let i = 0; i < inp.length; i += 2) {
          a *= inp[i]!;
          h = inp[i]! * h + inp[i + 1]!;
          out[i] = a;
          out[i + 1] = h;
        }
      },
    },
    {
      label: `attention d=${attentionDim}`,
      monoid: packedAttentionMonoid(attentionDim),
      input: attentionLeaves,
      plainLoop: (inp, out) => {
        // The RNN form: running max m, denominator w, numerator u (paper §3.1).
        const width = attentionDim + 2;
        const u = new Float64Array(attentionDim);
        let m = -Infinity;
        let w = 0;
        for (let o = 0; o < inp.length; o += width) {
          const s = inp[o]!;
          const mNew = Math.max(m, s);
          const keep = Math.exp(m - mNew);
          const add = Math.exp(s - mNew);
          w = w * keep + add;
          for (let j = 0; j < attentionDim; j++) {
            u[j] = u[j]! * keep + add * inp[o + 2 + j]!;
            out[o + 2 + j] = u[j]!;
          }
          m = mNew;
          out[o] = m;
          out[o + 1] = w;
        }
      },
    },
  ];
}

const algorithms: [string, PackedScanFunction][] = [
  ['sequential', scanPackedSequential],
  ['blockwise', scanPackedBlockwise],
  ['blelloch', scanPackedBlelloch],
  ['hillis-steele', scanPackedHillisSteele],
];

export default defineSuite({
  name: 'scan-cpu',
  cases: () => {
    const n = isQuickBench() ? 1 << 14 : 1 << 20;
    const cases = [];
    for (const c of monoidCases(n)) {
      const width = c.monoid.width;
      const length = c.input.length / width;
      const output = new Float64Array(c.input.length);
      const bytes = 2 * c.input.length * Float64Array.BYTES_PER_ELEMENT;
      for (const [name, scan] of algorithms) {
        // Hillis–Steele does O(n log n) work: keep it to the small monoids.
        if (name === 'hillis-steele' && width > 2) continue;
        cases.push({
          name: `${c.label} ${name}`,
          backend: 'js-f64',
          size: length,
          work: bytes,
          unit: 'GB/s' as const,
          ours: () => scan(c.monoid, contiguousLine(c.input, width), contiguousLine(output, width)),
          baseline: { name: 'plain JS loop', fn: () => c.plainLoop(c.input, output) },
        });
      }
    }
    return cases;
  },
});
