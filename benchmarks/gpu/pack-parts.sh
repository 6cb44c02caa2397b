#!/usr/bin/env bash
# Packs files for the GPU host into parts small enough for one transfer each: tar | xz | split, with sha256
# manifests so the GPU side can tell a truncated or mixed-up transfer from a good one before using anything.
# Usage: bash benchmarks/gpu/pack-parts.sh OUT_DIR SOURCE_DIR PATH...
#   OUT_DIR     where the parts go (inside the checkout and git-ignored, e.g. .gpu/ort); emptied first
#   SOURCE_DIR  the directory the PATHs (files or folders, `.` for all of it) are relative to; they are
#               unpacked relative to the target directory
# Writes OUT_DIR/pack.tar.xz.part-00, -01, ..., OUT_DIR/parts.sha256 (the parts as written) and
# OUT_DIR/files.sha256 (every file before packing). PART_MB (default 45) sets the part size: each transfer
# also carries the checkout itself (about 14 MB), and the limit is 64 MiB for everything together.
# The reverse step is unpack_parts in benchmarks/gpu/serve-speed.sh.
set -euo pipefail
out=${1:?usage: pack-parts.sh OUT_DIR SOURCE_DIR PATH...}
src=${2:?usage: pack-parts.sh OUT_DIR SOURCE_DIR PATH...}
shift 2
(( $# > 0 )) || { echo "pack-parts.sh: no paths named" >&2; exit 2; }
part_mb=${PART_MB:-45}

# OUT_DIR is emptied, so it must be a git-ignored folder of the checkout (and the parts then never get committed).
git check-ignore -q "$out" || { echo "pack-parts.sh: $out is not git-ignored; use a folder under .gpu/" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
(cd "$src" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum --) > "$out/files.sha256"
# xz rather than zstd: the GPU host's tar and python3 both read it without extra packages. Level 6 is as good
# as 9 here (CUDA kernels barely compress: 284 MB -> about 186 MB either way) and twice as fast.
tar -C "$src" -cf - -- "$@" | xz -T2 -6 | split -b "${part_mb}M" -d -a 2 - "$out/pack.tar.xz.part-"
(cd "$out" && sha256sum pack.tar.xz.part-*) > "$out/parts.sha256"
ls -l "$out"
echo "$(wc -l < "$out/parts.sha256") part(s) in $out: carry each part in its own transfer, with parts.sha256 and files.sha256"
