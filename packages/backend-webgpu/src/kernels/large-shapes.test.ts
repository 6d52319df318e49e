/**
 * The paths the (small-shape) conformance suite does not reach: workgroup-per-row softmax and norms for long
 * rows, multi-level tree reductions over long axes (with ties and NaN for argmax), and the tiled matmul with
 * every transpose and a shared (batch-stride 0) operand — and, with `barrierFree`, the one-invocation-per-output
 * forms of the same kernels at these sizes. Checked against the CPU backend.
 */
import { cpuBackend, type TensorView } from '@aaren/core';
import { createTestRng, EXACT, expectAllClose } from '@aaren/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebGPUBackend, type WebGPUBackend } from '../create-backend.js';
import { requestNodeAdapter } from '../node.js';
import { runBoth } from '../testing/compare.js';
import { describeGpu } from '../testing/node-adapter.js';

const cpu = cpuBackend();

for (const barrierFree of [false, true])
  describeGpu(`large shapes (barrierFree: ${barrierFree})`, () => {
    let gpu: WebGPUBackend;
    beforeAll(async () => {
      gpu = await createWebGPUBackend({ adapter: await requestNodeAdapter() }, { barrierFree });
    });
    afterAll(() => gpu?.dispose());

    it('softmax, log-softmax, layer, RMS and group norm over long rows', async () => {
      const rng = createTestRng(21);
      const x = rng.normals(4 * 600, 0, 3);
      x[7] = -Infinity;
      const gamma = rng.normals(600, 1, 0.3);
      const beta = rng.normals(600);
      const operands = {
        x: { dtype: 'f32', shape: [4, 600], data: x },
        xs: { dtype: 'f32', shape: [4, 600], data: x.map((v) => (Number.isFinite(v) ? v : 0)) },
        gamma: { dtype: 'f32', shape: [600], data: gamma },
        beta: { dtype: 'f32', shape: [600], data: beta },
        sm: { dtype: 'f32', shape: [4, 600], data: null },
        lsm: { dtype: 'f32', shape: [4, 600], data: null },
        ln: { dtype: 'f32', shape: [4, 600], data: null },
        rms: { dtype: 'f32', shape: [4, 600], data: null },
        gn: { dtype: 'f32', shape: [4, 600], data: null },
      } as const;
      const [ours, ref] = await runBoth(gpu, cpu, operands, (b, v) => {
        const k = b.kernels;
        k.softmax(v.x!, v.sm!, false);
        k.softmax(v.x!, v.lsm!, true);
        k.layerNorm(v.xs!, v.gamma!, v.beta!, 1e-5, v.ln!);
        k.rmsNorm(v.xs!, v.gamma!, 1e-6, v.rms!);
        k.groupNorm(v.xs!, 3, v.gamma!, v.beta!, 1e-5, v.gn!);
      });
      expectAllClose(ours.sm!, ref.sm!, { rtol: 1e-5, atol: 1e-6 }, 'softmax');
      expectAllClose(ours.lsm!, ref.lsm!, { rtol: 1e-5, atol: 1e-5 }, 'log-softmax');
      for (const name of ['ln', 'rms', 'gn'] as const)
        expectAllClose(ours[name]!, ref[name]!, { rtol: 1e-4, atol: 1e-4 }, name);
    });

    it('reduces long axes over several levels (sum, max, min, argmax with ties and NaN, i32)', async () => {
      const rng = createTestRng(22);
      const shape = [2, 5000, 3];
      const x = rng.normals(30000, 0, 3).map((v) => Math.round(v * 4) / 4);
      x[3 * 4000 + 1] = 100; // a tie for the maximum of column 1 ...
      x[3 * 4500 + 1] = 100; // ... the first one wins
      x[5000 * 3 + 3 * 2000 + 2] = Number.NaN; // the NaN wins in its column
      const ints = rng.ints(30000, -1_000_000, 1_000_000);
      const operands = {
        x: { dtype: 'f32', shape, data: x },
        xi: { dtype: 'i32', shape, data: ints },
        sum: { dtype: 'f32', shape: [2, 3], data: null },
        max: { dtype: 'f32', shape: [2, 3], data: null },
        min: { dtype: 'f32', shape: [2, 3], data: null },
        arg: { dtype: 'i32', shape: [2, 3], data: null },
        isum: { dtype: 'i32', shape: [2, 3], data: null },
        full: { dtype: 'f32', shape: [1, 1], data: null },
      } as const;
      const [ours, ref] = await runBoth(gpu, cpu, operands, (b, v) => {
        const k = b.kernels;
        k.reduce('sum', v.x!, v.sum!);
        k.reduce('max', v.x!, v.max!);
        k.reduce('min', v.x!, v.min!);
        k.argmax(v.x!, v.arg!);
        k.reduce('sum', v.xi!, v.isum!);
        // One output over all 30 000 elements: three levels of blocks.
        k.reduce('sum', { ...v.x!, shape: [1, 30000, 1], strides: [30000, 1, 1] } as TensorView, v.full!);
      });
      expectAllClose(ours.sum!, ref.sum!, { rtol: 1e-4, atol: 1e-3 }, 'sum');
      expectAllClose(ours.full!, ref.full!, { rtol: 1e-4, atol: 1e-2 }, 'sum of everything');
      expectAllClose(ours.max!, ref.max!, EXACT, 'max');
      expectAllClose(ours.min!, ref.min!, EXACT, 'min');
      expect(Array.from(ours.arg!)).toEqual(Array.from(ref.arg!));
      expect(Array.from(ours.isum!)).toEqual(Array.from(ref.isum!));
    });

    it('tiled matmul with every transpose and a shared right operand', async () => {
      const rng = createTestRng(23);
      const [B, M, K, N] = [2, 70, 90, 65];
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const operands = {
            a: {
              dtype: 'f32',
              shape: transposeA ? [B, K, M] : [B, M, K],
              data: rng.floats(B * M * K, -1, 1),
            },
            b: { dtype: 'f32', shape: transposeB ? [1, N, K] : [1, K, N], data: rng.floats(N * K, -1, 1) },
            out: { dtype: 'f32', shape: [B, M, N], data: null },
          } as const;
          const [ours, ref] = await runBoth(gpu, cpu, operands, (b, v) => {
            // The right operand is one matrix shared by both batch entries (batch stride 0).
            const shared = {
              ...v.b!,
              shape: [B, ...v.b!.shape.slice(1)],
              strides: [0, ...v.b!.strides.slice(1)],
            };
            b.kernels.matmul(v.a!, shared, v.out!, { transposeA, transposeB });
          });
          expectAllClose(
            ours.out!,
            ref.out!,
            { rtol: 1e-4, atol: 1e-4 },
            `matmul tA=${transposeA} tB=${transposeB}`,
          );
        }
      }
    });
  });
