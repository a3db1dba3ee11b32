#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz (the sanitizer build: clang, ASan + UBSan, preset
# asan) and runs each one for a while, starting from its checked-in corpus and the inputs of crashes once found. New interesting
# inputs go to build/asan/fuzz/corpus (not into the repository); a crash stops the run with the input
# saved and the command that replays it.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 10 s, every target; random seed)
#   scripts/fuzz.sh --runs N [TARGET...]                 (N inputs per target, seed 1: the same run
#                                                          every time; CI uses this, so that a new
#                                                          crash is found here first, not in CI)
set -euo pipefail
cd "$(dirname "$0")/.."
limit=(-max_total_time=10)
fixed=0
if [ "${1:-}" = "--runs" ]; then
  limit=(-runs="${2:?--runs needs a number}" -seed=1)
  fixed=1
  shift 2
elif [ -n "${1:-}" ] && [ "${1#fuzz_}" = "$1" ]; then
  limit=(-max_total_time="$1")
  shift
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n '/set(OPSDECK_FUZZ_TARGETS/,/)/p' tests/fuzz/CMakeLists.txt | grep -o 'fuzz_[a-z_]*')
fi
cmake --preset asan >/dev/null
cmake --build --preset asan --target "${targets[@]}" -- -k 0 >/dev/null
out=build/asan/fuzz
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# As many targets at a time as there are cores (OPSDECK_FUZZ_JOBS); each keeps its own log, and the
# table follows in target order.
jobs_max=${OPSDECK_FUZZ_JOBS:-$(nproc)}
run_one() {
  local t=$1 work="$out/corpus/$1" artifacts="$out/crashes/$1/"
  if [ $fixed = 1 ]; then # a fresh work corpus: the same run every time
    work="$out/fixed-corpus/$t"
    rm -rf "$work"
  fi
  mkdir -p "$work" "$artifacts" "tests/fuzz/regressions/$t"
  if "build/asan/tests/fuzz/$t" "${limit[@]}" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts" \
      "$work" "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t" >"$out/$t.log" 2>&1; then
    echo ok >"$out/$t.result"
  else
    echo "CRASH: $(grep -m1 -o 'Test unit written to .*' "$out/$t.log" | sed 's/Test unit written to //')" >"$out/$t.result"
  fi
}
mkdir -p "$out"
for t in "${targets[@]}"; do
  rm -f "$out/$t.result"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
    wait -n || true
  done
  run_one "$t" &
done
wait
printf '%-22s %10s %8s %8s %s\n' target runs corpus cov result
failed=0
for t in "${targets[@]}"; do
  log="$out/$t.log"
  result=$(cat "$out/$t.result" 2>/dev/null || echo "CRASH: the run left no result")
  [ "$result" = ok ] || failed=1
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || echo -)
  corpus=$(echo "$last" | grep -o 'corp: [0-9]*' | grep -o '[0-9]*' || echo -)
  printf '%-22s %10s %8s %8s %s\n' "$t" "$runs" "$corpus" "$cov" "$result"
done
if [ $failed -ne 0 ]; then
  echo "fuzz: a target crashed; its log is build/asan/fuzz/TARGET.log. Replay: build/asan/tests/fuzz/TARGET FILE." >&2
  echo "fuzz: fix it, then keep the input in tests/fuzz/regressions/TARGET/ (CTest replays it)." >&2
  exit 1
fi
