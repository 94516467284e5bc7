#!/usr/bin/env bash
# The corpus capture still works: captures into a fresh directory, then replays each target's new
# seeds. Usage: check_capture.sh CAPTURE_BINARY REPLAY_DIR TARGET...
set -euo pipefail
capture="$1" replay_dir="$2"
shift 2
# The capture runs haproxy (PROXY v2 headers); without it the test skips, unless the lab is required.
if ! command -v haproxy >/dev/null && [[ ! -x /usr/sbin/haproxy ]]; then
  echo "check_capture: haproxy is not installed (scripts/install-deps.sh --test installs it)" >&2
  [[ "${TLSDOCTOR_REQUIRE_LAB:-}" == 1 ]] && exit 1
  exit 77
fi
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
