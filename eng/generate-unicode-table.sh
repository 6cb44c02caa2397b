#!/usr/bin/env bash
# Rebuilds the built-in NFD table from this machine's ICU (needs ICU, i.e. not invariant globalization).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 dotnet run "$root/eng/GenerateUnicodeTable.cs" -- \
  "$root/src/Paraphrase.Core/Tokenization/CanonicalDecompositionData.g.cs"
