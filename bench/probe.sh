#!/usr/bin/env bash
# Builds the release preset's bench_probe and runs it: lab scenarios probed concurrently and 100
# concurrent probes, as ratios to one `openssl s_client` handshake (issue 3's targets: under 3x).
# Usage: bench/probe.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target bench_probe >/dev/null
exec build/release/bench/bench_probe
