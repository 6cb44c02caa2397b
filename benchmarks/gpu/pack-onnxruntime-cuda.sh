#!/usr/bin/env bash
# Packs ONNX Runtime's CUDA execution provider for the GPU host. The provider library alone is about 284 MB,
# more than one transfer can take, so it travels compressed and in parts (benchmarks/gpu/pack-parts.sh), apart
# from the rest of the published benchmark (packed next, see the header of benchmarks/gpu/serve-speed.sh).
# Run on the development machine, from the checkout, after restoring with -p:OnnxRuntimeBackend=gpu (the
# publish command in benchmarks/gpu/serve-speed.sh does that):
#   bash benchmarks/gpu/pack-onnxruntime-cuda.sh [OUT_DIR, default .gpu/ort] [PUBLISH_DIR, default .gpu/bench]
# The package version is read from Directory.Packages.props, so the parts always match what the build used.
set -euo pipefail
top=$(git rev-parse --show-toplevel)
out=${1:-$top/.gpu/ort}
bench=${2:-$top/.gpu/bench}
git -C "$top" check-ignore -q "$out" || { echo "$out is not ignored by git; put it under .gpu/" >&2; exit 2; }

version=$(sed -n 's/.*PackageVersion Include="Microsoft\.ML\.OnnxRuntime\.Gpu" Version="\([^"]*\)".*/\1/p' "$top/Directory.Packages.props")
[[ -n $version ]] || { echo "no Microsoft.ML.OnnxRuntime.Gpu version in Directory.Packages.props" >&2; exit 2; }
# The Gpu package is a meta-package; the Linux binaries come in Microsoft.ML.OnnxRuntime.Gpu.Linux of the same version.
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
native=$packages/microsoft.ml.onnxruntime.gpu.linux/$version/runtimes/linux-x64/native
[[ -f $native/libonnxruntime_providers_cuda.so ]] || {
  echo "$native/libonnxruntime_providers_cuda.so is missing: restore or publish with -p:OnnxRuntimeBackend=gpu first" >&2; exit 2; }

# Printed because the GPU host must have these major versions (PyTorch's CUDA 13 wheels do for 1.31).
echo "Microsoft.ML.OnnxRuntime.Gpu.Linux $version; the CUDA provider links:"
readelf -d "$native/libonnxruntime_providers_cuda.so" | sed -n 's/.*NEEDED.*\[\(libcu.*\)\]/  \1/p' || echo "  (readelf not found)"
echo "  and opens cuDNN (libcudnn.so.9 for 1.31) itself at run time"
bash "$top/benchmarks/gpu/pack-parts.sh" "$out" "$native" libonnxruntime_providers_cuda.so

# The publish folder gets its own copy of the provider; it must not travel whole, so it is dropped there
# (serve-speed.sh puts the reassembled one back beside libonnxruntime.so, where ONNX Runtime looks for it).
if [[ -f $bench/libonnxruntime_providers_cuda.so ]]; then
  rm "$bench/libonnxruntime_providers_cuda.so"
  echo "removed libonnxruntime_providers_cuda.so from $bench ($(du -sm "$bench" | cut -f1) MB left)"
fi
