#!/usr/bin/env bash
# Installs what the suite needs, builds a preset (default: dev) and runs every test with ctest.
# Usage: scripts/test.sh [dev|asan|clang|release]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
scripts/install-deps.sh --test
cmake --preset "$preset" -DTLSDOCTOR_BUILD_TESTS=ON >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" --timeout 300 -j2
