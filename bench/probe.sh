#!/usr/bin/env bash
# Builds the release preset's bench_probe and runs it: lab scenarios probed concurrently and 100
# concurrent probes, as ratios to one `openssl s_client` handshake (issue 3's targets: under 3x).
# Usage: bench/probe.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# Its own build tree: the release preset's tree is configured without the lab (bench/local_run.sh).
cmake --preset release -B build/bench -DTLSDOCTOR_BUILD_TESTS=ON >/dev/null
cmake --build build/bench --target bench_probe >/dev/null
exec build/bench/bench/bench_probe
