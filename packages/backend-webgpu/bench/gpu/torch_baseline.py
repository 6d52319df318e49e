"""PyTorch baselines for the WebGPU benchmark, on the same GPU and in the same run (see run.sh).

Measures torch.cumsum and a device-to-device copy at 2^26 f32 elements, a correct eager PyTorch Aaren attention
scan at N = 2^20, d = 64 (scores q.k_i / sqrt(d), then prefix softmax attention through torch.logcumsumexp per
channel on the positive and negative parts of the values, so every prefix is exact and stable for any score
magnitude; it is checked against a float64 quadratic reference first), and a 4096^3 f32 matmul (TF32 off).
Then reads webgpu.json from the same folder and writes summary.json with the ratios the issue asks for.

Usage: python3 torch_baseline.py OUT_DIR
"""

import json
import math
import os
import sys
import time

import torch

OUT = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("OUT", ".")
DEV = "cuda"
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False


def timed(fn, iterations=20, warmup=3, repeats=5):
    """Median milliseconds per call over `repeats` batches of `iterations` calls (CUDA events)."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    samples = []
    for _ in range(repeats):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iterations):
            fn()
        end.record()
        torch.cuda.synchronize()
        samples.append(start.elapsed_time(end) / iterations)
    samples.sort()
    return samples[len(samples) // 2]


def attention_scan(s, v):
    """Every prefix output of softmax attention, out[k] = sum_{i<=k} softmax(s[:k+1])_i v_i, plus the
    running max m and denominator w = sum_{i<=k} exp(s_i - m_k). Stable: log-domain prefix sums."""
    lse = torch.logcumsumexp(s, 0)  # [N]
    pos = torch.logcumsumexp(s[:, None] + torch.log(torch.clamp(v, min=0)), 0)  # log sum e^s v+
    neg = torch.logcumsumexp(s[:, None] + torch.log(torch.clamp(-v, min=0)), 0)  # log sum e^s v-
    out = torch.exp(pos - lse[:, None]) - torch.exp(neg - lse[:, None])
    m = torch.cummax(s, 0).values
    w = torch.exp(lse - m)
    return out, m, w


def attention_reference(s, v):
    """Quadratic float64 reference (small N only)."""
    s = s.double()
    v = v.double()
    n = s.shape[0]
    mask = torch.tril(torch.ones(n, n, dtype=torch.bool, device=s.device))
    logits = torch.where(mask, s[None, :].expand(n, n), torch.tensor(-math.inf, dtype=torch.float64, device=s.device))
    return torch.softmax(logits, 1) @ v


def main():
    results = []
    gpu_name = torch.cuda.get_device_name(0)
    print(f"torch {torch.__version__} on {gpu_name}")

    n = 2**26
    x = torch.rand(n, device=DEV) * 2 - 1
    y = torch.empty_like(x)
    ms = timed(lambda: torch.cumsum(x, 0, out=y))
    results.append({"name": "torch.cumsum", "size": "n=2^26", "unit": "GB/s", "ms": ms, "throughput": 8 * n / (ms / 1e3) / 1e9})
    ms = timed(lambda: y.copy_(x))
    results.append({"name": "torch copy_", "size": "n=2^26", "unit": "GB/s", "ms": ms, "throughput": 8 * n / (ms / 1e3) / 1e9})
    del x, y

    # Correctness of the eager attention scan first (including scores of +-1e4).
    g = torch.Generator(device=DEV).manual_seed(0)
    s = torch.randn(512, device=DEV, generator=g) * 3
    s[100] = 1e4
    s[200] = -1e4
    v = torch.randn(512, 64, device=DEV, generator=g)
    out, _, _ = attention_scan(s, v)
    err = (out.double() - attention_reference(s, v)).abs().max().item()
    assert err < 1e-3, f"eager attention scan is wrong: max error {err}"

    N, d = 2**20, 64
    q = torch.randn(d, device=DEV, generator=g)
    K = torch.randn(N, d, device=DEV, generator=g)
    V = torch.randn(N, d, device=DEV, generator=g)
    scale = 1 / math.sqrt(d)
    ms = timed(lambda: attention_scan(K @ q * scale, V), iterations=10)
    bytes_ = 4 * N * (3 * d + 3)
    results.append(
        {"name": "torch eager attention scan (logcumsumexp)", "size": f"N=2^20,d={d}", "unit": "GB/s", "ms": ms, "throughput": bytes_ / (ms / 1e3) / 1e9, "check_max_error": err}
    )
    del K, V

    m = 4096
    a = torch.rand(m, m, device=DEV)
    b = torch.rand(m, m, device=DEV)
    c = torch.empty(m, m, device=DEV)
    ms = timed(lambda: torch.matmul(a, b, out=c), iterations=5)
    results.append({"name": "torch.matmul (f32, TF32 off)", "size": f"{m}x{m}x{m}", "unit": "GFLOP/s", "ms": ms, "throughput": 2 * m**3 / (ms / 1e3) / 1e9})

    with open(os.path.join(OUT, "torch.json"), "w") as f:
        json.dump({"gpu": gpu_name, "torch": torch.__version__, "results": results}, f, indent=2)
    for r in results:
        print(json.dumps(r))

    webgpu_path = os.path.join(OUT, "webgpu.json")
    if not os.path.exists(webgpu_path):
        print("no webgpu.json: ratios not computed")
        return
    with open(webgpu_path) as f:
        ours = {r["name"]: r for r in json.load(f)["results"]}
    theirs = {r["name"]: r for r in results}

    def ratio(our_name, their_name, target, note):
        o, t = ours.get(our_name), theirs.get(their_name)
        if not o or not t:
            return None
        value = t["ms"] / o["ms"]
        return {"ours": our_name, "baseline": their_name, "ours_ms": o["ms"], "baseline_ms": t["ms"], "ratio": value, "target": target, "met": value >= target, "note": note}

    summary = [
        ratio("cumsum (lookback)", "torch.cumsum", 1.0, "scan time vs torch.cumsum (>1: ours faster)"),
        ratio("cumsum (reduce-then-scan)", "torch.cumsum", 1.0, "fallback scan vs torch.cumsum"),
        ratio("attention scan (fused q·K)", "torch eager attention scan (logcumsumexp)", 3.0, "fused attention scan vs PyTorch eager"),
        ratio("matmul", "torch.matmul (f32, TF32 off)", 0.0, "matmul vs torch.matmul (no target)"),
    ]
    scan = ours.get("cumsum (lookback)")
    if scan and scan.get("baseline"):
        value = scan["throughput"] / scan["baseline"]["throughput"]
        summary.append({"ours": "cumsum (lookback)", "baseline": "plain WebGPU copy kernel", "ratio": value, "target": 0.9, "met": value >= 0.9, "note": "bandwidth fraction of a WebGPU copy"})
    copy = theirs.get("torch copy_")
    if scan and copy:
        summary.append({"ours": "cumsum (lookback)", "baseline": "torch copy_", "ratio": scan["throughput"] / copy["throughput"], "note": "bandwidth fraction of a CUDA copy"})
    summary = [s for s in summary if s]
    with open(os.path.join(OUT, "summary.json"), "w") as f:
        json.dump({"gpu": gpu_name, "summary": summary}, f, indent=2)
    for s in summary:
        print(f"{s['ours']:32s} vs {s['baseline']:44s} x{s['ratio']:.2f}  target {s.get('target', '-')}")


if __name__ == "__main__":
    main()
