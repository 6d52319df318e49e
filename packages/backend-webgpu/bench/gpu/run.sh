#!/usr/bin/env bash
# GPU-machine benchmark, WebGPU and PyTorch on the same GPU in one run (from the repository root, with
# .device carried; prepare it with build.sh):
#   source .device/setup.sh && bash packages/backend-webgpu/bench/gpu/run.sh
# Writes webgpu.json, torch.json and summary.json (with the ratios) to $OUT (default ./gpu-bench-out).
set -euo pipefail
out=${OUT:-$(pwd)/gpu-bench-out}
mkdir -p "$out"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v node >/dev/null || source .device/setup.sh
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >"$out/gpu.txt" 2>/dev/null || true
node .device/app/webgpu-bench.mjs "$out" 2>&1 | tee "$out/webgpu.log"
python3 "$here/torch_baseline.py" "$out" 2>&1 | tee "$out/torch.log"
