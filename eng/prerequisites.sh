#!/usr/bin/env bash
# Checks (and on Debian/Ubuntu installs) what building this repository needs beyond the .NET SDK:
# Azurite from package.json, and on Debian 12 the tools that patch TorchSharp's native bridge.
# TorchSharp's native bridge needs GLIBCXX_3.4.32; where the system libstdc++ lacks it (Debian 12),
# the build patches the bridge and needs patchelf and g++ for that.
set -euo pipefail

if ! command -v dotnet >/dev/null; then
  echo "error: the .NET 10 SDK is not installed (https://dot.net/download), or 'dotnet' is not on PATH." >&2
  exit 1
fi

# Azurite (the Azure Storage emulator the local pipeline and its tests run on) comes from package.json.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ! -x $root/node_modules/.bin/azurite ]]; then
  if ! command -v npm >/dev/null; then
    echo "error: Node.js and npm are needed for Azurite, the local storage emulator (e.g. sudo apt-get install -y nodejs npm)." >&2
    exit 1
  fi
  echo "Installing Azurite from package.json (npm ci)..." >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

[[ $(uname -s) == Linux ]] || exit 0

libstdcxx=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }') || true
if [[ -n $libstdcxx ]] && grep -qa GLIBCXX_3.4.32 "$libstdcxx"; then
  exit 0
fi

missing=()
command -v patchelf >/dev/null || missing+=(patchelf)
command -v g++ >/dev/null || missing+=(g++)
(( ${#missing[@]} )) || exit 0

if command -v apt-get >/dev/null; then
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  echo "Installing ${missing[*]} (needed to make TorchSharp load with this system's libstdc++)..." >&2
  if $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    exit 0
  fi
fi

echo "error: please install ${missing[*]} (e.g. sudo apt-get install -y ${missing[*]}); TorchSharp needs them on this system." >&2
exit 1
