#!/usr/bin/env bash
# Wall time and peak RSS of a local-only tlsdoctor run, beside the floor of starting an
# OpenSSL-linked program (`openssl version -a`), measured side by side in one run.
# Usage: bench/local_run.sh [path/to/tlsdoctor] [runs]   (default: build/release, 20 runs)
# Targets (issue 2): under 300 ms and under 25 MB for the local-only run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/checker/tlsdoctor}"
runs="${2:-20}"
if [[ ! -x "$bin" ]]; then
  cmake --preset release -DTLSDOCTOR_BUILD_TESTS=OFF >/dev/null
  cmake --build --preset release --target tlsdoctor >/dev/null
fi
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

# Prints "median_ms min_ms max_ms peak_rss_mb" over $runs runs of the given command.
measure() {
  local out samples=() rss=0 tmp
  tmp=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$tmp" -f "%e %M" "$@" >/dev/null 2>&1 || true
    out=$(tail -n 1 "$tmp")
    samples+=("$(awk '{printf "%d", $1 * 1000}' <<<"$out")")
    local kb; kb=$(awk '{print $2}' <<<"$out")
    ((kb > rss)) && rss=$kb
  done
  rm -f "$tmp"
  printf '%s\n' "${samples[@]}" | sort -n | awk -v rss="$rss" '
    { v[NR] = $1 } END { printf "%d %d %d %.1f\n", v[int((NR + 1) / 2)], v[1], v[NR], rss / 1024 }'
}

read -r t_med t_min t_max t_rss < <(measure "$bin" -f json)
read -r o_med o_min o_max o_rss < <(measure openssl version -a)

printf '\nlocal-only run, %d runs each (wall time from /usr/bin/time, 10 ms resolution)\n\n' "$runs"
printf '%-34s %10s %8s %8s %12s\n' "command" "median ms" "min ms" "max ms" "peak RSS MB"
printf '%-34s %10d %8d %8d %12.1f\n' "tlsdoctor -f json" "$t_med" "$t_min" "$t_max" "$t_rss"
printf '%-34s %10d %8d %8d %12.1f\n' "openssl version -a (floor)" "$o_med" "$o_min" "$o_max" "$o_rss"
awk -v a="$t_med" -v b="$o_med" -v ra="$t_rss" -v rb="$o_rss" 'BEGIN {
  printf "\nratio tlsdoctor / floor: time %s, RSS %.1fx\n", (b > 0 ? sprintf("%.1fx", a / b) : "n/a (floor under 10 ms)"), ra / rb
  printf "targets: median under 300 ms: %s; peak RSS under 25 MB: %s\n", (a < 300 ? "met" : "MISSED"), (ra < 25 ? "met" : "MISSED") }'
