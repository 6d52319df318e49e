/**
 * Compiled compute pipelines keyed by their WGSL source, and bind-group layouts keyed by binding kinds.
 * Shader compilation happens once per distinct kernel variant; its errors reach the device's
 * `uncapturederror` event (with the kernel's label) and are reported by the next `read` or `sync`.
 * @packageDocumentation
 */
import { SHADER_STAGE_COMPUTE } from './gpu-constants.js';

/** A pipeline and the bind-group layout its bind groups are made with. */
export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/** Pipelines and layouts of one device. */
export class PipelineCache {
  readonly #device: GPUDevice;
  readonly #pipelines = new Map<string, CachedPipeline>();
  readonly #layouts = new Map<string, GPUBindGroupLayout>();

  /** @param device - Device that compiles the pipelines. */
  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** Number of compiled pipelines. */
  get size(): number {
    return this.#pipelines.size;
  }

  /** The bind-group layout for binding kinds `layoutKey` (after the uniform meta block at binding 0). */
  layout(layoutKey: string): GPUBindGroupLayout {
    let layout = this.#layouts.get(layoutKey);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: SHADER_STAGE_COMPUTE, buffer: { type: 'uniform' } },
      ];
      for (let i = 0; i < layoutKey.length; i++) {
        entries.push({
          binding: i + 1,
          visibility: SHADER_STAGE_COMPUTE,
          buffer: { type: layoutKey[i] === 'w' ? 'storage' : 'read-only-storage' },
        });
      }
      layout = this.#device.createBindGroupLayout({ entries });
      this.#layouts.set(layoutKey, layout);
    }
    return layout;
  }

  /** The pipeline running `source` (entry point `main`) with binding kinds `layoutKey`. */
  get(label: string, source: string, layoutKey: string): CachedPipeline {
    const key = `${layoutKey}\n${source}`;
    let cached = this.#pipelines.get(key);
    if (!cached) {
      const layout = this.layout(layoutKey);
      const module = this.#device.createShaderModule({ label, code: source });
      const pipeline = this.#device.createComputePipeline({
        label,
        layout: this.#device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: 'main' },
      });
      cached = { pipeline, layout };
      this.#pipelines.set(key, cached);
    }
    return cached;
  }

  /** Forgets every pipeline (they are released with the device). */
  clear(): void {
    this.#pipelines.clear();
    this.#layouts.clear();
  }
}
