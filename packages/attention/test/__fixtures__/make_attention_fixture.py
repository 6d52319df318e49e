#!/usr/bin/env python3
"""Writes attention-fixture.json: an outside oracle for @aaren/attention, computed with NumPy only.

Run from this folder:  python3 make_attention_fixture.py
(Debian: apt-get install python3-numpy.) Inputs are drawn with a fixed seed and rounded to float32; every
result is computed in float64 by code written independently of the TypeScript package:

- causal softmax attention with a padding mask, by materialising the masked N x N score matrix and a
  row softmax (rows with no allowed token output 0), and its gradients by central finite differences;
- decayed linear attention by the plain recurrence S_t = g S_{t-1} + k_t^T v_t, o_t = q_t S_t (and the
  normalised variant o_t / (q_t . z_t + eps), z_t = g z_{t-1} + k_t);
- ALiBi slopes by the reference `get_slopes` of Press et al. (github.com/ofirpress/attention_with_linear_biases).
"""
import json
import math

import numpy as np

rng = np.random.default_rng(20240521)


def f32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def causal_attention(q, k, v, mask, scale):
    """q [H, d], k [B, H, N, d], v [B, H, N, dv], mask [B, N] -> [B, H, N, dv]."""
    B, H, N, _ = k.shape
    scores = np.einsum("hd,bhnd->bhn", q, k) * scale
    allowed = np.tril(np.ones((N, N), dtype=bool))[None, None] & (mask[:, None, None, :] != 0)
    s = np.where(allowed, scores[:, :, None, :], -np.inf)
    row_max = s.max(axis=-1, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    e = np.where(allowed, np.exp(s - row_max), 0.0)
    total = e.sum(axis=-1, keepdims=True)
    p = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return p @ v


def central_differences(f, x, h=1e-6):
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = f()
        flat[i] = old - h
        down = f()
        flat[i] = old
        gflat[i] = (up - down) / (2 * h)
    return g


def linear_attention(q, k, v, decay, normalize, eps=1e-6):
    B, H, N, dk = q.shape
    dv = v.shape[-1]
    out = np.zeros((B, H, N, dv))
    for b in range(B):
        for h in range(H):
            S = np.zeros((dk, dv))
            z = np.zeros(dk)
            for t in range(N):
                S = decay[h] * S + np.outer(k[b, h, t], v[b, h, t])
                z = decay[h] * z + k[b, h, t]
                o = q[b, h, t] @ S
                out[b, h, t] = o / (q[b, h, t] @ z + eps) if normalize else o
    return out


def get_slopes(n):
    def get_slopes_power_of_2(n):
        start = 2 ** (-(2 ** -(math.log2(n) - 3)))
        ratio = start
        return [start * ratio**i for i in range(n)]

    if math.log2(n).is_integer():
        return get_slopes_power_of_2(n)
    closest_power_of_2 = 2 ** math.floor(math.log2(n))
    return get_slopes_power_of_2(closest_power_of_2) + get_slopes(2 * closest_power_of_2)[0::2][: n - closest_power_of_2]


# --- softmax attention -------------------------------------------------------------------------------
B, H, N, d, dv = 2, 2, 12, 4, 3
q = f32(rng.normal(size=(H, d)))
k = f32(rng.normal(size=(B, H, N, d)) * 1.5)
v = f32(rng.normal(size=(B, H, N, dv)))
mask = np.ones((B, N))
mask[0, 9:] = 0  # right padding
mask[1, :3] = 0  # left padding: a fully masked prefix
mask[1, 6] = 0  # a hole
scale = 1 / math.sqrt(d)
projection = f32(rng.normal(size=(B, H, N, dv)))
out = causal_attention(q, k, v, mask, scale)


def loss():
    return float((causal_attention(q, k, v, mask, scale) * projection).sum())


grads = {name: central_differences(loss, x) for name, x in (("q", q), ("k", k), ("v", v))}

# --- the pitfall example of the issue -----------------------------------------------------------------
pit_scores = np.array([0.0, 3.0, -1.0, 5.0])
pit_values = np.array([1.0, 2.0, 3.0, 4.0])
pit_out = [float((np.exp(pit_scores[: t + 1] - pit_scores[: t + 1].max()) @ pit_values[: t + 1])
                 / np.exp(pit_scores[: t + 1] - pit_scores[: t + 1].max()).sum()) for t in range(4)]

# --- linear attention ---------------------------------------------------------------------------------
LB, LH, LN, dk, ldv = 1, 3, 9, 4, 2
lq = f32(rng.uniform(0, 1, size=(LB, LH, LN, dk)))
lk = f32(rng.uniform(0, 1, size=(LB, LH, LN, dk)))
lv = f32(rng.normal(size=(LB, LH, LN, ldv)))
ldecay = f32([math.exp(-s) for s in get_slopes(LH)])

fixture = {
    "generator": "make_attention_fixture.py (NumPy %s)" % np.__version__,
    "attention": {
        "batch": B, "heads": H, "length": N, "dim": d, "valueDim": dv, "scale": scale,
        "q": q.ravel().tolist(), "k": k.ravel().tolist(), "v": v.ravel().tolist(),
        "mask": mask.ravel().tolist(), "projection": projection.ravel().tolist(),
        "output": out.ravel().tolist(),
        "gradQ": grads["q"].ravel().tolist(), "gradK": grads["k"].ravel().tolist(), "gradV": grads["v"].ravel().tolist(),
    },
    "pitfall": {"scores": pit_scores.tolist(), "values": pit_values.tolist(), "output": pit_out},
    "linear": {
        "batch": LB, "heads": LH, "length": LN, "keyDim": dk, "valueDim": ldv,
        "q": lq.ravel().tolist(), "k": lk.ravel().tolist(), "v": lv.ravel().tolist(), "decay": ldecay.tolist(),
        "output": linear_attention(lq, lk, lv, ldecay, False).ravel().tolist(),
        "outputNormalized": linear_attention(lq, lk, lv, ldecay, True).ravel().tolist(),
    },
    "alibi": {str(n): get_slopes(n) for n in range(1, 13)},
}

with open("attention-fixture.json", "w") as fh:
    json.dump(fixture, fh, indent=1)
    fh.write("\n")
print("wrote attention-fixture.json")
