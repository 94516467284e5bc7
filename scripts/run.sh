#!/usr/bin/env bash
# Installs what tlsdoctor needs, builds the release preset, and runs tlsdoctor on this machine.
# Arguments are passed to tlsdoctor (e.g. scripts/run.sh -f json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release -DTLSDOCTOR_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target tlsdoctor
exec build/release/checker/tlsdoctor "$@"
