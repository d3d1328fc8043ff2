#!/usr/bin/env bash
# Runs a command with the machine's CPUs kept busy, one spinning node process per core (`nproc`), so timing races
# in tests show up on a developer's machine or in CI instead of on someone else's loaded one. The burners are
# killed however the script ends, and the command's exit status is returned.
# Usage: scripts/under-load.sh <command> [args...]     e.g. scripts/under-load.sh npm test -w runtime
# UNDER_LOAD_BURNERS=<n> starts n burners instead of one per core.
set -uo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

burners=()
command_pid=""
stop_burners() {
  if [ "${#burners[@]}" -gt 0 ]; then
    kill "${burners[@]}" 2>/dev/null
    wait "${burners[@]}" 2>/dev/null
  fi
  burners=()
}
trap stop_burners EXIT
# A signal to this script alone goes on to the command, which then ends and the script with it (the EXIT trap
# runs); the command runs in the background only so that the signal is handled at once, not after it finishes.
forward() {
  [ -n "$command_pid" ] && kill "-$1" "$command_pid" 2>/dev/null
}
trap 'forward INT' INT
trap 'forward TERM' TERM

cores="${UNDER_LOAD_BURNERS:-$(nproc)}"
for ((i = 0; i < cores; i++)); do
  node -e 'for (;;) {}' &
  burners+=("$!")
done
echo "under-load: ${cores} busy process(es) beside: $*" >&2

# `<&0` keeps the script's stdin for the command (a background job would otherwise read /dev/null).
"$@" <&0 &
command_pid=$!
# `wait` returns early when a trapped signal arrives; wait again until the command has really ended.
while :; do
  wait "$command_pid"
  status=$?
  kill -0 "$command_pid" 2>/dev/null || break
done
exit "$status"
