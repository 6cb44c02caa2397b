#!/usr/bin/env bash
# Builds everything and runs every test project: ./test.sh [extra dotnet test arguments]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$root/eng/prerequisites.sh"
"$root/eng/browser.sh"
exec dotnet test "$root/Pipeline.sln" -c Release "$@"
