#!/usr/bin/env bash
# The dashboard's tests drive a real headless Chromium: Debian's (or Ubuntu's) chromium package, installed here when it
# is missing. Playwright, which the tests use to drive it, downloads no browser of its own.
set -euo pipefail

# The tests start /usr/bin/chromium itself, so that is the one that must be there.
[[ -x /usr/bin/chromium ]] && exit 0

if command -v apt-get >/dev/null; then
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  echo "Installing Chromium (the dashboard tests run in it)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  if $sudo apt-get install -y -qq chromium >/dev/null 2>&1 \
    || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq chromium >/dev/null; }; then
    exit 0
  fi
fi

echo "error: the dashboard tests need Chromium at /usr/bin/chromium (e.g. sudo apt-get install -y chromium)." >&2
exit 1
