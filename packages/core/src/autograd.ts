/**
 * Reverse-mode automatic differentiation. Ops record a {@link GradNode} on their output when any input
 * requires gradients; {@link gradients} walks the recorded graph (the tape) in reverse topological order
 * and calls each node's backward, which is written with ordinary ops and so runs on any backend.
 * @packageDocumentation
 */
import { GradientError } from './errors.js';
import { onesLike } from './ops/creation.js';
import { add } from './ops/elementwise.js';
import { shapesEqual } from './shape.js';
import { type GradNode, type Tensor, tidy, viewOf } from './tensor.js';

let gradDisabledDepth = 0;

/** Whether ops currently record gradient nodes (false inside {@link noGrad}). */
export function isGradEnabled(): boolean {
  return gradDisabledDepth === 0;
}

/** Runs `fn` without recording autograd nodes (inference, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  gradDisabledDepth++;
  try {
    return fn();
  } finally {
    gradDisabledDepth--;
  }
}

/**
 * Marks `tensor` as a leaf that requires gradients (a trainable parameter) and returns it.
 */
export function requireGrad<T extends Tensor>(tensor: T): T {
  if (tensor.dtype !== 'f32')
    throw new GradientError(`only f32 tensors can require gradients, got ${tensor}`);
  tensor.requiresGrad = true;
  return tensor;
}

/**
 * Records `output = op(inputs)` for autograd when gradients are enabled and some input requires them.
 * `backward` receives the gradient of the output and returns one gradient (same shape as the input) or
 * `null` per input. Called by op implementations. @internal
 */
export function record(
  output: Tensor,
  op: string,
  inputs: readonly Tensor[],
  backward: GradNode['backward'],
): Tensor {
  if (gradDisabledDepth === 0 && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.gradNode = { op, inputs, backward };
  }
  return output;
}

/** Options of {@link gradients}. */
export interface GradientsOptions {
  /** Gradient of the output to start from; defaults to ones (required when the output is not a scalar). */
  readonly seed?: Tensor;
  /** Record the backward pass itself, so the returned gradients can be differentiated again. */
  readonly createGraph?: boolean;
}

function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const inputs = t.gradNode?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i]!;
      if (next.requiresGrad && !visited.has(next)) {
        visited.add(next);
        stack.push([next, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

/**
 * Gradients of `output` with respect to each tensor in `wrt` (zeros-free: a tensor that `output` does not
 * depend on gets `null`). `output` must be a scalar unless `options.seed` is given.
 * The graph is left intact, so `gradients` can be called again on the same output.
 */
export function gradients(
  output: Tensor,
  wrt: readonly Tensor[],
  options: GradientsOptions = {},
): (Tensor | null)[] {
  if (!output.requiresGrad) {
    throw new GradientError(
      `gradients(): the output ${output} does not depend on any tensor that requires gradients; call requireGrad() on the parameters`,
    );
  }
  const seed = options.seed;
  if (!seed && output.size !== 1) {
    throw new GradientError(`gradients(): output ${output} is not a scalar; pass options.seed`);
  }
  if (seed && !shapesEqual(seed.shape, output.shape)) {
    throw new GradientError(
      `gradients(): seed shape [${seed.shape}] differs from output shape [${output.shape}]`,
    );
  }
  const run = (): (Tensor | null)[] => {
    const grads = new Map<Tensor, Tensor>();
    grads.set(output, seed ?? onesLike(output));
    for (const t of topologicalOrder(output)) {
      const g = grads.get(t);
      const node = t.gradNode;
      if (!g || !node) continue;
      const inputGrads = node.backward(g);
      node.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!gi || !input.requiresGrad) return;
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new GradientError(
            `backward of '${node.op}' returned a gradient of shape [${gi.shape}] for input ${i} of shape [${input.shape}]`,
          );
        }
        const prev = grads.get(input);
        grads.set(input, prev ? add(prev, gi) : gi);
      });
    }
    // Fresh tensor objects (sharing storage) so each result can be disposed on its own, even when two
    // inputs received the very same gradient tensor or the seed itself.
    return wrt.map((w) => {
      const g = grads.get(w);
      if (!g) return null;
      const fresh = viewOf(g, g.shape, g.strides, g.offset);
      return options.createGraph ? record(fresh, 'identity', [g], (gg) => [gg]) : fresh;
    });
  };
  // Without createGraph the backward's intermediates are garbage once the results exist: free them now.
  return options.createGraph ? run() : noGrad(() => tidy(run));
}
