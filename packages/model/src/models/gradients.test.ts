import { cpuBackend, createRng, randomNormal, requireGrad, type Tensor, tensor } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../test/helpers/gradcheck.js';
import { AarenStack } from './aaren-stack.js';
import { TransformerStack } from './transformer-stack.js';

const backend = cpuBackend();

/** Fresh copies of some parameters (so checkGradients can perturb them) and a forward using them. */
function setup(model: AarenStack | TransformerStack, names: string[]) {
  const params = model.parameters();
  const copies = names.map((n) =>
    requireGrad(tensor(backend, params.get(n)!.dataSync(), params.get(n)!.shape)),
  );
  return {
    copies,
    run: (x: Tensor, mask: Tensor | null, ...ps: Tensor[]) =>
      model.withParameters(new Map(names.map((n, i) => [n, ps[i]!])), () => model.forward(x, { mask })),
  };
}

// GELU rather than ReLU: finite differences across ReLU's kink (pre-activations within eps of 0) are not
// derivatives, and would fail for reasons unrelated to the gradients being checked.
describe.each([
  ['aaren', () => new AarenStack({ dModel: 8, heads: 2, dFF: 12, layers: 2, activation: 'gelu' })],
  [
    'transformer',
    () => new TransformerStack({ dModel: 8, heads: 2, dFF: 12, layers: 2, activation: 'gelu' }),
  ],
] as const)('%s stack: gradients match finite differences', (kind, make) => {
  it('in the inputs and in parameters of every sub-layer', () => {
    const model = make().init(backend, createRng(3));
    const names = [
      ...(kind === 'aaren' ? ['layers.0.attn.query'] : []),
      'layers.0.attn.q.weight',
      'layers.0.attn.k.weight',
      'layers.1.attn.v.bias',
      'layers.0.attn.out.weight',
      'layers.1.ffn.linear1.weight',
      'layers.0.norm1.weight',
      'layers.1.norm2.bias',
    ];
    const { copies, run } = setup(model, names);
    const x = requireGrad(randomNormal(backend, [2, 5, 8], createRng(4)));
    const mask = tensor(backend, [1, 1, 1, 1, 1, 0, 1, 1, 0, 1], [2, 5]);
    const report = gradcheck((xx, ...ps) => run(xx, mask, ...ps), [x, ...copies], { atol: 3e-3 });
    expect(report.checked).toBeGreaterThan(200);
    expect(report.failures).toEqual([]);
  });
});
