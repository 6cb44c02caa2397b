#!/usr/bin/env bash
# Fine-tuning speed on a GPU host that has PyTorch: this project (TorchSharp through the `system` LibTorch
# backend) next to Hugging Face transformers, on randomly initialised MiniLM- and bert-base-shaped models.
# Usage: bash benchmarks/gpu/train-speed.sh <published app dir> [output dir]
# The app is `dotnet publish src/Paraphrase.Cli -c Release -r linux-x64 --self-contained false -p:LibTorchBackend=system`;
# a .NET runtime must be on PATH (or DOTNET_ROOT).
set -euo pipefail
app=${1:?usage: train-speed.sh <published app dir> [output dir]}
out=${2:-runs/gpu-speed}
work=$(mktemp -d)
export LD_LIBRARY_PATH=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
python3 benchmarks/gpu/random_bert.py "$work/minilm" 6 384 12 1536
python3 benchmarks/gpu/random_bert.py "$work/bert-base" 12 768 12 3072

train() { # name base-model extra options...
  local name=$1 base=$2
  shift 2
  dotnet "$app/paraphrase.dll" train --train data/mrpc/train.tsv --dev data/mrpc/dev.tsv --base-model "$base" \
    --output "$out/$name" --device cuda --seed 42 --overwrite "$@" > "$out/$name.log" 2>&1
  python3 - "$out/$name/metrics.json" "$name" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for h in m["history"]:
    e = h["evaluation"]["metrics"]
    print(f"{sys.argv[2]}: epoch {h['epoch']}: {h['steps_per_second']:.1f} steps/s, dev accuracy {e['accuracy']:.4f}, F1 {e['f1']:.4f}")
PY
}

mkdir -p "$out"
train minilm-fp32 "$work/minilm"
train bert-base-fp32 "$work/bert-base" --epochs 1
train bert-base-fp32-batch32 "$work/bert-base" --epochs 1 --batch-size 32
train bert-base-bf16 "$work/bert-base" --epochs 1 --bf16
train bert-base-bf16-batch32 "$work/bert-base" --epochs 1 --bf16 --batch-size 32
python3 benchmarks/gpu/hf_speed.py "$work/minilm"
python3 benchmarks/gpu/hf_speed.py "$work/bert-base"
rm -rf "$work"
