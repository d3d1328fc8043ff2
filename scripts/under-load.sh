#!/usr/bin/env bash
# Runs a command with the machine's CPUs kept busy, one spinning node process per core (`nproc`), so timing races
# in tests show up on a developer's machine or in CI instead of on someone else's loaded one. The burners are
# killed however the command ends, and the command's exit status is returned.
# Usage: scripts/under-load.sh <command> [args...]     e.g. scripts/under-load.sh npm test -w runtime
set -uo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

burners=()
stop_burners() {
  if [ "${#burners[@]}" -gt 0 ]; then
    kill "${burners[@]}" 2>/dev/null
    wait "${burners[@]}" 2>/dev/null
  fi
  burners=()
}
trap stop_burners EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cores="${UNDER_LOAD_BURNERS:-$(nproc)}"
for ((i = 0; i < cores; i++)); do
  node -e 'for (;;) {}' &
  burners+=("$!")
done
echo "under-load: ${cores} busy process(es) beside: $*" >&2

"$@"
status=$?
exit "$status"
