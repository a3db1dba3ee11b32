#!/usr/bin/env bash
# Runs a command where no keychain can be reached: no D-Bus session, no display.
set -euo pipefail
home=$(mktemp -d /tmp/opsdeck-nokeyring-XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME="$home" DBUS_SESSION_BUS_ADDRESS="unix:path=$home/no-bus"
unset DISPLAY WAYLAND_DISPLAY
exec "$@"
