#!/usr/bin/env bash
# Configures and builds one CMake preset (release, ci, asan). Used by run.sh and test.sh.
set -euo pipefail
preset=${1:-release}
cd "$(dirname "$0")/.."
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -- -k 0
