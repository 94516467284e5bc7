#!/usr/bin/env bash
# The corpus capture still works: captures into a fresh directory, then replays each target's new
# seeds. Usage: check_capture.sh CAPTURE_BINARY REPLAY_DIR TARGET...
set -euo pipefail
capture="$1" replay_dir="$2"
shift 2
out="$(mktemp -d "${TMPDIR:-/tmp}/tlsdoctor-corpus-check-XXXXXX")"
trap 'rm -rf "$out"' EXIT
"$capture" --out "$out"
for target in "$@"; do
  if [[ ! -d "$out/$target" ]]; then
    echo "check_capture: no seeds captured for $target" >&2
    exit 1
  fi
  "$replay_dir/fuzz_replay_$target" "$out/$target"
done
