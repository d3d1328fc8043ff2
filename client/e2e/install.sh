#!/usr/bin/env bash
# Installs what the editor test needs: Debian's chromium and libkrb5-dev, then code-server and the Node 24 it
# requires into client/e2e/node_modules. Idempotent: a stamp holding the hash of package.json (+ lockfile) makes a
# second run a no-op, so CI machines that keep their state pay the ~4 minute install once.
set -euo pipefail
cd "$(dirname "$0")"
here="$(pwd)"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "e2e install: apt-get install ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

stamp="$here/.install/stamp"
# The lockfile appears after the first install, so hash whichever of the two files exist.
manifest_hash() { cat package.json $(ls package-lock.json 2>/dev/null) | sha256sum | cut -d' ' -f1; }
want="$(manifest_hash)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/code-server ]; then
  echo "e2e install: up to date"
  exit 0
fi

# Scripts are off for the first pass because code-server's native modules must be built against Node 24's
# headers, which only exist once the `node` package's own install script has fetched that Node.
npm install --ignore-scripts --no-audit --no-fund
npm rebuild node --no-audit --no-fund
node24_bin="$here/node_modules/node/bin/node"
"$node24_bin" --version
# The `node` package keeps the full distribution (bin, include, lib) in its platform package.
node24_dir="$(dirname "$(dirname "$(dirname "$(find node_modules/node -path '*/include/node/node.h' | head -1)")")")"
node24_dir="$(cd "$node24_dir" && pwd)"
if [ ! -f "$node24_dir/include/node/node.h" ]; then
  echo "e2e install: no Node headers found under node_modules/node" >&2
  exit 1
fi

# code-server's postinstall reads the Node version from npm_config_user_agent, i.e. the Node that runs npm itself,
# so this one npm run happens under Node 24 (with Node 24 first on PATH for the scripts it starts).
npm_cli="$(readlink -f "$(command -v npm)")"
case "$npm_cli" in
  *.js) ;;
  *) npm_cli="$(dirname "$npm_cli")/../lib/node_modules/npm/bin/npm-cli.js" ;;
esac
# Under `npm test` the outer npm (on Node 20) exports npm_config_user_agent, which the inner npm would take as
# its own config; unset, the inner npm reports the Node it really runs on.
env -u npm_config_user_agent \
PATH="$(dirname "$node24_bin"):$PATH" \
npm_config_nodedir="$node24_dir" \
npm_config_dangerously_allow_all_scripts=true \
  "$node24_bin" "$npm_cli" rebuild --no-audit --no-fund

mkdir -p "$(dirname "$stamp")"
want="$(manifest_hash)"
echo "$want" > "$stamp"
echo "e2e install: done"
