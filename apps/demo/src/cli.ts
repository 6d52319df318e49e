/**
 * `aaren-demo`: prints softmax attention computed as an RNN, as a parallel scan and quadratically on
 * built-in data, and how far apart they are. Options: `--heads`, `--length`, `--dim`, `--seed`.
 */
import { parseArgs } from 'node:util';
import { cpuBackend } from '@aaren/core';
import { maxAbsDiff, multiHeadExample, WORKED_SCORES, WORKED_VALUES, workedExample } from './demo.js';

const { values } = parseArgs({
  options: {
    heads: { type: 'string', default: '2' },
    length: { type: 'string', default: '8' },
    dim: { type: 'string', default: '4' },
    seed: { type: 'string', default: '7' },
  },
});
const toInt = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`aaren-demo: --${name} must be a positive integer, got '${text}'`);
    process.exit(2);
  }
  return n;
};
const config = {
  heads: toInt('heads', values.heads),
  length: toInt('length', values.length),
  dim: toInt('dim', values.dim),
  seed: toInt('seed', values.seed),
};

const backend = cpuBackend();
const fmt = (x: number) => x.toFixed(4).padStart(9);

console.log('aaren demo: softmax attention as an RNN (Feng et al., arXiv 2405.13956)\n');
console.log('1. Worked example: one query, scores s and values v');
console.log(`   s = [${WORKED_SCORES.join(', ')}], v = [${WORKED_VALUES.join(', ')}]`);
const worked = workedExample(backend);
console.log('   prefix k   scan (m,u,w)   quadratic   cummax shortcut (wrong)');
worked.scan.forEach((o, k) => {
  console.log(
    `   ${String(k + 1).padStart(8)}  ${fmt(o)}      ${fmt(worked.quadratic[k]!)}   ${fmt(worked.cummaxShortcut[k]!)}`,
  );
});
console.log(`   max |scan − quadratic| = ${maxAbsDiff(worked.scan, worked.quadratic).toExponential(2)}\n`);

const { heads, length, dim } = config;
console.log(
  `2. Random multi-head example: ${heads} heads, ${length} tokens, d = ${dim}, seed ${config.seed}`,
);
const multi = multiHeadExample(backend, config);
for (let h = 0; h < Math.min(heads, 2); h++) {
  console.log(`   head ${h}, first output feature per prefix:`);
  console.log('      token   RNN step    scan     quadratic');
  for (let t = 0; t < Math.min(length, 12); t++) {
    const i = (h * length + t) * dim;
    console.log(
      `   ${String(t + 1).padStart(8)} ${fmt(multi.streamed[i]!)} ${fmt(multi.scan[i]!)} ${fmt(multi.quadratic[i]!)}`,
    );
  }
}
console.log(`   max |scan − quadratic|     = ${maxAbsDiff(multi.scan, multi.quadratic).toExponential(2)}`);
console.log(
  `   max |RNN step − quadratic| = ${maxAbsDiff(multi.streamed, multi.quadratic).toExponential(2)}`,
);
const sizes = new Set(multi.stateSizes);
console.log(
  `   RNN state: ${multi.stateSizes[0]} numbers after token 1 and ${multi.stateSizes.at(-1)} after token ${length}` +
    ` (${sizes.size === 1 ? 'constant' : 'NOT constant'}); quadratic attention keeps all ${2 * heads * length * dim} key/value numbers.`,
);
