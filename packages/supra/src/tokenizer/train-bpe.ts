/**
 * Learning the merges of a byte-level BPE tokenizer (GPT-2 style) from text, written out as a Hugging Face
 * `tokenizer.json`. Only the vocabulary is learned here; encoding and decoding are done by the
 * `@huggingface/tokenizers` library that reads the file (see {@link createTokenizer}).
 * @packageDocumentation
 */
import { SupraOptionError } from '../errors.js';

/** The pre-tokenizer pattern of `tokenizers`' ByteLevel (GPT-2's), which training must split text with. */
const GPT2_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's reversible map from the 256 byte values to printable characters. */
export function byteLevelAlphabet(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    map[b] = printable.includes(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + extra++);
  }
  return map;
}

/** Options of {@link trainByteLevelBpe}. */
export interface TrainBpeOptions {
  /** Vocabulary size, the 256 bytes and the special tokens included. */
  readonly vocabSize: number;
  /** Stop early when the most frequent pair occurs fewer times. Default 2. */
  readonly minFrequency?: number;
  /** Special tokens appended after the merges. Default `['<|endoftext|>']`. */
  readonly specialTokens?: readonly string[];
}

/** A trained tokenizer: the `tokenizer.json` and `tokenizer_config.json` objects. */
export interface TrainedBpe {
  /** Contents of `tokenizer.json`. */
  readonly tokenizer: Record<string, unknown>;
  /** Contents of `tokenizer_config.json` (EOS = the first special token). */
  readonly config: Record<string, unknown>;
  /** Number of merges learned. */
  readonly merges: number;
}

/**
 * Learns a byte-level BPE vocabulary from `texts`: text is split like the ByteLevel pre-tokenizer splits it,
 * each piece starts as its UTF-8 bytes, and the most frequent adjacent pair (ties: the smaller pair of ids)
 * is merged until the vocabulary is full.
 *
 * @example
 * ```ts
 * const { tokenizer, config } = trainByteLevelBpe([corpus], { vocabSize: 2048 });
 * const tok = createTokenizer(tokenizer, config);
 * ```
 * @throws {@link SupraOptionError} when `vocabSize` cannot hold the bytes and special tokens.
 */
export function trainByteLevelBpe(texts: Iterable<string>, options: TrainBpeOptions): TrainedBpe {
  const specials = options.specialTokens ?? ['<|endoftext|>'];
  const minFrequency = options.minFrequency ?? 2;
  const target = options.vocabSize - specials.length;
  if (!Number.isInteger(options.vocabSize) || target < 256) {
    throw new SupraOptionError(
      'trainByteLevelBpe',
      'vocabSize',
      `must be an integer ≥ ${256 + specials.length}, got ${options.vocabSize}`,
    );
  }
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const match of text.matchAll(GPT2_PATTERN)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  }
  const encoder = new TextEncoder();
  const words: number[][] = [];
  const freq: number[] = [];
  for (const [piece, n] of counts) {
    words.push([...encoder.encode(piece)]);
    freq.push(n);
  }
  const alphabet = byteLevelAlphabet();
  const strings: string[] = [...alphabet];
  const merges: string[] = [];
  while (strings.length < target) {
    const pairs = new Map<number, number>();
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const n = freq[w]!;
      for (let i = 0; i + 1 < word.length; i++) {
        const key = word[i]! * 65536 + word[i + 1]!;
        pairs.set(key, (pairs.get(key) ?? 0) + n);
      }
    }
    let best = -1;
    let bestCount = 0;
    for (const [key, n] of pairs) {
      if (n > bestCount || (n === bestCount && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (best < 0 || bestCount < minFrequency) break;
    const left = Math.floor(best / 65536);
    const right = best % 65536;
    const id = strings.length;
    strings.push(strings[left]! + strings[right]!);
    merges.push(`${strings[left]} ${strings[right]}`);
    for (const word of words) {
      for (let i = 0; i + 1 < word.length; i++) {
        if (word[i] === left && word[i + 1] === right) word.splice(i, 2, id);
      }
    }
  }
  const vocab: Record<string, number> = {};
  strings.forEach((s, i) => {
    vocab[s] = i;
  });
  const added = specials.map((content, i) => ({
    id: strings.length + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
  const eos = specials[0] ?? null;
  const config = {
    tokenizer_class: 'GPT2Tokenizer',
    bos_token: eos,
    eos_token: eos,
    unk_token: eos,
    add_prefix_space: false,
    clean_up_tokenization_spaces: false,
  };
  return { tokenizer, config, merges: merges.length };
}
