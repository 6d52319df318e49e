#!/usr/bin/env bash
# Prepares the GPU-machine benchmark on the CPU machine (run from the repository root):
#   1. ../shared/device/pack.sh fills .device/ with Node, the Vulkan/EGL loaders and the webgpu (Dawn) binding;
#   2. esbuild bundles bench/gpu/run.ts (and everything it imports) into .device/app/webgpu-bench.mjs.
# Then run on the device, carrying .device:  bash packages/backend-webgpu/bench/gpu/run.sh
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
bash ../shared/device/pack.sh
mkdir -p .device/app
pnpm --filter @aaren/backend-webgpu exec esbuild bench/gpu/run.ts --bundle --platform=node --format=esm \
  --conditions=@aaren/source --external:webgpu --outfile="$root/.device/app/webgpu-bench.mjs" --log-level=warning
du -sh .device
