import { describe, expect, it } from 'vitest';
import { AarenStack } from './aaren-stack.js';
import { TransformerStack } from './transformer-stack.js';

describe('parameter counts (paper, one encoder layer at d_model = 512, d_ff = 2048)', () => {
  const config = { dModel: 512, heads: 8, dFF: 2048, layers: 1 };

  it('Transformer: 3,152,384', () => {
    expect(new TransformerStack(config).paramCount()).toBe(3_152_384);
  });

  it('Aaren: 3,152,896 (the Transformer + one 512-dimensional learned query)', () => {
    const aaren = new AarenStack(config);
    expect(aaren.paramCount()).toBe(3_152_896);
    expect(aaren.paramCount() - new TransformerStack(config).paramCount()).toBe(512);
    expect(aaren.parameterShapes().get('layers.0.attn.query')).toEqual([512]);
  });

  it('names parameters with stable dotted paths', () => {
    const names = [...new AarenStack({ dModel: 8, heads: 2, dFF: 16, layers: 2 }).parameterShapes().keys()];
    expect(names.slice(0, 11)).toEqual([
      'layers.0.attn.query',
      'layers.0.attn.q.weight',
      'layers.0.attn.q.bias',
      'layers.0.attn.k.weight',
      'layers.0.attn.k.bias',
      'layers.0.attn.v.weight',
      'layers.0.attn.v.bias',
      'layers.0.attn.out.weight',
      'layers.0.attn.out.bias',
      'layers.0.ffn.linear1.weight',
      'layers.0.ffn.linear1.bias',
    ]);
    expect(names).toContain('layers.1.norm2.bias');
    expect(names).toHaveLength(2 * 17);
  });
});
