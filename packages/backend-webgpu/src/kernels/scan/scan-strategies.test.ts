/**
 * Every scan path — the single-pass decoupled look-back (with and without reading published states), the
 * three-pass reduce-then-scan fallback and the barrier-free serial form for software adapters — forced by option and checked against the CPU backend on sequences
 * long enough to span many tiles: cumsum/cummax (f32, i32, NaN, many columns) and the attention monoid
 * (forward, backward, and the fused scores-from-q·K kernel).
 */
import { type Backend, cpuBackend } from '@aaren/core';
import { createTestRng, EXACT, expectAllClose, type Tolerance } from '@aaren/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebGPUBackend, type WebGPUBackend, type WebGPUBackendOptions } from '../../create-backend.js';
import { requestNodeAdapter } from '../../node.js';
import { runBoth } from '../../testing/compare.js';
import { describeGpu } from '../../testing/node-adapter.js';

const SCAN_TOL: Tolerance = { rtol: 1e-4, atol: 1e-4 };
const ATTENTION_TOL: Tolerance = { rtol: 2e-4, atol: 2e-5 };

const STRATEGIES: { name: string; options: WebGPUBackendOptions }[] = [
  { name: 'decoupled look-back', options: { scanStrategy: 'lookback' } },
  {
    name: 'look-back, every predecessor reduced by the waiter (spin limit 0)',
    options: { scanStrategy: 'lookback', lookbackSpinLimit: 0 },
  },
  { name: 'reduce-then-scan', options: { scanStrategy: 'reduce-then-scan' } },
  { name: 'serial (software adapters)', options: { scanStrategy: 'serial' } },
];

const cpu = cpuBackend();

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, label: string): void {
  expectAllClose(
    Array.from(actual),
    Array.from(expected, (e) => Math.fround(e)),
    tol,
    label,
  );
}

/** Scores with a masked prefix, scattered −∞ and a few ±1e4 spikes. */
function scoresFor(seed: number, rows: number, n: number): Float32Array {
  const rng = createTestRng(seed);
  const s = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const prefix = r === 0 ? 5 : 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      s[r * n + i] =
        i < prefix || u < 0.05 ? -Infinity : u < 0.06 ? (rng.bool() ? 1e4 : -1e4) : rng.normal(0, 3);
    }
  }
  return s;
}

for (const strategy of STRATEGIES) {
  describeGpu(`scan strategy: ${strategy.name}`, () => {
    let gpu: WebGPUBackend;
    beforeAll(async () => {
      gpu = await createWebGPUBackend({ adapter: await requestNodeAdapter() }, strategy.options);
    });
    afterAll(() => gpu?.dispose());

    it('uses the requested strategy', () => {
      expect(gpu.scanStrategy).toBe(strategy.options.scanStrategy);
    });

    it('cumsum (f32) over 6000 positions, all four directions', async () => {
      const rng = createTestRng(1);
      const shape = [1, 6000, 1];
      const x = rng.floats(6000, -1, 1);
      for (const reverse of [false, true]) {
        for (const exclusive of [false, true]) {
          const [ours, ref] = await runBoth(
            gpu,
            cpu,
            { x: { dtype: 'f32', shape, data: x }, out: { dtype: 'f32', shape, data: null } },
            (b, v) => b.kernels.cumsum(v.x!, v.out!, { reverse, exclusive }),
          );
          close(ours.out!, ref.out!, SCAN_TOL, `cumsum reverse=${reverse} exclusive=${exclusive}`);
        }
      }
    });

    it('cumsum (i32, wrapping) and cummax (f32 with −∞ and NaN) over several columns', async () => {
      const rng = createTestRng(2);
      const ints = rng.ints(3 * 3000 * 2, -1_000_000_000, 1_000_000_000);
      const [oursI, refI] = await runBoth(
        gpu,
        cpu,
        {
          x: { dtype: 'i32', shape: [3, 3000, 2], data: ints },
          out: { dtype: 'i32', shape: [3, 3000, 2], data: null },
        },
        (b, v) => b.kernels.cumsum(v.x!, v.out!, { reverse: false, exclusive: false }),
      );
      // The CPU sums in float64 and stores into an Int32Array, which wraps like 32-bit arithmetic.
      expect(Array.from(oursI.out!)).toEqual(Array.from(refI.out!));
      const f = rng.normals(2 * 5000 * 3, 0, 3);
      f[4000] = -Infinity;
      f[12345] = Number.NaN;
      const [ours, ref] = await runBoth(
        gpu,
        cpu,
        {
          x: { dtype: 'f32', shape: [2, 5000, 3], data: f },
          out: { dtype: 'f32', shape: [2, 5000, 3], data: null },
        },
        (b, v) => b.kernels.cummax(v.x!, v.out!, { reverse: true, exclusive: true }),
      );
      close(ours.out!, ref.out!, EXACT, 'cummax');
    });

    it('cumsum with 70 columns (two lane chunks)', async () => {
      const rng = createTestRng(3);
      const shape = [2, 700, 70];
      const x = rng.floats(2 * 700 * 70, -1, 1);
      const [ours, ref] = await runBoth(
        gpu,
        cpu,
        { x: { dtype: 'f32', shape, data: x }, out: { dtype: 'f32', shape, data: null } },
        (b, v) => b.kernels.cumsum(v.x!, v.out!, { reverse: true, exclusive: false }),
      );
      close(ours.out!, ref.out!, SCAN_TOL, 'cumsum [2, 700, 70]');
    });

    for (const [R, N, D] of [
      [2, 2500, 3],
      [1, 700, 70],
    ] as const) {
      it(`attentionScan and its backward [R ${R}, N ${N}, D ${D}]`, async () => {
        const rng = createTestRng(4 + D);
        const scores = scoresFor(5 + D, R, N);
        const values = rng.normals(R * N * D);
        const forward = {
          scores: { dtype: 'f32', shape: [R, N], data: scores },
          values: { dtype: 'f32', shape: [R, N, D], data: values },
          out: { dtype: 'f32', shape: [R, N, D], data: null },
          maxOut: { dtype: 'f32', shape: [R, N], data: null },
          denomOut: { dtype: 'f32', shape: [R, N], data: null },
        } as const;
        const [ours, ref] = await runBoth(gpu, cpu, forward, (b, v) =>
          b.kernels.attentionScan(v.scores!, v.values!, v.out!, v.maxOut!, v.denomOut!),
        );
        close(ours.out!, ref.out!, ATTENTION_TOL, 'out');
        close(ours.maxOut!, ref.maxOut!, EXACT, 'maxOut');
        close(ours.denomOut!, ref.denomOut!, ATTENTION_TOL, 'denomOut');
        const backward = {
          scores: forward.scores,
          values: forward.values,
          out: { dtype: 'f32', shape: [R, N, D], data: ref.out! },
          maxOut: { dtype: 'f32', shape: [R, N], data: ref.maxOut! },
          denomOut: { dtype: 'f32', shape: [R, N], data: ref.denomOut! },
          gradOut: { dtype: 'f32', shape: [R, N, D], data: rng.normals(R * N * D) },
          gradScores: { dtype: 'f32', shape: [R, N], data: null },
          gradValues: { dtype: 'f32', shape: [R, N, D], data: null },
        } as const;
        const [oursB, refB] = await runBoth(gpu, cpu, backward, (b, v) =>
          b.kernels.attentionScanBackward(
            v.scores!,
            v.values!,
            v.out!,
            v.maxOut!,
            v.denomOut!,
            v.gradOut!,
            v.gradScores!,
            v.gradValues!,
          ),
        );
        close(oursB.gradValues!, refB.gradValues!, { rtol: 1e-3, atol: 1e-4 }, 'gradValues');
        close(oursB.gradScores!, refB.gradScores!, { rtol: 1e-3, atol: 1e-4 }, 'gradScores');
      });
    }

    it('linear recurrence h_t = a_t h_{t−1} + b_t (the (a, b) monoid) with an initial state', async () => {
      const rng = createTestRng(10);
      const [outer, n, inner] = [2, 3000, 5];
      const a = rng.floats(outer * n, 0.9, 1.0);
      const b = rng.floats(outer * n * inner, -1, 1);
      const h0 = rng.floats(outer * inner, -1, 1);
      const expected = new Float64Array(outer * n * inner);
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          let h = h0[o * inner + j]!;
          for (let t = 0; t < n; t++) {
            h = a[o * n + t]! * h + b[(o * n + t) * inner + j]!;
            expected[(o * n + t) * inner + j] = h;
          }
        }
      }
      const [ours] = await runBoth(
        gpu,
        cpu,
        {
          a: { dtype: 'f32', shape: [outer, n], data: a },
          b: { dtype: 'f32', shape: [outer, n, inner], data: b },
          h0: { dtype: 'f32', shape: [outer, inner], data: h0 },
          out: { dtype: 'f32', shape: [outer, n, inner], data: null },
        },
        (backend, v) => {
          if (backend === (gpu as Backend))
            gpu.fused.linearRecurrence({ a: v.a!, b: v.b!, initial: v.h0!, out: v.out! });
        },
      );
      close(ours.out!, expected, { rtol: 1e-4, atol: 1e-4 }, 'linear recurrence');
    });

    it('fused attention scan (scores from q·K in the kernel) and its backward equal the CPU path', async () => {
      const rng = createTestRng(9);
      const [R, N, Dk, D] = [3, 1500, 16, 8];
      const scale = 1 / Math.sqrt(Dk);
      const q = rng.normals(R * Dk);
      const keys = rng.normals(R * N * Dk);
      const values = rng.normals(R * N * D);
      const gradOut = rng.normals(R * N * D);
      // CPU path: scores computed on the host, then the CPU kernels.
      const scores = new Float32Array(R * N);
      for (let r = 0; r < R; r++) {
        for (let i = 0; i < N; i++) {
          let s = 0;
          for (let c = 0; c < Dk; c++) s += q[r * Dk + c]! * keys[(r * N + i) * Dk + c]!;
          scores[r * N + i] = s * scale;
        }
      }
      const operands = {
        q: { dtype: 'f32', shape: [R, Dk], data: q },
        keys: { dtype: 'f32', shape: [R, N, Dk], data: keys },
        values: { dtype: 'f32', shape: [R, N, D], data: values },
        gradOut: { dtype: 'f32', shape: [R, N, D], data: gradOut },
        scores: { dtype: 'f32', shape: [R, N], data: null },
        out: { dtype: 'f32', shape: [R, N, D], data: null },
        maxOut: { dtype: 'f32', shape: [R, N], data: null },
        denomOut: { dtype: 'f32', shape: [R, N], data: null },
        gradQ: { dtype: 'f32', shape: [R, Dk], data: null },
        gradKeys: { dtype: 'f32', shape: [R, N, Dk], data: null },
        gradValues: { dtype: 'f32', shape: [R, N, D], data: null },
        gradScores: { dtype: 'f32', shape: [R, N], data: null },
      } as const;
      const [ours, ref] = await runBoth(gpu, cpu, operands, (b, v) => {
        if (b === (gpu as Backend)) {
          const args = {
            q: v.q!,
            keys: v.keys!,
            values: v.values!,
            scale,
            out: v.out!,
            maxOut: v.maxOut!,
            denomOut: v.denomOut!,
          };
          gpu.fused.attentionScanFused({ ...args, scoresOut: v.scores! });
          gpu.fused.attentionScanFusedBackward({
            ...args,
            scores: v.scores!,
            gradOut: v.gradOut!,
            gradQ: v.gradQ!,
            gradKeys: v.gradKeys!,
            gradValues: v.gradValues!,
          });
          return;
        }
        b.write(v.scores!.buffer, scores, 1);
        b.kernels.attentionScan(v.scores!, v.values!, v.out!, v.maxOut!, v.denomOut!);
        b.kernels.attentionScanBackward(
          v.scores!,
          v.values!,
          v.out!,
          v.maxOut!,
          v.denomOut!,
          v.gradOut!,
          v.gradScores!,
          v.gradValues!,
        );
      });
      close(ours.scores!, scores, { rtol: 1e-5, atol: 1e-5 }, 'scores');
      close(ours.out!, ref.out!, ATTENTION_TOL, 'out');
      close(ours.maxOut!, ref.maxOut!, { rtol: 1e-5, atol: 1e-5 }, 'maxOut');
      close(ours.denomOut!, ref.denomOut!, ATTENTION_TOL, 'denomOut');
      close(ours.gradValues!, ref.gradValues!, { rtol: 1e-3, atol: 1e-4 }, 'gradValues');
      // ∂L/∂q = scale Σ_i gs_i k_i and ∂L/∂k_i = scale gs_i q from the CPU score gradients.
      const gs = ref.gradScores!;
      const gradQ = new Float64Array(R * Dk);
      const gradKeys = new Float64Array(R * N * Dk);
      for (let r = 0; r < R; r++) {
        for (let i = 0; i < N; i++) {
          for (let c = 0; c < Dk; c++) {
            gradQ[r * Dk + c]! += scale * gs[r * N + i]! * keys[(r * N + i) * Dk + c]!;
            gradKeys[(r * N + i) * Dk + c] = scale * gs[r * N + i]! * q[r * Dk + c]!;
          }
        }
      }
      close(ours.gradQ!, gradQ, { rtol: 1e-3, atol: 1e-4 }, 'gradQ');
      close(ours.gradKeys!, gradKeys, { rtol: 1e-3, atol: 1e-4 }, 'gradKeys');
    });
  });
}
