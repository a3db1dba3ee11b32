#!/usr/bin/env bash
# Builds the release preset and runs every benchmark in tests/bench: each prints its figures, and
# at the end one table sums them up; all figures go to build/bench/results.json with the machine.
#   scripts/bench.sh [--events N]    (N audit events, default 1,000,000)
# Benchmarks measure and print; they never fail on a time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test >/dev/null
scripts/build.sh release >/dev/null
bin=build/release/tests/bench
out=build/bench
mkdir -p "$out/data"
export OPSDECK_BENCH_JSON="$out/results.jsonl" QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
: >"$OPSDECK_BENCH_JSON"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
machine="$(nproc) cores ($cpu), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr), Qt $(qtpaths6 --qt-version 2>/dev/null || echo 6), $(sqlite3 --version | cut -d' ' -f1 | sed 's/^/SQLite /')"
echo "machine: $machine"
echo
"$bin/bench_audit" --keep "$out/data" "$@"
echo
"$bin/bench_startup" --data-dir "$out/data"
echo
"$bin/bench_ingest"
echo
"$bin/bench_permissions"
"$bin/bench_allowlist"
echo
QT_LOGGING_RULES="opsdeck.*.info=false" "$bin/bench_registry"
echo
QT_LOGGING_RULES="opsdeck.*.info=false" "$bin/bench_workspace"
echo
QT_LOGGING_RULES="opsdeck.*.info=false" "$bin/bench_sync"
echo
"$bin/bench_logs"
echo
"$bin/bench_budgets"
echo
"$bin/bench_junit"
echo
"$bin/bench_testruns" --keep "$out/data"

# The table and the JSON document, from the figures the benchmarks appended.
echo
printf '| %-20s | %-46s | %16s | %-40s | %6s |\n' benchmark figure value "compared with" ratio
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..22})" "$(printf -- '-%.0s' {1..48})" \
  "$(printf -- '-%.0s' {1..18})" "$(printf -- '-%.0s' {1..42})" "$(printf -- '-%.0s' {1..8})"
while IFS= read -r line; do
  field() { { echo "$line" | grep -o -m1 "\"$1\":\(\"[^\"]*\"\|[-0-9.e+]*\)" || true; } | cut -d: -f2- | tr -d '"'; }
  value=$(printf '%.1f %s' "$(field value)" "$(field unit)")
  reference=$(field reference)
  compared=-
  ratio=-
  if [ -n "$reference" ]; then
    compared=$(printf '%s: %.1f %s' "$(field reference_name)" "$reference" "$(field unit)")
    ratio=$(printf '%.2f' "$(field ratio)")
  fi
  printf '| %-20s | %-46s | %16s | %-40s | %6s |\n' "$(field bench)" "$(field figure)" "$value" "$compared" "$ratio"
done <"$OPSDECK_BENCH_JSON"
{
  printf '{"date":"%s","machine":"%s","results":[' "$(date -u +%FT%TZ)" "${machine//\"/}"
  paste -sd, "$OPSDECK_BENCH_JSON"
  printf ']}\n'
} >"$out/results.json"
echo
echo "bench: figures in $out/results.json"
