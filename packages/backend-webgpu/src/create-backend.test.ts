/**
 * The backend object beyond the conformance suite: reported limits and strategy, typed errors for limits,
 * foreign and freed buffers, device loss (an error, never a hang), the buffer pool, binding windows and split
 * dispatches under deliberately small limits, and the linear-attention decoding step.
 */
import { AarenError, type Backend, cpuBackend, InvalidArgumentError } from '@aaren/core';
import { createTestRng, expectAllClose } from '@aaren/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebGPUBackend, type WebGPUBackend } from './create-backend.js';
import { WebGPUDeviceLostError, WebGPULimitError, WebGPUValidationError } from './errors.js';
import { requestNodeAdapter } from './node.js';
import { runBoth } from './testing/compare.js';
import { describeGpu } from './testing/node-adapter.js';
import { viewOf } from './testing/views.js';

const cpu = cpuBackend();

describeGpu('createWebGPUBackend', () => {
  let gpu: WebGPUBackend;
  let fallbackAdapter = false;
  beforeAll(async () => {
    const adapter = await requestNodeAdapter();
    fallbackAdapter = (adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
    gpu = await createWebGPUBackend({ adapter });
  });
  afterAll(() => gpu?.dispose());

  it('reports its name, limits and scan strategy', () => {
    expect(gpu.name).toBe('webgpu');
    expect(gpu.limits.maxBufferSize).toBeGreaterThanOrEqual(256 * 2 ** 20);
    expect(gpu.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 2 ** 20);
    expect(gpu.limits.maxComputeWorkgroupsPerDimension).toBeGreaterThanOrEqual(65535);
    // SwiftShader (a fallback adapter) emulates a GPU on the CPU: barrier-free scans there.
    expect(gpu.scanStrategy).toBe(fallbackAdapter ? 'serial' : 'lookback');
  });

  it('throws a WebGPULimitError for a tensor beyond maxBufferSize', () => {
    const elements = Math.floor(gpu.limits.maxBufferSize / 4) + 1;
    expect(() => gpu.alloc('f32', elements)).toThrow(WebGPULimitError);
    try {
      gpu.alloc('f32', elements);
    } catch (error) {
      expect(error).toBeInstanceOf(AarenError);
      expect((error as WebGPULimitError).code).toBe('E_WEBGPU_LIMIT');
      expect((error as WebGPULimitError).limit).toBe('maxBufferSize');
      expect((error as Error).message).toMatch(/maxBufferSize/);
    }
  });

  it('rejects freed buffers and buffers of another backend', async () => {
    const a = gpu.alloc('f32', 4);
    const out = gpu.alloc('f32', 4);
    gpu.free(a);
    gpu.free(a); // a second free is a no-op
    expect(() => gpu.kernels.unary('exp', viewOf(a, [4]), viewOf(out, [4]))).toThrow(InvalidArgumentError);
    await expect(gpu.read(a)).rejects.toThrow(/freed/);
    const foreign = cpu.alloc('f32', 4);
    expect(() => gpu.kernels.unary('exp', viewOf(foreign, [4]), viewOf(out, [4]))).toThrow(/not allocated/);
    gpu.free(out);
  });

  it('reuses freed memory from its pool and counts live memory exactly', async () => {
    const before = gpu.memoryInfo();
    const a = gpu.alloc('f32', 1000);
    gpu.write(a, new Float32Array(1000).fill(2));
    expect(gpu.memoryInfo().liveBytes - before.liveBytes).toBe(4000);
    gpu.free(a);
    expect(gpu.memoryInfo()).toEqual(before);
    const pooled = gpu.stats().pooledBytes;
    expect(pooled).toBeGreaterThanOrEqual(4000);
    const b = gpu.alloc('f32', 1000);
    expect(gpu.stats().pooledBytes).toBeLessThan(pooled);
    gpu.write(b, new Float32Array(1000).fill(3));
    expect((await gpu.read(b, 998))[1]).toBe(3);
    gpu.free(b);
  });

  it('batches dispatches into few submissions', async () => {
    const x = gpu.alloc('f32', 64);
    const y = gpu.alloc('f32', 64);
    gpu.write(x, new Float32Array(64).fill(1));
    await gpu.sync();
    const start = gpu.stats();
    for (let i = 0; i < 20; i++) gpu.kernels.binary('add', viewOf(x, [64]), viewOf(x, [64]), viewOf(y, [64]));
    await gpu.sync();
    const end = gpu.stats();
    expect(end.dispatches - start.dispatches).toBe(20);
    expect(end.submits - start.submits).toBe(1);
    gpu.free(x);
    gpu.free(y);
  });

  it('reports WebGPU validation errors at the next sync, once', async () => {
    // An invalid call on the backend's device (a buffer without usage) raises an uncaptured error.
    gpu.device.createBuffer({ size: 4, usage: 0 });
    await expect(gpu.sync()).rejects.toBeInstanceOf(WebGPUValidationError);
    await expect(gpu.sync()).resolves.toBeUndefined();
  });

  it('steps linear attention in place for decoding, matching the chunked kernel', async () => {
    const rng = createTestRng(11);
    const [R, Dk, Dv] = [3, 5, 4];
    const operands = {
      q: { dtype: 'f32', shape: [R, 1, Dk], data: rng.floats(R * Dk, -1, 1) },
      k: { dtype: 'f32', shape: [R, 1, Dk], data: rng.floats(R * Dk, -1, 1) },
      v: { dtype: 'f32', shape: [R, 1, Dv], data: rng.floats(R * Dv, -1, 1) },
      decay: { dtype: 'f32', shape: [R], data: [0.9, 0, 1] },
      state: { dtype: 'f32', shape: [R, Dk, Dv], data: rng.floats(R * Dk * Dv, -1, 1) },
      out: { dtype: 'f32', shape: [R, 1, Dv], data: null },
      final: { dtype: 'f32', shape: [R, Dk, Dv], data: null },
    } as const;
    const [ours, ref] = await runBoth(gpu, cpu, operands, (b, v) => {
      const flat = (name: 'q' | 'k' | 'v' | 'out', d: number) => ({
        ...v[name]!,
        shape: [R, d],
        strides: [d, 1],
      });
      if (b === (gpu as Backend)) {
        gpu.fused.linearAttentionStep({
          q: flat('q', Dk),
          k: flat('k', Dk),
          v: flat('v', Dv),
          decay: v.decay!,
          state: v.state!,
          out: flat('out', Dv),
        });
        b.kernels.copy(v.state!, v.final!);
      } else {
        b.kernels.linearAttention(v.q!, v.k!, v.v!, v.decay!, v.state!, v.out!, v.final!);
      }
    });
    expectAllClose(ours.out!, ref.out!, { rtol: 1e-5, atol: 1e-6 }, 'step output');
    expectAllClose(ours.final!, ref.final!, { rtol: 1e-5, atol: 1e-6 }, 'state after the step');
  });
});

describeGpu('small limits: binding windows and split dispatches', () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = await createWebGPUBackend(
      { adapter: await requestNodeAdapter() },
      { limits: { maxStorageBufferBindingSize: 16384, maxComputeWorkgroupsPerDimension: 3 } },
    );
  });
  afterAll(() => gpu?.dispose());

  it('lowers the limits it reports', () => {
    expect(gpu.limits.maxStorageBufferBindingSize).toBe(16384);
    expect(gpu.limits.maxComputeWorkgroupsPerDimension).toBe(3);
  });

  it('binds windows of large buffers in strided, broadcast elementwise kernels', async () => {
    const rng = createTestRng(12);
    // 40 000 elements = 160 KB, ten times the binding size; b is broadcast along axis 0 and read transposed.
    const [rows, cols] = [200, 200];
    const a = rng.floats(rows * cols, -1, 1);
    const b = rng.floats(cols, -1, 1);
    const operands = {
      a: { dtype: 'f32', shape: [rows, cols], data: a },
      b: { dtype: 'f32', shape: [cols], data: b },
      out: { dtype: 'f32', shape: [rows, cols], data: null },
      t: { dtype: 'f32', shape: [cols, rows], data: null },
    } as const;
    const [ours, ref] = await runBoth(gpu, cpu, operands, (backend, v) => {
      const bb = { ...v.b!, shape: [rows, cols], strides: [0, 1] };
      backend.kernels.binary('mul', v.a!, bb, v.out!);
      // Transpose through a strided input view.
      backend.kernels.copy({ ...v.out!, shape: [cols, rows], strides: [1, cols] }, v.t!);
    });
    expectAllClose(ours.out!, ref.out!, { rtol: 1e-6, atol: 0 }, 'broadcast multiply');
    expectAllClose(ours.t!, ref.t!, { rtol: 0, atol: 0 }, 'transpose');
  });

  it('splits large grids and still matches the CPU (matmul, reduce, softmax, cumsum, attention scan)', async () => {
    const rng = createTestRng(13);
    const operands = {
      a: { dtype: 'f32', shape: [2, 30, 20], data: rng.floats(1200, -1, 1) },
      b: { dtype: 'f32', shape: [2, 20, 25], data: rng.floats(1000, -1, 1) },
      mm: { dtype: 'f32', shape: [2, 30, 25], data: null },
      x: { dtype: 'f32', shape: [40, 9, 8], data: rng.floats(2880, -3, 3) },
      sum: { dtype: 'f32', shape: [40, 8], data: null },
      sm: { dtype: 'f32', shape: [360, 8], data: null },
      cs: { dtype: 'f32', shape: [40, 9, 8], data: null },
      s: { dtype: 'f32', shape: [40, 72], data: rng.floats(2880, -3, 3) },
      att: { dtype: 'f32', shape: [40, 72, 1], data: null },
      mx: { dtype: 'f32', shape: [40, 72], data: null },
      dn: { dtype: 'f32', shape: [40, 72], data: null },
    } as const;
    const [ours, ref] = await runBoth(gpu, cpu, operands, (backend, v) => {
      const k = backend.kernels;
      k.matmul(v.a!, v.b!, v.mm!, { transposeA: false, transposeB: false });
      k.reduce('sum', v.x!, v.sum!);
      k.softmax({ ...v.x!, shape: [360, 8], strides: [8, 1] }, v.sm!, false);
      k.cumsum(v.x!, v.cs!, { reverse: false, exclusive: false });
      k.attentionScan(v.s!, { ...v.x!, shape: [40, 72, 1], strides: [72, 1, 1] }, v.att!, v.mx!, v.dn!);
    });
    const tol = { rtol: 1e-4, atol: 1e-5 };
    for (const name of ['mm', 'sum', 'sm', 'cs', 'att', 'mx', 'dn'] as const) {
      expectAllClose(ours[name]!, Array.from(ref[name]!), tol, name);
    }
  });

  it('throws a WebGPULimitError when one operand cannot fit a binding', () => {
    const big = gpu.alloc('f32', 8192);
    const out = gpu.alloc('f32', 8192);
    try {
      // A matrix of 32 KB cannot be bound through a 16 KB window.
      expect(() =>
        gpu.kernels.matmul(viewOf(big, [1, 64, 128]), viewOf(big, [1, 128, 64]), viewOf(out, [1, 64, 64]), {
          transposeA: false,
          transposeB: false,
        }),
      ).toThrow(WebGPULimitError);
    } finally {
      gpu.free(big);
      gpu.free(out);
    }
  });
});

describeGpu('device loss', () => {
  it('reports a lost device with a typed error instead of hanging', async () => {
    const adapter = await requestNodeAdapter();
    const device = await adapter.requestDevice();
    const backend = await createWebGPUBackend({ device });
    const x = backend.alloc('f32', 16);
    backend.write(x, new Float32Array(16).fill(1));
    expect(Array.from(await backend.read(x, 0, 2))).toEqual([1, 1]);
    device.destroy();
    const started = Date.now();
    await expect(backend.read(x)).rejects.toBeInstanceOf(WebGPUDeviceLostError);
    expect(Date.now() - started).toBeLessThan(20_000); // a bound against hangs, not a speed goal
    expect(() => backend.kernels.fill(viewOf(x, [16]), 0)).toThrow(WebGPUDeviceLostError);
    await expect(backend.sync()).rejects.toBeInstanceOf(WebGPUDeviceLostError);
    backend.dispose();
  });
});
