#!/usr/bin/env bash
# After a whole test run: looks for every kind of secret the suites use (GitHub tokens, installation
# and registration tokens, JIT configurations, the Cloudflare token, private keys) in everything
# the run left behind: all that every test process printed (CTest's LastTest.log, with Opsdeck's
# log lines, sanitizer reports and crash messages), crash reports, and whatever Opsdeck may have
# written under the run's HOME. Each suite already scans its own cache, settings, workspaces and
# log for its own secrets before it removes them; this is the run-wide check on top.
#   tests/support/secret-sweep.sh BUILD_DIR [MORE_PATHS...]
# Exits 1 with the places (secrets shortened) when one is found. Before sweeping it proves on a
# planted file that it would find one.
set -u
build=${1:?build directory}
shift
patterns='gh[pousr]_[A-Za-z0-9_]{4,}|github_pat_[A-Za-z0-9_]{4,}|cf-token|SECRETJITCONFIG|SECRETREGTOKEN|REPOJIT==|-----BEGIN [A-Z ]*PRIVATE KEY-----'

sweep() { # paths... -> "file:line: first 10 characters of the secret…" for each find
  grep -rIaEno "$patterns" "$@" 2>/dev/null | awk -F: '{ s = $3; for (i = 4; i <= NF; i++) s = s ":" $i; printf "%s:%s: %s…\n", $1, $2, substr(s, 1, 10) }'
}

canary=$(mktemp -d /tmp/opsdeck-sweep-XXXXXX)
trap 'rm -rf "$canary"' EXIT
printf 'log line with Authorization: Bearer ghp_%s\n' "canaryX" >"$canary/planted.log"
if [ -z "$(sweep "$canary")" ]; then
  echo "secret sweep: the sweep did not find a planted token; the check itself is broken" >&2
  exit 1
fi

paths=("$build/Testing/Temporary")
for p in "$@" "${HOME:-/nonexistent}/.local/share/opsdeck" "${HOME:-/nonexistent}/.config/opsdeck"; do
  [ -e "$p" ] && paths+=("$p")
done
while IFS= read -r -d '' report; do paths+=("$report"); done \
  < <(find /tmp -maxdepth 4 -path '*/crashes/crash-*.txt' -print0 2>/dev/null)

files=$(find "${paths[@]}" -type f 2>/dev/null | wc -l)
bytes=$(find "${paths[@]}" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
found=$(sweep "${paths[@]}")
if [ -n "$found" ]; then
  echo "secret sweep: secrets in what the test run left behind:" >&2
  echo "$found" | head -n 50 >&2
  exit 1
fi
echo "secret sweep: $files files, $bytes bytes of test output and reports: no token or key found"
