#!/usr/bin/env bash
# The command line as a person meets it: --help, --version, a bad option, no display, and the
# offscreen screenshot mode of the demo workspace.
set -u
bin=${1:?path to opsdeck}
tmp=$(mktemp -d /tmp/opsdeck-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # description, condition...
  local what=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what"; fi
}
out=$("$bin" --help 2>&1); rc=$?
check "--help exits 0" test $rc -eq 0
check "--help lists --screenshot" grep -q -- '--screenshot' <<<"$out"
check "--help names the program" grep -q 'Usage: opsdeck' <<<"$out"
out=$("$bin" --version 2>&1); rc=$?
check "--version exits 0" test $rc -eq 0
check "--version prints the version" grep -q '^Opsdeck [0-9]' <<<"$out"
out=$("$bin" --no-such-option 2>&1); rc=$?
check "bad option exits 2" test $rc -eq 2
check "bad option says what is wrong" grep -q 'no-such-option' <<<"$out"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$bin" --data-dir "$tmp/d" 2>&1); rc=$?
check "no display exits 3, not a Qt abort" test $rc -eq 3
check "no display offers xvfb-run" grep -q 'xvfb-run' <<<"$out"
check "no display offers --screenshot" grep -q -- '--screenshot' <<<"$out"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin" --demo --data-dir "$tmp/demo" --screenshot "$tmp/shots" 2>&1); rc=$?
check "screenshot mode exits 0" test $rc -eq 0
check "screenshot mode writes one PNG per pane" test "$(ls "$tmp/shots" 2>/dev/null | grep -cE '^0[0-9]-[a-z]+\.png$')" -eq 7
check "screenshot mode shows the Images pane's Gate tab" test -s "$tmp/shots/04-images-gate.png"
check "screenshot mode shows which budget limit binds" test -s "$tmp/shots/05-budgets-binding.png"
check "screenshot of the runners pane is a PNG" grep -q 'PNG' <(head -c 8 "$tmp/shots/01-runners.png")
# Global options before or after the subcommand, as with git and docker.
for args in "--data-dir $tmp/demo audit verify" "audit verify --data-dir $tmp/demo" "audit --data-dir $tmp/demo verify"; do
  out=$("$bin" $args 2>&1); rc=$?
  check "opsdeck $args exits 0" test $rc -eq 0
  check "opsdeck $args verifies the chain" grep -q '^OK:' <<<"$out"
done
out=$("$bin" --data-dir "$tmp/demo" audit export --format jsonl --out "$tmp/events.jsonl" 2>&1); rc=$?
check "global option before audit export exits 0" test $rc -eq 0
check "audit export wrote events" test -s "$tmp/events.jsonl"
# Which LiteLLM limit binds, from the demo's cache: Alice's team member budget refuses her CI key.
out=$("$bin" budgets explain --data-dir "$tmp/demo" --key ml-training-ci 2>&1); rc=$?
check "budgets explain: a refused key exits 1" test $rc -eq 1
check "budgets explain names the refusing member budget" grep -q 'Refused: the team member budget of Alice Moreau in ml-platform' <<<"$out"
out=$("$bin" budgets explain --data-dir "$tmp/demo" --connection llm-proxy --team ml-platform --json 2>&1); rc=$?
check "budgets explain: a team whose requests pass exits 0" test $rc -eq 0
check "budgets explain --json is JSON naming what binds first" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["passes"] and d["limits"][d["binds_first"]]["level"]=="organization"' "$out"
out=$("$bin" budgets explain --data-dir "$tmp/demo" --team ml-platform --cost 500 2>&1); rc=$?
check "budgets explain --cost past the team's budget exits 1" test $rc -eq 1
out=$("$bin" budgets explain --data-dir "$tmp/demo" --key no-such-key 2>&1); rc=$?
check "budgets explain: an unknown key exits 2 and says so" test $rc -eq 2 -a -n "$(grep 'no key with the alias' <<<"$out")"
out=$("$bin" budgets explain --data-dir "$tmp/demo" --key a --user b 2>&1); rc=$?
check "budgets explain: two subjects is a usage error" test $rc -eq 2
out=$("$bin" budgets explain --data-dir "$tmp/demo" --team ml-platform --cost -3 2>&1); rc=$?
check "budgets explain: a negative cost is refused" test $rc -eq 2
out=$("$bin" budgets explain --data-dir "$tmp/demo" --connection nope --team ml-platform 2>&1); rc=$?
check "budgets explain: an unknown connection names the known ones" grep -q 'llm-proxy' <<<"$out"
out=$("$bin" --data-dir "$tmp/demo" frobnicate 2>&1); rc=$?
check "unknown subcommand exits 2" test $rc -eq 2
check "unknown subcommand is named" grep -q 'frobnicate' <<<"$out"
# A database written by a newer Opsdeck is refused, untouched.
if command -v sqlite3 >/dev/null; then
  sqlite3 "$tmp/demo/cache.sqlite" 'PRAGMA user_version = 999;'
  before=$(sha256sum "$tmp/demo/cache.sqlite")
  out=$(env -u DISPLAY "$bin" --demo --data-dir "$tmp/demo" --screenshot "$tmp/shots2" 2>&1); rc=$?
  check "newer schema refused" test $rc -ne 0
  check "newer schema message" grep -q 'newer Opsdeck' <<<"$out"
  check "newer schema file untouched" test "$before" = "$(sha256sum "$tmp/demo/cache.sqlite")"
fi
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
