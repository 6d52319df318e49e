import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenizer, TokenizerError, trainByteLevelBpe } from '../src/index.js';
import { loadTokenizer } from '../src/node/index.js';
import { FIXTURES } from './helpers.js';

const dir = join(FIXTURES, 'tokenizer');

describe('tokenizer.json through @huggingface/tokenizers', () => {
  it('round-trips text, including bytes outside the merges and special tokens', async () => {
    const tok = (await loadTokenizer(dir))!;
    expect(tok.vocabSize).toBe(377);
    expect(tok.eosTokenId).toBe(376);
    expect(tok.specialTokenIds).toEqual([376]);
    for (const text of [
      'Call me Ishmael.',
      'Some years ago - never mind how long precisely',
      '  two spaces, tabs\tand\nnew lines  ',
      'ünïcödé — émojis 🐋 and 中文',
      '',
    ]) {
      const ids = tok.encode(text);
      expect(tok.decode(ids)).toBe(text);
    }
    const withEos = tok.encode('the whale<|endoftext|>');
    expect(withEos[withEos.length - 1]).toBe(376);
    expect(tok.decode(withEos, { skipSpecialTokens: true })).toBe('the whale');
  });

  it('applies the learned merges', async () => {
    const tok = (await loadTokenizer(dir))!;
    // " the" is among the most frequent words of the training paragraph: one token.
    const ids = tok.encode(' the');
    expect(ids).toHaveLength(1);
    expect(tok.idToToken(ids[0]!)).toBe('Ġthe');
    expect(tok.tokenToId('Ġthe')).toBe(ids[0]);
    expect(tok.encode('Call me').length).toBeLessThan('Call me'.length);
  });

  it('returns null for a folder without tokenizer.json and a typed error for a bad one', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'supra-tok-'));
    try {
      expect(await loadTokenizer(tmp)).toBeNull();
      cpSync(dir, tmp, { recursive: true });
      writeFileSync(join(tmp, 'tokenizer.json'), JSON.stringify({ version: '1.0' }));
      await expect(loadTokenizer(tmp)).rejects.toThrow(TokenizerError);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    expect(() => createTokenizer({ model: { type: 'Nonsense' } })).toThrow(TokenizerError);
  });
});

describe('trainByteLevelBpe', () => {
  it('learns merges that @huggingface/tokenizers applies, and round-trips any text', () => {
    const text = 'the whale, the whale! The white whale swam; the sea was calm. '.repeat(20);
    const bpe = trainByteLevelBpe([text], { vocabSize: 300 });
    expect(bpe.merges).toBeGreaterThan(10);
    const tok = createTokenizer(bpe.tokenizer, bpe.config);
    expect(tok.vocabSize).toBe(256 + bpe.merges + 1);
    expect(tok.eosTokenId).toBe(256 + bpe.merges);
    expect(tok.encode(' whale')).toHaveLength(1);
    for (const s of [text, 'unseen wörds 42 🐳', '']) expect(tok.decode(tok.encode(s))).toBe(s);
    expect(() => trainByteLevelBpe([text], { vocabSize: 100 })).toThrow(/vocabSize/);
  });
});
