#!/usr/bin/env bash
# Builds the release preset's bench_full_run and the tlsdoctor binary beside it, and runs it: a
# full check with one target and a loopback reference, as a ratio to one `openssl s_client`
# handshake (issue 5's target: under 3x), and tlsdoctor's peak RSS.
# Usage: bench/full_run.sh [--serve]   (--serve: keep the site and reference up for profiling by hand)
set -euo pipefail
cd "$(dirname "$0")/.."
# Its own build tree: the release preset's tree is configured without the lab (bench/local_run.sh).
cmake --preset release -B build/bench -DTLSDOCTOR_BUILD_TESTS=ON >/dev/null
cmake --build build/bench --target bench_full_run tlsdoctor >/dev/null
exec build/bench/bench/bench_full_run "$@"
