/**
 * CPU matmul throughput (GFLOP/s) at 256/512/1024 against onnxruntime-node's CPU MatMul on the same
 * shapes, timed in the same run.
 */
import { defineSuite, isQuickBench, uniformFloat32 } from '@aaren/bench';
import { cpuBackend, matmul, tensor, tidy } from '@aaren/core';
import * as ort from 'onnxruntime-node';
import { singleNodeModel } from './onnx-model.js';

export default defineSuite({
  name: 'core-matmul',
  cases: async () => {
    const backend = cpuBackend();
    const sizes = isQuickBench() ? [256] : [256, 512, 1024];
    const cases = [];
    for (const n of sizes) {
      const aData = uniformFloat32(n * n, 1, -0.5, 0.5);
      const bData = uniformFloat32(n * n, 2, -0.5, 0.5);
      const a = tensor(backend, aData, [n, n]);
      const b = tensor(backend, bData, [n, n]);
      const model = singleNodeModel(
        'MatMul',
        [
          { name: 'a', shape: [n, n] },
          { name: 'b', shape: [n, n] },
        ],
        [{ name: 'c', shape: [n, n] }],
      );
      const feeds = {
        a: new ort.Tensor('float32', aData, [n, n]),
        b: new ort.Tensor('float32', bData, [n, n]),
      };
      // Our CPU backend is single-threaded JavaScript: compare with ONNX Runtime on one thread, and with
      // its default thread pool (every core) for the full picture.
      for (const threads of [1, 0]) {
        const session = await ort.InferenceSession.create(model, {
          executionProviders: ['cpu'],
          intraOpNumThreads: threads,
        });
        const lastCaseOfSize = threads === 0;
        cases.push({
          name: threads === 1 ? 'matmul vs ort 1 thread' : 'matmul vs ort all threads',
          backend: 'cpu',
          size: `${n}x${n}x${n}`,
          work: 2 * n * n * n,
          unit: 'GFLOP/s' as const,
          ours: () => tidy(() => void matmul(a, b)),
          baseline: {
            name: `onnxruntime-node ${ort.env.versions.node} MatMul, ${threads === 1 ? '1 thread' : 'default threads'}`,
            fn: () => session.run(feeds),
          },
          teardown: async () => {
            await session.release();
            if (lastCaseOfSize) {
              a.dispose();
              b.dispose();
            }
          },
        });
      }
    }
    return cases;
  },
});
