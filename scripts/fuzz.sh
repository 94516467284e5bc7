#!/usr/bin/env bash
# Builds the libFuzzer targets (the fuzz preset: clang 14, ASan + UBSan) and runs each over its
# seed corpus; any crash, leak, sanitizer report or hang fails the run.
# Usage: scripts/fuzz.sh [--seconds N | --runs N] [--jobs N] [--capture] [TARGET...]
#   --seconds N  run each target for N seconds (default 60; CI runs 30)
#   --runs N     run each target for N executions instead (the long local run: 10000000)
#   --jobs N     targets fuzzed at once (default 2)
#   --capture    first rewrite tests/fuzz/corpus from the lab (builds the dev preset's
#                fuzz_capture_corpus, installs the test packages; finding-* inputs are kept)
# Logs: build/fuzz/logs/TARGET.log. New inputs the fuzzers find go to build/fuzz/work/TARGET,
# never into the committed corpus; a finding's input is saved as build/fuzz/findings/TARGET/*.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60 runs="" jobs=2 capture=0 targets=()
while (($#)); do
  case "$1" in
    --seconds|--runs|--jobs)
      (($# >= 2)) || { echo "fuzz.sh: $1 needs a number" >&2; exit 2; }
      case "$1" in --seconds) seconds="$2" ;; --runs) runs="$2" ;; --jobs) jobs="$2" ;; esac
      shift 2 ;;
    --capture) capture=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
for n in "$seconds" "$jobs" ${runs:+"$runs"}; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: '$n' is not a positive whole number" >&2; exit 2; }
done

scripts/install-deps.sh
if ((capture)); then
  scripts/install-deps.sh --test
  cmake --preset dev -DTLSDOCTOR_BUILD_TESTS=ON >/dev/null
  cmake --build --preset dev --target fuzz_capture_corpus
  fresh="$(mktemp -d)"
  build/dev/tests/fuzz/fuzz_capture_corpus --out "$fresh"
  # Inputs a fuzzer once broke on are kept: they are regression tests, not captures.
  for finding in tests/fuzz/corpus/*/finding-*; do
    [[ -e "$finding" ]] || continue
    target="$(basename "$(dirname "$finding")")"
    mkdir -p "$fresh/$target"
    cp "$finding" "$fresh/$target/"
  done
  rm -rf tests/fuzz/corpus
  mv "$fresh" tests/fuzz/corpus
  chmod -R u=rwX,go=rX tests/fuzz/corpus
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

if ((${#targets[@]} == 0)); then
  for dir in tests/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi
mkdir -p build/fuzz/logs
for t in "${targets[@]}"; do
  [[ -x "build/fuzz/tests/fuzz/fuzz_$t" ]] || { echo "fuzz.sh: no fuzz target named '$t'" >&2; exit 2; }
  [[ -d "tests/fuzz/corpus/$t" ]] || { echo "fuzz.sh: no seed corpus tests/fuzz/corpus/$t" >&2; exit 2; }
done

# Leaks count as findings: LeakSanitizer checks when each fuzzer exits and fails it on any leak.
# libFuzzer's own check after every input that allocated more than it freed (-detect_leaks=1)
# is off: OpenSSL 3's method caches fill as inputs reach new algorithms, so that check ran on
# most inputs and made the certificate target 7x slower (1.5k vs 11k executions/s). To tie a
# leak to its input, rerun the target over build/fuzz/work/TARGET with -detect_leaks=1.
# UBSan stops at its first report (the build says -fno-sanitize-recover too).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

run_one() {
  local t="$1" limit
  mkdir -p "build/fuzz/work/$t" "build/fuzz/findings/$t"
  if [[ -n "$runs" ]]; then limit="-runs=$runs"; else limit="-max_total_time=$seconds"; fi
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: memory a parser must never need.
  rm -f "build/fuzz/logs/$t.status"
  local rc=0
  "build/fuzz/tests/fuzz/fuzz_$t" "$limit" -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/findings/$t/" "build/fuzz/work/$t" "tests/fuzz/corpus/$t" \
    >"build/fuzz/logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"build/fuzz/logs/$t.status"
}

for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  run_one "$t" &
done
wait
status=0
declare -A result=()
for t in "${targets[@]}"; do
  if [[ "$(cat "build/fuzz/logs/$t.status" 2>/dev/null)" == 0 ]]; then result[$t]=ok; else result[$t]=FINDING; status=1; fi
done

printf '%-18s %14s %10s %9s  %s\n' target executions exec/s seconds result
for t in "${targets[@]}"; do
  log="build/fuzz/logs/$t.log"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  secs=""
  [[ -n "$execs" && -n "$rate" && "$rate" != 0 ]] && secs=$((execs / rate))
  printf '%-18s %14s %10s %9s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${secs:-?}" "${result[$t]}"
  if [[ "${result[$t]}" != ok ]]; then
    echo "--- $log (end):" >&2
    tail -40 "$log" >&2
  fi
done
exit "$status"
