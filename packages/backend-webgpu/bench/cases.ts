/**
 * Benchmark cases of the WebGPU backend, shared by `webgpu.bench.ts` (`pnpm bench`) and the GPU-machine
 * script `gpu/run.ts`. Each case runs `iterations` kernel calls per repetition and then waits for the GPU,
 * so submission and readback latency are amortised; `work` counts all iterations.
 * @packageDocumentation
 */
import { uniformFloat32 } from '@aaren/bench';
import {
  type Backend,
  type BackendBuffer,
  contiguousStrides,
  cpuBackend,
  type TensorView,
} from '@aaren/core';
import type { WebGPUBackend } from '../src/index.js';

/** A case: what the harness (or the GPU script) times. */
export interface GpuCase {
  readonly name: string;
  readonly backend: string;
  readonly size: string;
  /** Bytes (GB/s) or flops (GFLOP/s) per repetition. */
  readonly work: number;
  readonly unit: 'GB/s' | 'GFLOP/s';
  readonly ours: () => Promise<void>;
  readonly baseline?: { readonly name: string; readonly fn: () => unknown };
  readonly teardown: () => void;
}

function view(buffer: BackendBuffer, shape: number[], offset = 0): TensorView {
  return { buffer, dtype: buffer.dtype, shape, strides: contiguousStrides(shape), offset };
}

function upload(backend: Backend, data: Float32Array): BackendBuffer {
  const b = backend.alloc('f32', data.length);
  backend.write(b, data);
  return b;
}

/**
 * A plain WebGPU copy kernel (`vec4` loads and stores, 4 per invocation): the bandwidth a memory-bound
 * kernel can reach on this device, the baseline of the scan.
 */
export function copyKernel(gpu: WebGPUBackend, elements: number): { run: () => void; dispose: () => void } {
  const device = gpu.device;
  const vec4s = Math.ceil(elements / 4);
  const bytes = vec4s * 16;
  const src = device.createBuffer({ size: bytes, usage: 0x80 | 0x8 });
  const dst = device.createBuffer({ size: bytes, usage: 0x80 | 0x4 });
  const perWorkgroup = 256 * 4;
  const groups = Math.ceil(vec4s / perWorkgroup);
  const x = Math.min(groups, 65535);
  const y = Math.ceil(groups / x);
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = (wid.x + wid.y * nwg.x) * ${perWorkgroup}u + lid;
  for (var k = 0u; k < 4u; k++) {
    let i = base + k * 256u;
    if (i < ${vec4s}u) { dst[i] = src[i]; }
  }
}`,
  });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: src } },
      { binding: 1, resource: { buffer: dst } },
    ],
  });
  return {
    run: () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, y);
      pass.end();
      device.queue.submit([encoder.finish()]);
    },
    dispose: () => {
      src.destroy();
      dst.destroy();
    },
  };
}

/** Inclusive cumsum of `n` f32 (bytes read + written), against the plain copy kernel. */
export function scanCase(gpu: WebGPUBackend, n: number, iterations: number): GpuCase {
  const x = upload(gpu, uniformFloat32(n, 1));
  const out = gpu.alloc('f32', n);
  const copy = copyKernel(gpu, n);
  return {
    name: `cumsum (${gpu.scanStrategy})`,
    backend: 'webgpu',
    size: `n=2^${Math.log2(n).toFixed(0)}`,
    work: 8 * n * iterations,
    unit: 'GB/s',
    ours: async () => {
      for (let i = 0; i < iterations; i++) {
        gpu.kernels.cumsum(view(x, [1, n, 1]), view(out, [1, n, 1]), { reverse: false, exclusive: false });
      }
      await gpu.sync();
    },
    baseline: {
      name: 'plain WebGPU copy kernel',
      fn: async () => {
        for (let i = 0; i < iterations; i++) copy.run();
        await gpu.device.queue.onSubmittedWorkDone();
      },
    },
    teardown: () => {
      gpu.free(x);
      gpu.free(out);
      copy.dispose();
    },
  };
}

/**
 * The fused Aaren attention scan of one query over `N` tokens with `d`-dimensional keys and values (scores
 * `q·k_i/√d` computed in the kernel); bytes = keys + values read, outputs + max + denominator + scores
 * written. Baseline: the CPU backend's attention scan on precomputed scores (when `cpuBaseline`).
 */
export function attentionCase(
  gpu: WebGPUBackend,
  N: number,
  d: number,
  iterations: number,
  cpuBaseline: boolean,
): GpuCase {
  const q = upload(gpu, uniformFloat32(d, 2));
  const keys = upload(gpu, uniformFloat32(N * d, 3));
  const values = upload(gpu, uniformFloat32(N * d, 4));
  const out = gpu.alloc('f32', N * d);
  const stats = gpu.alloc('f32', 3 * N);
  const scale = 1 / Math.sqrt(d);
  const cpu = cpuBackend();
  const scores = uniformFloat32(N, 5, -4, 4);
  const c = cpuBaseline
    ? {
        s: upload(cpu, scores),
        v: upload(cpu, uniformFloat32(N * d, 4)),
        o: cpu.alloc('f32', N * d),
        m: cpu.alloc('f32', N),
        w: cpu.alloc('f32', N),
      }
    : null;
  return {
    name: 'attention scan (fused q·K)',
    backend: 'webgpu',
    size: `N=2^${Math.log2(N).toFixed(0)},d=${d}`,
    work: 4 * N * (3 * d + 3) * iterations,
    unit: 'GB/s',
    ours: async () => {
      for (let i = 0; i < iterations; i++) {
        gpu.fused.attentionScanFused({
          q: view(q, [1, d]),
          keys: view(keys, [1, N, d]),
          values: view(values, [1, N, d]),
          scale,
          out: view(out, [1, N, d]),
          maxOut: view(stats, [1, N]),
          denomOut: view(stats, [1, N], N),
          scoresOut: view(stats, [1, N], 2 * N),
        });
      }
      await gpu.sync();
    },
    baseline: c
      ? {
          name: 'cpu backend attentionScan',
          fn: () => {
            for (let i = 0; i < iterations; i++) {
              cpu.kernels.attentionScan(
                view(c.s, [1, N]),
                view(c.v, [1, N, d]),
                view(c.o, [1, N, d]),
                view(c.m, [1, N]),
                view(c.w, [1, N]),
              );
            }
          },
        }
      : undefined,
    teardown: () => {
      for (const b of [q, keys, values, out, stats]) gpu.free(b);
      cpu.dispose();
    },
  };
}

/** `n×n` by `n×n` matmul (2n³ flops), against the CPU backend's matmul (when `cpuBaseline`). */
export function matmulCase(gpu: WebGPUBackend, n: number, iterations: number, cpuBaseline: boolean): GpuCase {
  const a = upload(gpu, uniformFloat32(n * n, 6));
  const b = upload(gpu, uniformFloat32(n * n, 7));
  const out = gpu.alloc('f32', n * n);
  const cpu = cpuBackend();
  const ca = cpuBaseline ? upload(cpu, uniformFloat32(n * n, 6)) : null;
  const cb = cpuBaseline ? upload(cpu, uniformFloat32(n * n, 7)) : null;
  const co = cpuBaseline ? cpu.alloc('f32', n * n) : null;
  const options = { transposeA: false, transposeB: false };
  return {
    name: 'matmul',
    backend: 'webgpu',
    size: `${n}x${n}x${n}`,
    work: 2 * n ** 3 * iterations,
    unit: 'GFLOP/s',
    ours: async () => {
      for (let i = 0; i < iterations; i++)
        gpu.kernels.matmul(view(a, [1, n, n]), view(b, [1, n, n]), view(out, [1, n, n]), options);
      await gpu.sync();
    },
    baseline:
      ca && cb && co
        ? {
            name: 'cpu backend matmul',
            fn: () => {
              for (let i = 0; i < iterations; i++)
                cpu.kernels.matmul(view(ca, [1, n, n]), view(cb, [1, n, n]), view(co, [1, n, n]), options);
            },
          }
        : undefined,
    teardown: () => {
      gpu.free(a);
      gpu.free(b);
      gpu.free(out);
      cpu.dispose();
    },
  };
}
