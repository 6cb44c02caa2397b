#!/usr/bin/env bash
# Fine-tuning speed on a GPU host that has PyTorch: this project (TorchSharp through the `system` LibTorch backend) next
# to Hugging Face transformers, in one script on the same GPU, on randomly initialised MiniLM- and bert-base-shaped
# models (speed does not depend on the starting weights; accuracy does, so dev accuracy here is not a quality figure).
# Usage: bash benchmarks/gpu/train-speed.sh <published app dir> [output dir]
# The app is `dotnet publish src/Paraphrase.Cli -c Release -r linux-x64 --self-contained false -p:LibTorchBackend=system`;
# a .NET runtime must be on PATH (or DOTNET_ROOT).
set -euo pipefail
app=${1:?usage: train-speed.sh <published app dir> [output dir]}
out=${2:-runs/gpu-speed}
work=$(mktemp -d)
export LD_LIBRARY_PATH=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export DOTNET_TieredCompilation=0 # steady code from the first step: short runs would otherwise time the JIT
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
stepping = 0.0
for h in m["history"]:
    e = h["evaluation"]["metrics"]
    steps = len(m["step_losses"]) / len(m["history"])
    stepping += steps / h["steps_per_second"]
    print(f"{sys.argv[2]}: epoch {h['epoch']}: {h['steps_per_second']:.1f} steps/s, dev accuracy {e['accuracy']:.4f}, F1 {e['f1']:.4f}")
print(f"{sys.argv[2]}: {stepping:.1f} s stepping, {m['training_seconds']:.1f} s training with evaluation and checkpoints")
PY
}

mkdir -p "$out"
# Seed recipe (fp32, batch 8): goal at least Hugging Face's steps/s.
train minilm-fp32 "$work/minilm"
python3 benchmarks/gpu/hf_speed.py "$work/minilm"
train bert-base-fp32 "$work/bert-base" --epochs 1
python3 benchmarks/gpu/hf_speed.py "$work/bert-base"
# bf16 against fp32 at batch 8 and 32: goal bf16 no slower at 8 and clearly faster at 32.
train bert-base-bf16 "$work/bert-base" --epochs 1 --bf16
train bert-base-fp32-batch32 "$work/bert-base" --epochs 1 --batch-size 32
train bert-base-bf16-batch32 "$work/bert-base" --epochs 1 --bf16 --batch-size 32
python3 benchmarks/gpu/hf_speed.py "$work/bert-base" --bf16
python3 benchmarks/gpu/hf_speed.py "$work/bert-base" --bf16 --batch-size 32
# The fast profile, 3 epochs of bert-base: goal at most 10 s of training (Hugging Face's seed recipe: about 31 s).
train bert-base-fast "$work/bert-base" --profile fast
python3 benchmarks/gpu/hf_speed.py "$work/bert-base" --epochs 3
rm -rf "$work"
