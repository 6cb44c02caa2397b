#!/usr/bin/env bash
# Serving speed on a GPU host: the project's ParaphraseClassifier on ONNX Runtime's CUDA execution provider
# (the C# `inference` benchmark with `--provider cuda`) next to PyTorch eager inference of the same fine-tuned
# weights (benchmarks/gpu/torch_infer.py), one after the other on the same GPU and the same MRPC dev pairs.
# Figures: single-pair latency p50/p99, batch-32 throughput, and dev accuracy (equal on both sides when both
# compute the same model). Both run strict float32 unless TF32=1 (then both let cuBLAS use TF32, which is
# ONNX Runtime's own default).
#
# The GPU host has PyTorch with its CUDA 13 libraries but no .NET and no network, and one transfer to it holds
# at most 64 MiB, the checkout (about 14 MB) included. So everything is prepared under .gpu/ (git-ignored) on
# the development machine, from the checkout, and the big pieces travel compressed and in parts:
#
#   # 1. A fine-tuned model and its fused export (any run directory will do; this is the README's MiniLM run).
#   ./paraphrase train --train data/mrpc/train.tsv --dev data/mrpc/dev.tsv --base-model minilm --output runs/minilm
#   ./paraphrase export --model runs/minilm --output models/minilm --variant fused --dev data/mrpc/dev.tsv
#   # 2. The benchmark: framework-dependent, the GPU build of ONNX Runtime, no LibTorch package.
#   dotnet publish benchmarks/Paraphrase.Benchmarks -c Release -r linux-x64 --self-contained false \
#     -p:OnnxRuntimeBackend=gpu -p:LibTorchBackend=system -o .gpu/bench
#   # 3. ONNX Runtime's CUDA provider (284 MB, about 180 MB compressed) in parts; drops it from .gpu/bench.
#   bash benchmarks/gpu/pack-onnxruntime-cuda.sh                       # -> .gpu/ort, 4 parts
#   # 4. The rest of the publish (about 72 MB, 21 MB compressed) and the .NET runtime without the SDK (26 MB).
#   bash benchmarks/gpu/pack-parts.sh .gpu/app .gpu/bench .            # -> .gpu/app, 1 part
#   tar -C "$(dirname "$(readlink -f "$(command -v dotnet)")")" -cJf .gpu/dotnet.tar.xz dotnet host shared/Microsoft.NETCore.App
#   # 5. The export and the trained weights, about 87 MB of float32 each. From the run directory only
#   #    config.json and the weights are needed (its checkpoints/ folder holds a second copy of the model).
#   bash benchmarks/gpu/pack-parts.sh .gpu/export models/minilm model.fused.onnx model.fused.json config.json vocab.txt
#   bash benchmarks/gpu/pack-parts.sh .gpu/run runs/minilm config.json model.safetensors   # 2 parts each
#
# Transfers, each under 64 MiB together with the checkout: first .gpu/dotnet.tar.xz, .gpu/app and the
# parts.sha256 and files.sha256 of .gpu/ort, .gpu/export and .gpu/run; then each other
# .gpu/*/pack.tar.xz.part-NN on its own (8 parts). Ignored files stay on the GPU host between consecutive
# transfers, so the last one can run:
#
#   bash benchmarks/gpu/serve-speed.sh          # MEASURE_SECONDS=10 VARIANTS=fused TF32=0 unless set
#
# int8 is left out by default: this ONNX Runtime build has no CUDA kernel for DynamicQuantizeMatMul, so part
# of that graph would run on the CPU.
set -euo pipefail
gpu=${GPU_DIR:-.gpu}
seconds=${MEASURE_SECONDS:-10}
variants=${VARIANTS:-fused}
results=$(mktemp -d)

# Reverse of pack-parts.sh: check the parts, join and decompress them, check the files. A folder unpacked and
# checked before is kept, so a second run on the same host skips the work.
unpack_parts() { # PARTS_DIR TARGET_DIR
  local parts target=$2
  parts=$(cd "$1" 2> /dev/null && pwd) && [[ -f $parts/parts.sha256 ]] || { echo "error: $1/parts.sha256 missing: bring the parts first" >&2; exit 1; }
  if [[ -f $target/.checked ]] && (cd "$target" && sha256sum --quiet -c "$parts/files.sha256" >&2); then
    return
  fi
  (cd "$parts" && sha256sum --quiet -c parts.sha256 >&2) || { echo "error: a part in $parts is missing or damaged" >&2; exit 1; }
  rm -rf "$target" && mkdir -p "$target"
  if command -v xz > /dev/null; then
    cat "$parts"/pack.tar.xz.part-* | xz -dc | tar -x -C "$target"
  else # python3's lzma reads the same stream where xz-utils is not installed
    cat "$parts"/pack.tar.xz.part-* | python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.stdin.buffer), sys.stdout.buffer)' | tar -x -C "$target"
  fi
  (cd "$target" && sha256sum --quiet -c "$parts/files.sha256" >&2) || { echo "error: files unpacked from $parts do not match" >&2; exit 1; }
  touch "$target/.checked"
}

# A folder travels in parts (pack-parts.sh) or, where small enough, as it is.
payload() { # NAME -> the folder to use
  if [[ -f $gpu/$1/parts.sha256 ]]; then
    unpack_parts "$gpu/$1" "$gpu/unpacked/$1" && echo "$gpu/unpacked/$1"
  elif [[ -d $gpu/$1 ]]; then
    echo "$gpu/$1"
  else
    echo "error: $gpu/$1 is missing: see the preparation steps at the top of this script" >&2
    exit 1
  fi
}

if ! command -v dotnet > /dev/null; then
  [[ -d $gpu/dotnet ]] || { mkdir -p "$gpu/dotnet" && tar -xJf "$gpu/dotnet.tar.xz" -C "$gpu/dotnet"; }
  DOTNET_ROOT=$(cd "$gpu/dotnet" && pwd)
  export DOTNET_ROOT PATH=$DOTNET_ROOT:$PATH
fi

# PyTorch's CUDA 13 wheels keep cuBLAS, cuDNN, cuFFT, cuRAND and the CUDA runtime under site-packages/nvidia/*/lib,
# and ONNX Runtime's provider was built for the same major versions, so it loads them from there.
libs=$(python3 - <<'PY'
import glob, os, site, sys, torch
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}", file=sys.stderr)
roots = {os.path.dirname(os.path.dirname(torch.__file__)), *site.getsitepackages()}
dirs = [os.path.join(os.path.dirname(torch.__file__), "lib")]
dirs += sorted(d for r in roots for d in glob.glob(os.path.join(r, "nvidia", "*", "lib")))
print(":".join(dict.fromkeys(dirs)))
PY
)
export LD_LIBRARY_PATH=$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

app=$(payload app)
ort=$(payload ort)
export_dir=$(payload export)
run_dir=$(payload run)
# ONNX Runtime looks for its providers beside libonnxruntime.so, which is in the publish folder.
ln -sf "$(cd "$ort" && pwd)/libonnxruntime_providers_cuda.so" "$app/libonnxruntime_providers_cuda.so"
missing=$(ldd "$app/libonnxruntime_providers_cuda.so" | grep 'not found' || true)
[[ -z $missing ]] || { echo "error: the CUDA provider cannot find:"$'\n'"$missing" >&2; exit 1; }
# cuDNN is not a link-time dependency: the provider opens libcudnn.so.9 itself when a session starts.
cudnn=no
IFS=: read -ra lib_dirs <<< "$libs"
for dir in "${lib_dirs[@]}"; do [[ -e $dir/libcudnn.so.9 ]] && cudnn=yes; done
[[ $cudnn == yes ]] || echo "warning: no libcudnn.so.9 in $libs" >&2

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
tf32=()
if [[ ${TF32:-0} == 1 ]]; then
  tf32=(--tf32)
else
  export NVIDIA_TF32_OVERRIDE=0 # cuBLAS then keeps float32 products exact; ONNX Runtime would otherwise use TF32
fi
dotnet "$app/Paraphrase.Benchmarks.dll" inference --root "$PWD" --provider cuda --exports-only --model "$export_dir" \
  --variants "$variants" --seconds "$seconds" --results "$results/ort.tsv"
unset NVIDIA_TF32_OVERRIDE
python3 benchmarks/gpu/torch_infer.py "$run_dir" --vocab "$export_dir/vocab.txt" --seconds "$seconds" \
  --results "$results/torch.tsv" "${tf32[@]}"

# One table; torch.tsv is absent when torch_infer.py could not read the weights (it says so above).
echo
printf '%-62s %8s %8s %17s %13s\n' model "p50 ms" "p99 ms" "batch-32 pairs/s" "dev accuracy"
for file in "$results"/ort.tsv "$results"/torch.tsv; do
  [[ -f $file ]] || continue
  while IFS=$'\t' read -r name p50 p99 rate accuracy; do
    printf '%-62s %8s %8s %17s %13s\n' "$name" "$p50" "$p99" "$rate" "$accuracy"
  done < "$file"
done
# Accuracy is the check that both sides computed the same model (408 pairs: one label is 0.0025).
if [[ -f $results/torch.tsv ]]; then
  cut -f5 "$results"/ort.tsv "$results"/torch.tsv | grep -v '^-$' | sort -u | awk '{ a[NR] = $1 } END {
    if (NR == 1) print "dev accuracy identical on both sides";
    else printf "dev accuracy differs: %s to %s (%.0f more correct labels of 408)\n", a[1], a[NR], (a[NR] - a[1]) * 408 }'
fi
rm -rf "$results"
