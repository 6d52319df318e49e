import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { digitsFromTable, shuffleSplit } from '../data/classification.js';
import { loadCsvFile } from '../data/node/files.js';
import { classificationTaskData, trainTask } from './task.js';

const slices = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'data');

describe('training on real data', () => {
  it('reduces the loss on the committed digits slice, for Aaren and the Transformer', async () => {
    const table = await loadCsvFile(join(slices, 'digits-300.csv.gz'), { header: false });
    const parts = shuffleSplit(digitsFromTable(table), { val: 0.1, test: 0.2, seed: 0 });
    const data = classificationTaskData('digits-300', {}, parts);
    for (const backbone of ['aaren', 'transformer'] as const) {
      const outcome = await trainTask(data, {
        backbone,
        encoder: { dModel: 16, heads: 2, layers: 1, dFF: 32 },
        epochs: 8,
        lr: 1e-2,
        schedule: 'constant',
        seed: 1,
        restoreBest: false,
      });
      outcome.model.dispose();
      const losses = outcome.fit.history.map((h) => h.train.loss!);
      expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
      // 10 balanced classes: chance is 10%.
      expect(outcome.test.accuracy).toBeGreaterThan(0.6);
    }
  });
});
