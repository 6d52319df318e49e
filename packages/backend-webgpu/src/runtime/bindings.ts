/**
 * Resolution of a kernel's buffer arguments into WGSL declarations and bind-group entries. Arguments that
 * share a `GPUBuffer` are merged into one binding (read-write when any of them writes), so a kernel whose
 * output aliases an input (in-place ops) never binds one buffer as both read-only and writable storage.
 * Buffers larger than `maxStorageBufferBindingSize` are bound through a window covering the elements the
 * kernel touches; `base` tells the kernel where its window starts.
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import { WebGPULimitError } from '../errors.js';
import type { WebGPULimits } from './limits.js';

/** WGSL element type of a storage binding. */
export type StorageType = 'f32' | 'i32' | 'u32' | 'atomic<u32>' | 'atomic<i32>';

/** One buffer argument of a dispatch. */
export interface Arg {
  /** The buffer. */
  readonly gpu: GPUBuffer;
  /** Element type the kernel declares it with. */
  readonly type: StorageType;
  /** Whether the kernel writes it. */
  readonly access: 'read' | 'write';
  /** Elements `[lo, hi)` the kernel may touch; `hi ≤ lo` means none. */
  readonly span: readonly [number, number];
}

/** The element range `[lo, hi)` a view addresses (empty when the view has no element). */
export function viewSpan(view: Pick<TensorView, 'shape' | 'strides' | 'offset'>): [number, number] {
  let last = view.offset;
  for (let k = 0; k < view.shape.length; k++) {
    const extent = view.shape[k]!;
    if (extent === 0) return [view.offset, view.offset];
    last += (extent - 1) * view.strides[k]!;
  }
  return [view.offset, last + 1];
}

/** Arguments resolved to bindings. */
export interface Bound {
  /** WGSL variable name per argument name (arguments on one buffer share a name). */
  readonly names: Readonly<Record<string, string>>;
  /** Element index, in the buffer, of the first element of each argument's binding. */
  readonly base: Readonly<Record<string, number>>;
  /** WGSL declarations of the storage bindings (binding 1 onwards; 0 is the meta block). */
  readonly declarations: string;
  /** Bind-group entries of the storage bindings. */
  readonly entries: readonly GPUBindGroupEntry[];
  /** One letter per binding after the meta block: `r` read-only storage, `w` read-write storage. */
  readonly layoutKey: string;
}

interface Group {
  readonly gpu: GPUBuffer;
  type: StorageType;
  write: boolean;
  lo: number;
  hi: number;
  readonly args: string[];
}

/**
 * Resolves `args` into bindings for a kernel called `op` (used in error messages).
 * @throws {@link WebGPULimitError} when the elements one binding must cover exceed the binding limit.
 */
export function bindArgs(op: string, args: Readonly<Record<string, Arg>>, limits: WebGPULimits): Bound {
  const groups: Group[] = [];
  for (const [name, arg] of Object.entries(args)) {
    let group = groups.find((g) => g.gpu === arg.gpu);
    if (!group) {
      group = { gpu: arg.gpu, type: arg.type, write: false, lo: Infinity, hi: -Infinity, args: [] };
      groups.push(group);
    } else if (group.type !== arg.type) {
      throw new Error(`${op}: one buffer bound as both ${group.type} and ${arg.type}`);
    }
    group.write ||= arg.access === 'write' || arg.type.startsWith('atomic');
    if (arg.span[1] > arg.span[0]) {
      group.lo = Math.min(group.lo, arg.span[0]);
      group.hi = Math.max(group.hi, arg.span[1]);
    }
    group.args.push(name);
  }
  const names: Record<string, string> = {};
  const base: Record<string, number> = {};
  const entries: GPUBindGroupEntry[] = [];
  let declarations = '';
  let layoutKey = '';
  const maxBinding = limits.maxStorageBufferBindingSize;
  const align = limits.minStorageBufferOffsetAlignment;
  groups.forEach((g, i) => {
    const binding = i + 1;
    const varName = `b${binding}`;
    let offset = 0;
    let size = g.gpu.size;
    if (size > maxBinding) {
      // Bind a window around the touched elements, starting on the offset alignment.
      const lo = g.hi > g.lo ? g.lo : 0;
      const hi = g.hi > g.lo ? g.hi : 1;
      offset = Math.floor((lo * 4) / align) * align;
      size = Math.min(g.gpu.size, hi * 4) - offset;
      if (size > maxBinding) {
        throw new WebGPULimitError(
          op,
          'maxStorageBufferBindingSize',
          size,
          maxBinding,
          'one operand of this kernel spans more bytes than one binding may hold',
        );
      }
    }
    entries.push({ binding, resource: { buffer: g.gpu, offset, size } });
    const access = g.write ? 'read_write' : 'read';
    declarations += `@group(0) @binding(${binding}) var<storage, ${access}> ${varName}: array<${g.type}>;\n`;
    layoutKey += g.write ? 'w' : 'r';
    for (const a of g.args) {
      names[a] = varName;
      base[a] = offset / 4;
    }
  });
  return { names, base, declarations, entries, layoutKey };
}
