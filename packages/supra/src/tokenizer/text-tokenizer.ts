/**
 * Text ↔ token ids with a Hugging Face `tokenizer.json`, through the maintained `@huggingface/tokenizers`
 * library (BPE, WordPiece, Unigram; byte-level and SentencePiece-style pipelines).
 * @packageDocumentation
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { TokenizerError } from '../errors.js';

/** Options of {@link TextTokenizer.encode}. */
export interface EncodeOptions {
  /** Add the special tokens of the tokenizer's post-processor (e.g. Llama's BOS). Default true. */
  readonly addSpecialTokens?: boolean;
}

/** Options of {@link TextTokenizer.decode}. */
export interface DecodeOptions {
  /** Leave special tokens (BOS, EOS, …) out of the text. Default false. */
  readonly skipSpecialTokens?: boolean;
}

/** A tokenizer: text to ids and back. */
export interface TextTokenizer {
  /** Number of tokens, added tokens included. */
  readonly vocabSize: number;
  /** Token ids of `text`. */
  encode(text: string, options?: EncodeOptions): number[];
  /** Text of `ids`. */
  decode(ids: readonly number[], options?: DecodeOptions): string;
  /** The id of token string `token`, or `undefined`. */
  tokenToId(token: string): number | undefined;
  /** The token string of `id`, or `undefined`. */
  idToToken(id: number): string | undefined;
  /** Ids of the special tokens (BOS, EOS, padding, …). */
  readonly specialTokenIds: readonly number[];
  /** The end-of-sequence token id named by `tokenizer_config.json` (`eos_token`), if any. */
  readonly eosTokenId: number | null;
}

function tokenName(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { content?: unknown }).content === 'string'
  ) {
    return (value as { content: string }).content;
  }
  return null;
}

/**
 * A {@link TextTokenizer} from the parsed contents of `tokenizer.json` and (optionally)
 * `tokenizer_config.json`.
 *
 * @example
 * ```ts
 * const tok = createTokenizer(JSON.parse(tokenizerJsonText));
 * const ids = tok.encode('Call me Ishmael.');
 * tok.decode(ids); // 'Call me Ishmael.'
 * ```
 * @throws {@link TokenizerError} when the JSON is not a tokenizer the library can build.
 */
export function createTokenizer(
  tokenizerJson: unknown,
  tokenizerConfig: unknown = {},
  fileName = 'tokenizer.json',
): TextTokenizer {
  if (typeof tokenizerJson !== 'object' || tokenizerJson === null || !('model' in tokenizerJson)) {
    throw new TokenizerError(fileName, 'is not a tokenizer.json object (no "model" field)');
  }
  const config = (
    typeof tokenizerConfig === 'object' && tokenizerConfig !== null ? tokenizerConfig : {}
  ) as Record<string, unknown>;
  let inner: Tokenizer;
  try {
    inner = new Tokenizer(tokenizerJson, config);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new TokenizerError(fileName, `cannot be loaded: ${why}`, { cause });
  }
  const special = [...inner.get_added_tokens_decoder().entries()]
    .filter(([, token]) => token.special)
    .map(([id]) => id);
  const eosName = tokenName(config.eos_token);
  const eos = eosName === null ? undefined : inner.token_to_id(eosName);
  return {
    vocabSize: inner.get_vocab(true).size,
    encode: (text, options = {}) =>
      inner.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids,
    decode: (ids, options = {}) =>
      ids.length === 0
        ? ''
        : inner.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false }),
    tokenToId: (token) => inner.token_to_id(token),
    idToToken: (id) => inner.id_to_token(id),
    specialTokenIds: special,
    eosTokenId: eos ?? null,
  };
}
