#!/usr/bin/env bash
# Makes TorchSharp's native bridge (libLibTorchSharp.so) load on systems whose libstdc++
# predates GCC 13 (Debian 12: GLIBCXX_3.4.30). The bridge needs GLIBCXX_3.4.32 for a single
# symbol, std::ios_base_library_init(); we supply that symbol from a tiny shim library and
# mark the version requirement weak. Systems that already have GLIBCXX_3.4.32 are left alone.
#
# usage: patch-libtorchsharp.sh <libLibTorchSharp.so> <output dir>
# prints: "not-needed", or the path of the patched copy (the shim lies beside it).
set -euo pipefail

source_lib=$1
out_dir=$2
required=GLIBCXX_3.4.32
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

system_libstdcxx() {
  local path
  path=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }') || true
  if [[ -z $path ]]; then
    for candidate in /lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6; do
      [[ -e $candidate ]] && { path=$candidate; break; }
    done
  fi
  echo "$path"
}

libstdcxx=$(system_libstdcxx)
if [[ -z $libstdcxx ]] || grep -qa "$required" "$libstdcxx"; then
  echo not-needed
  exit 0
fi

missing=()
for tool in patchelf g++ gcc; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if (( ${#missing[@]} )); then
  echo "error: TorchSharp needs $required, which this system's libstdc++ ($libstdcxx) lacks." >&2
  echo "       The build patches TorchSharp to work without it, but needs: ${missing[*]}." >&2
  echo "       Install them (Debian/Ubuntu: sudo apt-get install -y patchelf g++) and build again." >&2
  exit 1
fi

mkdir -p "$out_dir"
stamp="$out_dir/.source-sha256"
source_hash=$(sha256sum "$source_lib" | cut -d' ' -f1)
target="$out_dir/libLibTorchSharp.so"
if [[ -f $stamp && -f $target && $(cat "$stamp") == "$source_hash" ]]; then
  echo "$target"
  exit 0
fi

work=$(mktemp -d "$out_dir/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
g++ -O2 -shared -fPIC -o "$work/libstdcxx-ios-init.so" "$here/ios_base_library_init.cpp"
gcc -O2 -o "$work/weaken_version_need" "$here/weaken_version_need.c"
cp "$source_lib" "$work/libLibTorchSharp.so"
chmod u+w "$work/libLibTorchSharp.so"
patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$work/libLibTorchSharp.so"
patchelf --add-needed libstdcxx-ios-init.so "$work/libLibTorchSharp.so"
"$work/weaken_version_need" "$work/libLibTorchSharp.so" "$required"

# Publish atomically: a concurrent or interrupted build never sees a half-patched library.
mv -f "$work/libstdcxx-ios-init.so" "$out_dir/libstdcxx-ios-init.so"
mv -f "$work/libLibTorchSharp.so" "$target"
echo "$source_hash" > "$stamp"
echo "$target"
