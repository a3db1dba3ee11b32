#!/usr/bin/env bash
# Builds the release preset and runs the benchmarks in tests/bench, printing their figures.
#   scripts/bench.sh [--events N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test >/dev/null
scripts/build.sh release >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr)"
build/release/tests/bench/bench_audit "$@"
echo
QT_LOGGING_RULES="opsdeck.*.info=false" build/release/tests/bench/bench_sync
echo
build/release/tests/bench/bench_logs
