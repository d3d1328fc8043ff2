#!/usr/bin/env bash
# Runs the editor test: installs code-server and Chromium if needed (cached), packs the VSIX from the current
# bundles, then runs the compiled test with node:test. Expects `npm run build` to have run (npm test does).
set -euo pipefail
cd "$(dirname "$0")/.."
bash e2e/install.sh
node scripts/package-vsix.mjs
rm -f e2e/screenshots/failures.log
node --test --test-concurrency=1 --test-timeout=1500000 $(find dist/e2e -name "*.test.js" | sort)
