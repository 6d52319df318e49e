#!/usr/bin/env python3
"""Builds the tiny Hugging Face-layout checkpoints that @aaren/supra's tests load, and the logits they must
produce, with an independent PyTorch implementation of each architecture (no `transformers`).

Run with Debian's PyTorch (`apt-get install python3-torch`, then `/usr/bin/python3 make_fixtures.py`) from
this folder. Deterministic: the same torch version writes the same files.

Each fixture folder holds `config.json`, the weights (`model.safetensors`, or shards with
`model.safetensors.index.json`) and `expected.json` = {"input_ids": [[...]], "logits": [[[...]]]}: the logits of
the reference forward below, in float32, for a batch of two sequences. The forwards follow the structure of
`transformers`' modeling_llama.py, modeling_mistral.py and modeling_gpt2.py (eager attention) line by line,
but are written here from the equations.
"""
import json
import math
import os
import struct

import torch

torch.manual_seed(0)
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------------------
# safetensors writer (the format: u64 header length, JSON header, raw little-endian data)
# ---------------------------------------------------------------------------------------------------------
DTYPES = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16"}


def save_safetensors(path, tensors, dtype=torch.float32):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().to(dtype).contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


# ---------------------------------------------------------------------------------------------------------
# RoPE (transformers' modeling_rope_utils: default, linear, dynamic, llama3, yarn)
# ---------------------------------------------------------------------------------------------------------
def default_inv_freq(dim, base):
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))


def rope_parameters(cfg, seq_len=None):
    dim = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    base = cfg.get("rope_theta", 10000.0)
    rs = cfg.get("rope_scaling") or {"rope_type": "default"}
    kind = rs.get("rope_type", rs.get("type"))
    if kind == "default":
        return default_inv_freq(dim, base), 1.0
    if kind == "linear":
        return default_inv_freq(dim, base) / rs["factor"], 1.0
    if kind == "dynamic":
        max_pos = cfg["max_position_embeddings"]
        seq_len = seq_len if seq_len is not None and seq_len > max_pos else max_pos
        factor = rs["factor"]
        base = base * ((factor * seq_len / max_pos) - (factor - 1)) ** (dim / (dim - 2))
        return default_inv_freq(dim, base), 1.0
    if kind == "llama3":
        inv_freq = default_inv_freq(dim, base)
        factor, low, high = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / inv_freq
        inv_l = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * inv_l / factor + smooth * inv_l
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        return torch.where(medium, smoothed, inv_l), 1.0
    if kind == "yarn":
        factor = rs["factor"]
        max_pos = cfg["max_position_embeddings"]
        if "original_max_position_embeddings" in rs:
            orig = rs["original_max_position_embeddings"]
            factor = max_pos / orig
        else:
            orig = max_pos

        def mscale(scale, m=1):
            return 1.0 if scale <= 1 else 0.1 * m * math.log(scale) + 1.0

        att = rs.get("attention_factor")
        if att is None:
            if rs.get("mscale") and rs.get("mscale_all_dim"):
                att = mscale(factor, rs["mscale"]) / mscale(factor, rs["mscale_all_dim"])
            else:
                att = mscale(factor)
        beta_fast, beta_slow = rs.get("beta_fast") or 32, rs.get("beta_slow") or 1

        def corr(rot):
            return (dim * math.log(orig / (rot * 2 * math.pi))) / (2 * math.log(base))

        lo, hi = corr(beta_fast), corr(beta_slow)
        if rs.get("truncate", True):
            lo, hi = math.floor(lo), math.ceil(hi)
        lo, hi = max(lo, 0), min(hi, dim - 1)
        if lo == hi:
            hi += 0.001
        pos_freqs = base ** (torch.arange(0, dim, 2).float() / dim)
        extra, inter = 1.0 / pos_freqs, 1.0 / (factor * pos_freqs)
        ramp = torch.clamp((torch.arange(dim // 2, dtype=torch.float32) - lo) / (hi - lo), 0, 1)
        extra_factor = 1 - ramp
        return inter * (1 - extra_factor) + extra * extra_factor, att
    raise ValueError(kind)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


# ---------------------------------------------------------------------------------------------------------
# Llama / Mistral
# ---------------------------------------------------------------------------------------------------------
def rms_norm(x, w, eps):
    var = x.pow(2).mean(-1, keepdim=True)
    return w * (x * torch.rsqrt(var + eps))


def lin(x, W, name):
    y = x @ W[name + ".weight"].T
    if name + ".bias" in W:
        y = y + W[name + ".bias"]
    return y


def llama_forward(cfg, W, ids):
    B, T = ids.shape
    H, KV = cfg["num_attention_heads"], cfg.get("num_key_value_heads") or cfg["num_attention_heads"]
    hd = cfg.get("head_dim") or cfg["hidden_size"] // H
    eps = cfg.get("rms_norm_eps", 1e-6)
    window = cfg.get("sliding_window")
    inv_freq, att = rope_parameters(cfg, T)
    pos = torch.arange(T).float()
    freqs = pos[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos() * att, emb.sin() * att
    i = torch.arange(T)[:, None]
    j = torch.arange(T)[None, :]
    allowed = j <= i
    if window is not None:
        allowed = allowed & (i - j < window)
    mask = torch.zeros(T, T).masked_fill(~allowed, float("-inf"))
    h = W["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        x = rms_norm(h, W[p + "input_layernorm.weight"], eps)
        q = lin(x, W, p + "self_attn.q_proj").view(B, T, H, hd).transpose(1, 2)
        k = lin(x, W, p + "self_attn.k_proj").view(B, T, KV, hd).transpose(1, 2)
        v = lin(x, W, p + "self_attn.v_proj").view(B, T, KV, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k[:, :, None].expand(B, KV, H // KV, T, hd).reshape(B, H, T, hd)
        v = v[:, :, None].expand(B, KV, H // KV, T, hd).reshape(B, H, T, hd)
        scores = q @ k.transpose(2, 3) * hd**-0.5 + mask
        o = torch.softmax(scores, dim=-1) @ v
        o = o.transpose(1, 2).reshape(B, T, H * hd)
        h = h + lin(o, W, p + "self_attn.o_proj")
        x = rms_norm(h, W[p + "post_attention_layernorm.weight"], eps)
        gated = torch.nn.functional.silu(lin(x, W, p + "mlp.gate_proj")) * lin(x, W, p + "mlp.up_proj")
        h = h + lin(gated, W, p + "mlp.down_proj")
    h = rms_norm(h, W["model.norm.weight"], eps)
    head = W["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else W["lm_head.weight"]
    return h @ head.T


def llama_weights(cfg):
    D, V, I = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"]
    H, KV = cfg["num_attention_heads"], cfg.get("num_key_value_heads") or cfg["num_attention_heads"]
    hd = cfg.get("head_dim") or D // H
    ab, mb = cfg.get("attention_bias", False), cfg.get("mlp_bias", False)
    W = {"model.embed_tokens.weight": torch.randn(V, D) * 0.5}

    def linear(name, o, i, bias):
        W[name + ".weight"] = torch.randn(o, i) / math.sqrt(i)
        if bias:
            W[name + ".bias"] = torch.randn(o) * 0.1

    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        W[p + "input_layernorm.weight"] = 1 + 0.1 * torch.randn(D)
        linear(p + "self_attn.q_proj", H * hd, D, ab)
        linear(p + "self_attn.k_proj", KV * hd, D, ab)
        linear(p + "self_attn.v_proj", KV * hd, D, ab)
        linear(p + "self_attn.o_proj", D, H * hd, ab)
        W[p + "post_attention_layernorm.weight"] = 1 + 0.1 * torch.randn(D)
        linear(p + "mlp.gate_proj", I, D, mb)
        linear(p + "mlp.up_proj", I, D, mb)
        linear(p + "mlp.down_proj", D, I, mb)
    W["model.norm.weight"] = 1 + 0.1 * torch.randn(D)
    if not cfg.get("tie_word_embeddings"):
        W["lm_head.weight"] = torch.randn(V, D) / math.sqrt(D)
    return W


# ---------------------------------------------------------------------------------------------------------
# GPT-2
# ---------------------------------------------------------------------------------------------------------
def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def conv1d(x, W, name):  # transformers' Conv1D: x @ weight + bias, weight [in, out]
    return x @ W[name + ".weight"] + W[name + ".bias"]


def layer_norm(x, W, name, eps):
    return torch.nn.functional.layer_norm(x, x.shape[-1:], W[name + ".weight"], W[name + ".bias"], eps)


def gpt2_forward(cfg, W, ids):
    B, T = ids.shape
    D, H = cfg["n_embd"], cfg["n_head"]
    hd = D // H
    eps = cfg["layer_norm_epsilon"]
    h = W["transformer.wte.weight"][ids] + W["transformer.wpe.weight"][torch.arange(T)][None]
    mask = torch.triu(torch.full((T, T), float("-inf")), diagonal=1)
    for l in range(cfg["n_layer"]):
        p = f"transformer.h.{l}."
        qkv = conv1d(layer_norm(h, W, p + "ln_1", eps), W, p + "attn.c_attn")
        q, k, v = qkv.split(D, dim=2)
        q, k, v = (t.view(B, T, H, hd).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-1, -2) / (hd**0.5) + mask
        o = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, D)
        h = h + conv1d(o, W, p + "attn.c_proj")
        m = conv1d(gelu_new(conv1d(layer_norm(h, W, p + "ln_2", eps), W, p + "mlp.c_fc")), W, p + "mlp.c_proj")
        h = h + m
    h = layer_norm(h, W, "transformer.ln_f", eps)
    return h @ W["transformer.wte.weight"].T


def gpt2_weights(cfg):
    D, V, P = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]
    I = cfg.get("n_inner") or 4 * D
    W = {"transformer.wte.weight": torch.randn(V, D) * 0.5, "transformer.wpe.weight": torch.randn(P, D) * 0.1}

    def norm(name):
        W[name + ".weight"] = 1 + 0.1 * torch.randn(D)
        W[name + ".bias"] = 0.1 * torch.randn(D)

    def conv(name, i, o):
        W[name + ".weight"] = torch.randn(i, o) / math.sqrt(i)
        W[name + ".bias"] = 0.1 * torch.randn(o)

    for l in range(cfg["n_layer"]):
        p = f"transformer.h.{l}."
        norm(p + "ln_1")
        conv(p + "attn.c_attn", D, 3 * D)
        conv(p + "attn.c_proj", D, D)
        norm(p + "ln_2")
        conv(p + "mlp.c_fc", D, I)
        conv(p + "mlp.c_proj", I, D)
    norm("transformer.ln_f")
    return W


# ---------------------------------------------------------------------------------------------------------
# SUPRA (the recurrence of linear_open_lm's `LinearAttn.forward_recurrent` / `recurrent_forward`)
# ---------------------------------------------------------------------------------------------------------
def reference_slopes(n):
    """`get_slopes` of the reference code for a power-of-two number of heads (start = ratio)."""
    ratio = 2 ** (-(2 ** -(math.log2(n) - 3)))
    return [ratio * ratio**i for i in range(n)]


def supra_attention(cfg, W, feature_prefix, q, k, v, B, T, H, KV, hd, rope_fn):
    s_cfg = cfg["supra"]
    dphi = s_cfg["feature_dim"]
    fq = torch.relu(lin(q, W, feature_prefix + "feature_map")).view(B, T, H, dphi)
    key_map = feature_prefix + ("feature_map_kv" if H != KV else "feature_map")
    fk = torch.relu(lin(k, W, key_map)).view(B, T, KV, dphi)
    v = v.view(B, T, KV, hd)
    fk = fk[:, :, :, None].expand(B, T, KV, H // KV, dphi).reshape(B, T, H, dphi)
    v = v[:, :, :, None].expand(B, T, KV, H // KV, hd).reshape(B, T, H, hd)
    fq, fk, v = fq.transpose(1, 2), fk.transpose(1, 2), v.transpose(1, 2)
    if rope_fn is not None:
        fq, fk = rope_fn(fq), rope_fn(fk)
    gamma = torch.tensor(s_cfg["decay"], dtype=torch.float32).view(1, H, 1, 1)
    scale = s_cfg["key_scale"]
    s = torch.zeros(B, H, dphi, hd)
    outs = []
    for t in range(T):
        s = s + (fk[:, :, t : t + 1].transpose(-1, -2) * scale) @ v[:, :, t : t + 1]
        outs.append(fq[:, :, t : t + 1] @ s)
        s = gamma * s
    o = torch.cat(outs, dim=2).transpose(1, 2).reshape(B * T, H * hd)
    o = torch.nn.functional.group_norm(o, H, eps=s_cfg["group_norm_eps"])
    return o.view(B, T, H * hd)


def supra_llama_forward(cfg, W, ids):
    B, T = ids.shape
    H, KV = cfg["num_attention_heads"], cfg.get("num_key_value_heads") or cfg["num_attention_heads"]
    hd = cfg.get("head_dim") or cfg["hidden_size"] // H
    eps = cfg.get("rms_norm_eps", 1e-6)
    inv_freq, att = rope_parameters(cfg, T)
    freqs = torch.arange(T).float()[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos() * att, emb.sin() * att

    def rope_fn(x):
        return x * cos + rotate_half(x) * sin

    h = W["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        x = rms_norm(h, W[p + "input_layernorm.weight"], eps)
        q = lin(x, W, p + "self_attn.q_proj")
        k = lin(x, W, p + "self_attn.k_proj")
        v = lin(x, W, p + "self_attn.v_proj")
        o = supra_attention(cfg, W, p + "self_attn.", q, k, v, B, T, H, KV, hd, rope_fn)
        h = h + lin(o, W, p + "self_attn.o_proj")
        x = rms_norm(h, W[p + "post_attention_layernorm.weight"], eps)
        gated = torch.nn.functional.silu(lin(x, W, p + "mlp.gate_proj")) * lin(x, W, p + "mlp.up_proj")
        h = h + lin(gated, W, p + "mlp.down_proj")
    h = rms_norm(h, W["model.norm.weight"], eps)
    head = W["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else W["lm_head.weight"]
    return h @ head.T


def supra_gpt2_forward(cfg, W, ids):
    B, T = ids.shape
    D, H = cfg["n_embd"], cfg["n_head"]
    hd = D // H
    eps = cfg["layer_norm_epsilon"]
    h = W["transformer.wte.weight"][ids] + W["transformer.wpe.weight"][torch.arange(T)][None]
    for l in range(cfg["n_layer"]):
        p = f"transformer.h.{l}."
        qkv = conv1d(layer_norm(h, W, p + "ln_1", eps), W, p + "attn.c_attn")
        q, k, v = qkv.split(D, dim=2)
        o = supra_attention(cfg, W, p + "attn.", q, k, v, B, T, H, H, hd, None)
        h = h + conv1d(o, W, p + "attn.c_proj")
        m = conv1d(gelu_new(conv1d(layer_norm(h, W, p + "ln_2", eps), W, p + "mlp.c_fc")), W, p + "mlp.c_proj")
        h = h + m
    h = layer_norm(h, W, "transformer.ln_f", eps)
    return h @ W["transformer.wte.weight"].T


def with_supra(cfg, W, prefix_of, heads, kv_heads, hd, rope):
    """Adds a `supra` section (paper defaults) and random feature maps to a config and its weights."""
    cfg = dict(cfg)
    cfg["supra"] = {
        "feature_dim": hd,
        "feature_bias": True,
        "share_feature_map": True,
        "rope": rope,
        "key_scale": 1 / math.sqrt(hd),
        "decay": [math.exp(-s) for s in reference_slopes(heads)],
        "normalization": "group-norm",
        "group_norm_eps": 1e-5,
        "chunk_size": 4,
    }
    W = dict(W)
    layers = cfg.get("num_hidden_layers") or cfg["n_layer"]
    for l in range(layers):
        p = prefix_of(l)
        n = heads * hd
        W[p + "feature_map.weight"] = torch.randn(n, n) / math.sqrt(n)
        W[p + "feature_map.bias"] = 0.1 * torch.randn(n)
        if kv_heads != heads:
            m = kv_heads * hd
            W[p + "feature_map_kv.weight"] = torch.randn(m, m) / math.sqrt(m)
            W[p + "feature_map_kv.bias"] = 0.1 * torch.randn(m)
    return cfg, W


# ---------------------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------------------
def emit(name, cfg, W, forward, seq_len=12, dtype=torch.float32, shards=1):
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        os.remove(os.path.join(folder, f))
    # Round the weights to the stored dtype first, so the expected logits are those of the stored model.
    W = {k: v.to(dtype).float() for k, v in W.items()}
    write_json(os.path.join(folder, "config.json"), cfg)
    if shards == 1:
        save_safetensors(os.path.join(folder, "model.safetensors"), W, dtype)
    else:
        names = list(W)
        per = math.ceil(len(names) / shards)
        weight_map, total = {}, 0
        for s in range(shards):
            file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            part = {n: W[n] for n in names[s * per : (s + 1) * per]}
            save_safetensors(os.path.join(folder, file), part, dtype)
            for n, t in part.items():
                weight_map[n] = file
                total += t.numel() * t.element_size()
        write_json(
            os.path.join(folder, "model.safetensors.index.json"),
            {"metadata": {"total_size": total}, "weight_map": weight_map},
        )
    vocab = cfg["vocab_size"]
    ids = torch.randint(0, vocab, (2, seq_len))
    with torch.no_grad():
        logits = forward(cfg, W, ids)
    write_json(
        os.path.join(folder, "expected.json"),
        {"input_ids": ids.tolist(), "logits": [[[round(float(x), 7) for x in row] for row in seq] for seq in logits]},
    )


LLAMA_GQA = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "vocab_size": 64,
    "hidden_size": 32,
    "intermediate_size": 48,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 128,
    "rms_norm_eps": 1e-5,
    "rope_theta": 10000.0,
    # head_dim 8: frequencies 1, 0.1, 0.01, 0.001 have wavelengths 6.3, 63, 628, 6283 against the
    # thresholds 16/4 = 4 and 16/1 = 16, so one is smoothed and three are divided by the factor.
    "rope_scaling": {
        "rope_type": "llama3",
        "factor": 8.0,
        "low_freq_factor": 1.0,
        "high_freq_factor": 4.0,
        "original_max_position_embeddings": 16,
    },
    "tie_word_embeddings": True,
    "hidden_act": "silu",
    "bos_token_id": 1,
    "eos_token_id": 2,
    "torch_dtype": "float32",
}

LLAMA_SHARDED = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "vocab_size": 48,
    "hidden_size": 24,
    "intermediate_size": 40,
    "num_hidden_layers": 2,
    "num_attention_heads": 3,
    "max_position_embeddings": 64,
    "rms_norm_eps": 1e-6,
    "rope_theta": 500.0,
    "rope_scaling": {"type": "linear", "factor": 2.0},
    "attention_bias": True,
    "mlp_bias": True,
    "tie_word_embeddings": False,
    "hidden_act": "silu",
    "torch_dtype": "float32",
}

MISTRAL = {
    "architectures": ["MistralForCausalLM"],
    "model_type": "mistral",
    "vocab_size": 64,
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 1,
    "max_position_embeddings": 256,
    "rms_norm_eps": 1e-5,
    "rope_theta": 10000.0,
    "sliding_window": 5,
    "tie_word_embeddings": False,
    "hidden_act": "silu",
    "torch_dtype": "bfloat16",
}

GPT2 = {
    "architectures": ["GPT2LMHeadModel"],
    "model_type": "gpt2",
    "vocab_size": 64,
    "n_embd": 32,
    "n_head": 4,
    "n_layer": 2,
    "n_positions": 32,
    "n_inner": None,
    "activation_function": "gelu_new",
    "layer_norm_epsilon": 1e-5,
    "scale_attn_weights": True,
    "tie_word_embeddings": True,
    "bos_token_id": 0,
    "eos_token_id": 0,
    "torch_dtype": "float32",
}

ROPE_CASES = [
    ("default", {"rope_theta": 10000.0}, None),
    ("linear", {"rope_scaling": {"rope_type": "linear", "factor": 4.0}}, None),
    ("dynamic-short", {"rope_scaling": {"rope_type": "dynamic", "factor": 2.0}}, 100),
    ("dynamic-long", {"rope_scaling": {"rope_type": "dynamic", "factor": 2.0}}, 3000),
    (
        "llama3",
        {
            "rope_theta": 500000.0,
            "rope_scaling": {
                "rope_type": "llama3",
                "factor": 8.0,
                "low_freq_factor": 1.0,
                "high_freq_factor": 4.0,
                "original_max_position_embeddings": 256,
            },
        },
        None,
    ),
    ("yarn", {"rope_scaling": {"rope_type": "yarn", "factor": 4.0}}, None),
    (
        "yarn-original",
        {
            "rope_scaling": {
                "rope_type": "yarn",
                "factor": 4.0,
                "beta_fast": 16.0,
                "mscale": 0.707,
                "mscale_all_dim": 0.707,
                "original_max_position_embeddings": 512,
            }
        },
        None,
    ),
]


def rope_cases():
    out = []
    for name, extra, seq_len in ROPE_CASES:
        cfg = {
            "architectures": ["LlamaForCausalLM"],
            "vocab_size": 8,
            "hidden_size": 256,
            "intermediate_size": 8,
            "num_hidden_layers": 1,
            "num_attention_heads": 4,
            "max_position_embeddings": 2048,
            **extra,
        }
        inv, att = rope_parameters(cfg, seq_len)
        out.append({"name": name, "config": cfg, "seq_len": seq_len, "inv_freq": inv.tolist(), "attention_factor": att})
    write_json(os.path.join(HERE, "rope-frequencies.json"), out)


if __name__ == "__main__":
    emit("llama-gqa-llama3", LLAMA_GQA, llama_weights(LLAMA_GQA), llama_forward)
    emit("llama-sharded-linear", LLAMA_SHARDED, llama_weights(LLAMA_SHARDED), llama_forward, shards=2)
    emit("mistral-window-bf16", MISTRAL, llama_weights(MISTRAL), llama_forward, seq_len=12, dtype=torch.bfloat16)
    emit("gpt2", GPT2, gpt2_weights(GPT2), gpt2_forward)
    rope_cases()
    cfg, W = with_supra(LLAMA_GQA, llama_weights(LLAMA_GQA), lambda l: f"model.layers.{l}.self_attn.", 4, 2, 8, True)
    emit("supra-llama-gqa", cfg, W, supra_llama_forward)
    cfg, W = with_supra(GPT2, gpt2_weights(GPT2), lambda l: f"transformer.h.{l}.attn.", 4, 4, 8, False)
    emit("supra-gpt2", cfg, W, supra_gpt2_forward)
    print("fixtures written to", HERE)
