/**
 * Command batching. Kernels record dispatches (and buffer clears) here; {@link Recorder.flush} turns them into
 * one command buffer: one uniform buffer holds every dispatch's meta block, consecutive dispatches share a
 * compute pass, and the buffer is submitted at once. The backend flushes before `write`, `read` and `sync`
 * and whenever {@link MAX_PENDING} commands are waiting, so work always runs in program order.
 * @packageDocumentation
 */
import { BufferUsage } from './gpu-constants.js';

/** Commands recorded before an automatic flush. */
export const MAX_PENDING = 128;

/** A recorded dispatch. */
export interface DispatchCommand {
  readonly kind: 'dispatch';
  /** Kernel label (for statistics and debugging). */
  readonly label: string;
  /** The compiled kernel. */
  readonly pipeline: GPUComputePipeline;
  /** Its bind-group layout. */
  readonly layout: GPUBindGroupLayout;
  /** Storage bindings (binding 1 onwards). */
  readonly entries: readonly GPUBindGroupEntry[];
  /** The meta block, bound at binding 0. */
  readonly meta: Uint32Array;
  /** Workgroups in x, y, z. */
  readonly grid: readonly [number, number, number];
}

/** A recorded `clearBuffer` (zeroes bytes `[offset, offset + size)`). */
export interface ClearCommand {
  readonly kind: 'clear';
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

/** A recorded `copyBufferToBuffer`. */
export interface CopyCommand {
  readonly kind: 'copy';
  readonly source: GPUBuffer;
  readonly sourceOffset: number;
  readonly target: GPUBuffer;
  readonly targetOffset: number;
  readonly size: number;
}

/** Anything the recorder batches. */
export type Command = DispatchCommand | ClearCommand | CopyCommand;

/** Records commands and submits them in batches. */
export class Recorder {
  readonly #device: GPUDevice;
  readonly #uniformAlign: number;
  #commands: Command[] = [];
  #afterSubmit: GPUBuffer[] = [];
  /** Dispatches submitted so far (for tests and statistics). */
  dispatches = 0;
  /** Command buffers submitted so far. */
  submits = 0;

  constructor(device: GPUDevice) {
    this.#device = device;
    this.#uniformAlign = Math.max(16, device.limits.minUniformBufferOffsetAlignment);
  }

  /** Number of commands waiting for {@link Recorder.flush}. */
  get pending(): number {
    return this.#commands.length;
  }

  /** Records a command; flushes when {@link MAX_PENDING} are waiting. */
  record(command: Command): void {
    this.#commands.push(command);
    if (this.#commands.length >= MAX_PENDING) this.flush();
  }

  /** Destroys `buffer` once the commands recorded so far have been submitted. */
  destroyAfterSubmit(buffer: GPUBuffer): void {
    if (this.#commands.length === 0) buffer.destroy();
    else this.#afterSubmit.push(buffer);
  }

  /** Submits every recorded command (a no-op when there is none). */
  flush(): void {
    const commands = this.#commands;
    if (commands.length === 0) return;
    this.#commands = [];
    const device = this.#device;
    let metaBuffer: GPUBuffer | null = null;
    try {
      const offsets: number[] = [];
      let total = 0;
      for (const c of commands) {
        if (c.kind !== 'dispatch') continue;
        offsets.push(total);
        total += Math.ceil((c.meta.length * 4) / this.#uniformAlign) * this.#uniformAlign;
      }
      if (total > 0) {
        metaBuffer = device.createBuffer({
          size: total,
          usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
          mappedAtCreation: true,
        });
        const words = new Uint32Array(metaBuffer.getMappedRange());
        let d = 0;
        for (const c of commands) {
          if (c.kind === 'dispatch') words.set(c.meta, offsets[d++]! / 4);
        }
        metaBuffer.unmap();
      }
      const encoder = device.createCommandEncoder();
      let pass: GPUComputePassEncoder | null = null;
      let d = 0;
      for (const c of commands) {
        if (c.kind === 'dispatch') {
          const bindGroup = device.createBindGroup({
            layout: c.layout,
            entries: [
              {
                binding: 0,
                resource: {
                  buffer: metaBuffer!,
                  offset: offsets[d++]!,
                  size: Math.ceil(c.meta.length / 4) * 16,
                },
              },
              ...c.entries,
            ],
          });
          pass ??= encoder.beginComputePass();
          pass.setPipeline(c.pipeline);
          pass.setBindGroup(0, bindGroup);
          pass.dispatchWorkgroups(c.grid[0], c.grid[1], c.grid[2]);
          this.dispatches++;
        } else {
          pass?.end();
          pass = null;
          if (c.kind === 'clear') encoder.clearBuffer(c.buffer, c.offset, c.size);
          else encoder.copyBufferToBuffer(c.source, c.sourceOffset, c.target, c.targetOffset, c.size);
        }
      }
      pass?.end();
      device.queue.submit([encoder.finish()]);
      this.submits++;
    } finally {
      metaBuffer?.destroy();
      for (const b of this.#afterSubmit) b.destroy();
      this.#afterSubmit = [];
    }
  }

  /** Drops every recorded command without submitting it. */
  discard(): void {
    this.#commands = [];
    for (const b of this.#afterSubmit) b.destroy();
    this.#afterSubmit = [];
  }
}
