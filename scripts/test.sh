#!/usr/bin/env bash
# Installs what is missing (build tools and the real servers the tests start), builds with
# warnings as errors, runs every test, then builds the sanitizer configuration (clang: ASan + UBSan,
# LeakSanitizer on, and the libFuzzer targets) and runs the suites again in it, then runs every
# fuzz target for a fixed, seeded number of inputs. Also checks formatting and translations. Every
# CTest run happens under test-reaper: a process that a test leaves behind fails the run. The log
# ends with the time each phase took.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPSDECK_REQUIRE_TESTBED=1 QT_QPA_PLATFORM=offscreen
start=$(date +%s)

phases=()
phase_start=$start
phase_name=
phase() { # closes the running phase (if any) and starts the next
  local now
  now=$(date +%s)
  [ -n "$phase_name" ] && phases+=("$(printf '%-18s %5d s' "$phase_name" $((now - phase_start)))")
  phase_name=${1:-}
  phase_start=$now
  [ -n "$phase_name" ] && echo "== $phase_name"
  return 0
}
report() {
  phase
  echo "== phase times"
  printf '%s\n' "${phases[@]}"
  printf '%-18s %5d s\n' total $(($(date +%s) - start))
}
trap report EXIT
suite() { # runs a build's tests under test-reaper; a failure's reasons are repeated at the end
  local dir=$1
  shift
  if "$dir"/tests/test-reaper ctest --test-dir "$dir" --output-on-failure "$@"; then
    return 0
  fi
  # Two suites run at a time, so a failure's output sits in the middle of the log: its assertions,
  # repeated here, stay at the end, beside the phase times.
  echo "== why the tests failed ($dir/Testing/Temporary/LastTest.log)"
  grep -a -E -A4 '^(FAIL!|QFATAL|==[0-9]+==ERROR|.*runtime error: |[a-z-]+-check: )' "$dir/Testing/Temporary/LastTest.log" |
    cut -c1-300 | head -40 || true
  return 1
}

phase deps
scripts/deps.sh --test

phase format
if command -v clang-format >/dev/null; then
  unformatted=$(git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror 2>&1 | grep -c 'error:' || true)
  if [ "$unformatted" != 0 ]; then
    git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror 2>&1 | grep 'error:' | cut -d: -f1 | sort -u
    echo "test: $unformatted formatting differences; run: git ls-files '*.cpp' '*.h' | xargs clang-format -i" >&2
    exit 1
  fi
else
  echo "clang-format not installed; skipping the format check"
fi

phase build
scripts/build.sh ci
bash scripts/update-translations.sh
if ! git diff --quiet -- translations/; then
  echo "test: translations/*.ts were out of date; run scripts/update-translations.sh and commit the result" >&2
  git --no-pager diff --stat -- translations/
  exit 1
fi

phase tests
suite build/ci -j2 --timeout 300
tests/support/secret-sweep.sh build/ci

phase "sanitizer build"
scripts/build.sh asan

phase "sanitizer tests"
# The suites that drive podman, compose and Xvfb (label testbed) ran in the plain build; they test
# the real servers more than Opsdeck's memory, and take most of a sanitizer run's time.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
suite build/asan -j2 --timeout 600 -LE testbed
tests/support/secret-sweep.sh build/asan

phase fuzz
scripts/fuzz.sh --runs "${OPSDECK_FUZZ_RUNS:-100000}"

echo "test: all done in $(($(date +%s) - start)) s"
