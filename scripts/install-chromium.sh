#!/usr/bin/env bash
# Installs Debian's chromium (and a font) for the browser test that renders
# every generated Pod diagram with Mermaid. Idempotent: does nothing when
# chromium is already installed. No browser is ever downloaded by npm.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: $(chromium --version 2>/dev/null | head -n 1)"
