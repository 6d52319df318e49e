import { join } from 'node:path';
import { cpuBackend } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import {
  attentionTransferLoss,
  convertToSupra,
  featureMapWeightNames,
  TokenWindows,
  Trainer,
  TransformerLM,
} from '../src/index.js';
import { loadPretrained } from '../src/node/index.js';
import { FIXTURES } from './helpers.js';

describe('attention transfer', () => {
  it('trains only φ and brings the linear attention closer to the teacher attention', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'llama-gqa-llama3'), { backend: cpu });
    const teacher = model as TransformerLM;
    expect(teacher).toBeInstanceOf(TransformerLM);
    const student = convertToSupra(teacher, { chunkSize: 8 });
    const names = featureMapWeightNames(student);
    expect(names).toHaveLength(8);
    const tokens = Int32Array.from({ length: 800 }, (_, i) => (i * 7 + (i >> 3)) % 64);
    const norm = student.weights.get('model.norm.weight')!.dataSync().slice();
    const losses: number[] = [];
    const trainer = new Trainer(student, new TokenWindows(tokens, 16, 2), {
      steps: 30,
      batchSize: 4,
      lr: 1e-2,
      warmupSteps: 2,
      trainable: names,
      loss: attentionTransferLoss(teacher, student),
    });
    await trainer.run({ onProgress: (p) => losses.push(p.loss) });
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.8);
    expect(student.weights.get('model.norm.weight')!.dataSync()).toEqual(norm);
  });
});
