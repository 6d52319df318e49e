/**
 * CPU matmul throughput (GFLOP/s) at 256/512/1024 against onnxruntime-node's CPU MatMul on the same
 * shapes, timed in the same run.
 */
import { defineSuite } from '@aaren/bench';
import { cpuBackend, matmul, tensor, tidy } from '@aaren/core';
import * as ort from 'onnxruntime-node';
import { singleNodeModel } from './onnx-model.js';

function randomData(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

export default defineSuite({
  name: 'core-matmul',
  cases: async () => {
    const backend = cpuBackend();
    const sizes = process.env.AAREN_BENCH_QUICK ? [256] : [256, 512, 1024];
    const cases = [];
    for (const n of sizes) {
      const aData = randomData(n * n, 1);
      const bData = randomData(n * n, 2);
      const a = tensor(backend, aData, [n, n]);
      const b = tensor(backend, bData, [n, n]);
      const session = await ort.InferenceSession.create(
        singleNodeModel(
          'MatMul',
          [
            { name: 'a', shape: [n, n] },
            { name: 'b', shape: [n, n] },
          ],
          [{ name: 'c', shape: [n, n] }],
        ),
        { executionProviders: ['cpu'] },
      );
      const feeds = {
        a: new ort.Tensor('float32', aData, [n, n]),
        b: new ort.Tensor('float32', bData, [n, n]),
      };
      cases.push({
        name: 'matmul',
        backend: 'cpu',
        size: `${n}x${n}x${n}`,
        work: 2 * n * n * n,
        unit: 'GFLOP/s' as const,
        ours: () => tidy(() => void matmul(a, b)),
        baseline: {
          name: `onnxruntime-node ${ort.env.versions.node} cpu MatMul`,
          fn: () => session.run(feeds),
        },
        teardown: async () => {
          a.dispose();
          b.dispose();
          await session.release();
        },
      });
    }
    return cases;
  },
});
