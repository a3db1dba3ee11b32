#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# so that QtKeychain talks to a real keychain. HOME is a temporary directory.
set -euo pipefail
if ! command -v gnome-keyring-daemon >/dev/null || ! command -v dbus-run-session >/dev/null; then
  echo "gnome-keyring or dbus is not installed (apt-get install gnome-keyring dbus-x11 libsecret-tools)" >&2
  if [ "${OPSDECK_REQUIRE_TESTBED:-0}" = 1 ]; then exit 1; fi
  exit 77 # skipped (CTest SKIP_RETURN_CODE)
fi
home=$(mktemp -d /tmp/opsdeck-keyring-XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY
exec dbus-run-session -- sh -c 'echo -n opsdeck-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; export OPSDECK_KEYRING=1; exec "$@"' sh "$@"
