#!/usr/bin/env bash
# GPU node check: trains LeNet-5 and a small ResNet for one epoch on tfjs-node-gpu and prints
# images/s and the device. Exits non-zero when no GPU is visible or TensorFlow placed the work on
# the CPU instead (a missing CUDA/cuDNN library makes libtensorflow fall back without failing).
#   scripts/gpu-check.sh            (from a checkout with `npm ci` done; needs network for the install)
set -euo pipefail
cd "$(dirname "$0")/.."

TFJS_NODE_GPU=@tensorflow/tfjs-node-gpu@4.22.0
ARCHS=(lenet5 resnet)

fail() {
  echo "gpu-check: FAIL: $*" >&2
  exit 1
}

if ! command -v nvidia-smi >/dev/null 2>&1; then
  fail "nvidia-smi not found: no NVIDIA driver on this machine, so no GPU is visible (install the driver >= 450.80, see docs/DEPLOY.md)"
fi
if ! gpus=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1) || [ -z "$gpus" ]; then
  fail "nvidia-smi lists no GPU: ${gpus:-empty answer}"
fi
echo "gpu-check: nvidia-smi sees: $gpus"

if ! node -e "require.resolve('@tensorflow/tfjs-node-gpu')" >/dev/null 2>&1; then
  echo "gpu-check: installing $TFJS_NODE_GPU (its install script downloads libtensorflow for CUDA 11.2)"
  npm install --no-save --no-audit --no-fund --foreground-scripts "$TFJS_NODE_GPU" -w libs/models
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for arch in "${ARCHS[@]}"; do
  # Log level 0 makes TensorFlow print the devices it creates: the proof the GPU was used.
  if ! result=$(TF_CPP_MIN_LOG_LEVEL=0 npx tsx bench/train.ts --arch "$arch" --backend tensorflow-gpu \
    --epochs 1 --warmup-images 256 --json 2>"$log"); then
    tail -n 20 "$log" >&2
    fail "$arch: training on the tensorflow-gpu backend failed (output above)"
  fi
  if ! grep -q 'device:GPU:0' "$log"; then
    grep -iE 'cuda|cudnn|dso|gpu' "$log" | tail -n 10 >&2 || true
    fail "$arch: TensorFlow created no GPU device, it ran on the CPU (CUDA 11.2 / cuDNN 8.1 libraries missing?)"
  fi
  echo "gpu-check: $arch: $result"
done
echo "gpu-check: OK"
