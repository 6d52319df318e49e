#!/usr/bin/env python3
"""Writes `tokenizer/tokenizer.json` (+ `tokenizer_config.json`): a small byte-level BPE tokenizer in the
Hugging Face `tokenizers` format (GPT-2 style: ByteLevel pre-tokenizer and decoder, 256 byte tokens, merges
learned here from a paragraph of public-domain text, and an `<|endoftext|>` special token).

Only the merges are learned here (greedy pair counting over whitespace-separated words); encoding and
decoding in the tests are done by the `@huggingface/tokenizers` library. Run with `python3 make_tokenizer.py`.
"""
import collections
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = (
    "Call me Ishmael. Some years ago - never mind how long precisely - having little or no money in my purse, "
    "and nothing particular to interest me on shore, I thought I would sail about a little and see the watery "
    "part of the world. It is a way I have of driving off the spleen and regulating the circulation. Whenever I "
    "find myself growing grim about the mouth; whenever it is a damp, drizzly November in my soul; then, I "
    "account it high time to get to sea as soon as I can."
)
NUM_MERGES = 120


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def main():
    byte_map = bytes_to_unicode()
    vocab = {byte_map[b]: i for i, b in enumerate(sorted(byte_map))}
    # Words as the ByteLevel pre-tokenizer roughly splits them: a leading space belongs to the word.
    words = collections.Counter()
    for i, w in enumerate(TEXT.split(" ")):
        token = ("" if i == 0 else " ") + w
        words[tuple(byte_map[b] for b in token.encode("utf-8"))] += 1
    merges = []
    for _ in range(NUM_MERGES):
        pairs = collections.Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        (a, b), _count = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        merges.append(f"{a} {b}")
        vocab[a + b] = len(vocab)
        merged = collections.Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += c
        words = merged
    eos_id = len(vocab)
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {
                "id": eos_id,
                "content": "<|endoftext|>",
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": True,
                "special": True,
            }
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "",
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": merges,
        },
    }
    config = {
        "tokenizer_class": "GPT2Tokenizer",
        "bos_token": "<|endoftext|>",
        "eos_token": "<|endoftext|>",
        "unk_token": "<|endoftext|>",
        "add_prefix_space": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 1024,
    }
    folder = os.path.join(HERE, "tokenizer")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=1)
        f.write("\n")
    print(f"{len(vocab) + 1} tokens, {len(merges)} merges")


if __name__ == "__main__":
    main()
