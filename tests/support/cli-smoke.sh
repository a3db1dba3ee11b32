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
# The checks that forge a cache by hand need sqlite3; where the testbed is required (CI), its absence
# fails the run instead of skipping them.
if [ "${OPSDECK_REQUIRE_TESTBED:-0}" = 1 ]; then
  check "sqlite3 is installed (the forged-cache checks need it)" sh -c "command -v sqlite3 >/dev/null"
fi
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
check "no text is clipped in English" test -z "$(grep 'clipped text' <<<"$out")"
grep 'clipped text' <<<"$out"
check "every control has an accessible name" test -z "$(grep 'opsdeck: accessibility' <<<"$out")"
grep 'opsdeck: accessibility' <<<"$out"
# German: every pane and dialog again, with nothing cut off (the demo's audit log is ready by now).
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin" --demo --data-dir "$tmp/demo" --language de --screenshot "$tmp/shots-de" 2>&1); rc=$?
check "German screenshot mode exits 0" test $rc -eq 0
check "German screenshots: as many as English" test "$(ls "$tmp/shots-de" | wc -l)" -eq "$(ls "$tmp/shots" | wc -l)"
check "no text is clipped in German" test -z "$(grep 'clipped text' <<<"$out")"
grep 'clipped text' <<<"$out"
check "every control has an accessible name in German" test -z "$(grep 'opsdeck: accessibility' <<<"$out")"
grep 'opsdeck: accessibility' <<<"$out"
out=$("$bin" --language xx 2>&1); rc=$?
check "an unknown --language exits 2" test $rc -eq 2
check "an unknown --language names the languages" grep -q 'en, de' <<<"$out"
out=$("$bin" --palette sepia 2>&1); rc=$?
check "an unknown --palette exits 2 and names the palettes" test $rc -eq 2 -a -n "$(grep 'use light or dark' <<<"$out")"
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
# JUnit reports into test runs: one line per file with its totals, a refused file named with its
# position and nothing of it kept, exit 1; a report imported before is not imported again.
mkdir -p "$tmp/reports/nested"
cat > "$tmp/reports/TEST-api.xml" <<'XML'
<testsuite name="api" timestamp="2026-11-30T10:00:00"><testcase classname="c" name="ok" time="0.1"/>
<testcase classname="c" name="bad" time="0.2"><failure message="expected 201"/></testcase>
<testcase classname="c" name="later"><skipped/></testcase></testsuite>
XML
printf '<testsuite><testcase name="a">' > "$tmp/reports/nested/cut.xml"
out=$("$bin" testruns import --data-dir "$tmp/tr" --source api "$tmp/reports" 2>&1); rc=$?
check "testruns import: a refused report exits 1" test $rc -eq 1
check "testruns import prints the totals of a report" grep -q 'TEST-api.xml: 3 tests, 1 passed, 1 failed, 0 errors, 1 skipped, 0 flaky, 0.300 s (run 1 of api)' <<<"$out"
check "testruns import names why a report is refused" grep -q 'cut.xml: refused: cut.xml: line 1, column 30: .*truncated' <<<"$out"
out=$("$bin" testruns import --data-dir "$tmp/tr" --source api --json "$tmp/reports/TEST-api.xml" 2>/dev/null); rc=$?
check "testruns import: a report imported before exits 0" test $rc -eq 0
check "testruns import: a report imported before is not imported again" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d[0]["status"]=="already-imported" and d[0]["run_id"]==1' "$out"
sed 's/expected 201/expected 204/' "$tmp/reports/TEST-api.xml" > "$tmp/other.xml"
out=$("$bin" testruns import --data-dir "$tmp/tr" --dry-run --json "$tmp/other.xml" 2>/dev/null); rc=$?
check "testruns import --dry-run exits 0 with the totals" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d[0]["status"]=="would-import" and d[0]["totals"]["failed"]==1' "$out"
if command -v sqlite3 >/dev/null; then
  check "testruns import: one run kept, nothing of the refused or dry-run reports" test "$(sqlite3 "$tmp/tr/cache.sqlite" 'SELECT count(*) FROM test_runs')" = 1
  check "testruns import: the import and the refusal are audited" test "$(sqlite3 "$tmp/tr/cache.sqlite" "SELECT group_concat(outcome) FROM audit_events WHERE action = 'testrun.import'")" = "success,failure"
fi
out=$("$bin" testruns import --data-dir "$tmp/tr" "$tmp/no-such-dir" 2>&1); rc=$?
check "testruns import: a missing path is a usage error naming it" test $rc -eq 2 -a -n "$(grep 'no-such-dir does not exist' <<<"$out")"
out=$("$bin" testruns import --data-dir "$tmp/tr" 2>&1); rc=$?
check "testruns import without a path exits 2" test $rc -eq 2
# Retention from a script: what would go, then gone with its audit event; a bad limit is refused.
out=$("$bin" testruns cleanup --data-dir "$tmp/tr" --days 1 --dry-run --json 2>/dev/null); rc=$?
check "testruns cleanup --dry-run says what would go" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["dry_run"] and d["runs"]==1 and d["by_source"]=={"api":1} and d["remaining_runs"]==0' "$out"
out=$("$bin" testruns cleanup --data-dir "$tmp/tr" --days 1 2>&1); rc=$?
check "testruns cleanup exits 0 and says what it removed" test $rc -eq 0 -a -n "$(grep 'Removed 1 run' <<<"$out")"
if command -v sqlite3 >/dev/null; then
  check "testruns cleanup: the run is gone, the cleanup audited" test "$(sqlite3 "$tmp/tr/cache.sqlite" "SELECT (SELECT count(*) FROM test_runs) || ',' || (SELECT count(*) FROM audit_events WHERE action = 'testrun.retention')")" = "0,1"
fi
out=$("$bin" testruns cleanup --data-dir "$tmp/tr" --days -3 2>&1); rc=$?
check "testruns cleanup: a negative limit is a usage error naming it" test $rc -eq 2 -a -n "$(grep -- '--days takes a whole number' <<<"$out")"
# The audit retention from a script: said, done (with nothing old enough here), refused when unbounded.
out=$("$bin" audit prune --data-dir "$tmp/demo" --keep-days 1 --dry-run 2>&1); rc=$?
check "audit prune --dry-run exits 0 and says what would go" test $rc -eq 0 -a -n "$(grep 'older than 1 day' <<<"$out")"
out=$("$bin" audit prune --data-dir "$tmp/tr" --keep-days 30 2>&1); rc=$?
check "audit prune with nothing old enough exits 0 and says so" test $rc -eq 0 -a -n "$(grep 'No audit event is older than 30 days' <<<"$out")"
out=$("$bin" audit prune --data-dir "$tmp/tr" 2>&1); rc=$?
check "audit prune without a retention set exits 2 and says how" test $rc -eq 2 -a -n "$(grep -- '--keep-days N' <<<"$out")"
out=$("$bin" audit prune --data-dir "$tmp/tr" --keep-days 0 2>&1); rc=$?
check "audit prune --keep-days 0 is a usage error naming the range" test $rc -eq 2 -a -n "$(grep 'from 1 to 3650' <<<"$out")"
out=$("$bin" --data-dir "$tmp/demo" audit verify 2>&1); rc=$?
check "a dry prune leaves the chain whole" test $rc -eq 0
# A chain that does not verify keeps every event; the refusal is said and audited.
if command -v sqlite3 >/dev/null; then
  "$bin" audit prune --data-dir "$tmp/forged" --keep-days 30 >/dev/null 2>&1
  sqlite3 "$tmp/forged/cache.sqlite" "INSERT INTO audit_events (id, ts, action, outcome, prev_hash, hash) VALUES (1, '2026-01-01T00:00:00.000Z', 'runner.delete', 'success', 'x', 'y')"
  out=$("$bin" audit prune --data-dir "$tmp/forged" --keep-days 1 2>&1); rc=$?
  check "audit prune of a broken chain exits 1 and says why" test $rc -eq 1 -a -n "$(grep 'does not verify, so no event was removed' <<<"$out")"
  check "audit prune of a broken chain removes nothing and records the refusal" test "$(sqlite3 "$tmp/forged/cache.sqlite" "SELECT (SELECT count(*) FROM audit_events WHERE id = 1) || ',' || (SELECT count(*) FROM audit_events WHERE action = 'audit.prune' AND outcome = 'failure')")" = "1,1"
fi
out=$("$bin" testruns frob 2>&1); rc=$?
check "testruns: an unknown command exits 2" test $rc -eq 2
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
