#!/usr/bin/env python3
"""Checks the fixtures' expected logits against Hugging Face `transformers` (where it is installed):

    pip install torch transformers safetensors
    python3 packages/supra/test/__fixtures__/verify_with_transformers.py

For each fixture folder it loads the checkpoint with `AutoModelForCausalLM.from_pretrained` (float32, eager
attention), runs the stored input ids, and prints the largest absolute difference from `expected.json` — the
logits that @aaren/supra's tests compare the TypeScript engine against (tolerance 1e-4). The SUPRA fixtures
(`supra-*`) are not `transformers` architectures and are skipped.
"""
import json
import os
import sys

import torch
from transformers import AutoModelForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
worst = 0.0
for name in ["llama-gqa-llama3", "llama-sharded-linear", "mistral-window-bf16", "gpt2"]:
    folder = os.path.join(HERE, name)
    model = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager")
    model.eval()
    with open(os.path.join(folder, "expected.json")) as f:
        expected = json.load(f)
    with torch.no_grad():
        logits = model(torch.tensor(expected["input_ids"])).logits
    diff = (logits - torch.tensor(expected["logits"])).abs().max().item()
    worst = max(worst, diff)
    print(f"{name}: max |transformers - expected| = {diff:.3g}")
sys.exit(0 if worst < 1e-4 else 1)
