/**
 * Regenerates the small committed test slices in this folder from the installed Debian packages:
 * `sudo apt-get install -y python3-sklearn dataset-fashion-mnist`, then
 * `node --conditions=@aaren/source --import tsx test/data/make-slices.ts` from packages/model.
 * @packageDocumentation
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serializeIdx } from '../../src/data/idx.js';
import { datasetPath, loadIdxFile, readTextFile } from '../../src/data/node/index.js';

const here = dirname(fileURLToPath(import.meta.url));

const digits = await readTextFile(await datasetPath('digits'));
const rows = digits.split('\n').slice(0, 300).join('\n') + '\n';
await writeFile(join(here, 'digits-300.csv.gz'), gzipSync(rows, { level: 9 }));

const fashion = await datasetPath('fashion-mnist');
const images = await loadIdxFile(join(fashion, 't10k-images-idx3-ubyte.gz'));
const labels = await loadIdxFile(join(fashion, 't10k-labels-idx1-ubyte.gz'));
const n = 100;
const [, h, w] = images.dims as [number, number, number];
await writeFile(
  join(here, 'fashion-mnist-t10k-100-images-idx3-ubyte.gz'),
  gzipSync(serializeIdx({ type: 'u8', dims: [n, h, w], data: images.data.slice(0, n * h * w) }), {
    level: 9,
  }),
);
await writeFile(
  join(here, 'fashion-mnist-t10k-100-labels-idx1-ubyte.gz'),
  gzipSync(serializeIdx({ type: 'u8', dims: [n], data: labels.data.slice(0, n) }), { level: 9 }),
);
console.log('wrote digits-300.csv.gz and fashion-mnist-t10k-100-{images,labels}-*.gz');
