#!/usr/bin/env bash
# Installs what is missing, builds Opsdeck and launches it on the embedded SQLite cache.
#   scripts/run.sh [opsdeck options]      e.g. scripts/run.sh --demo
#   scripts/run.sh --xvfb [options]       in a virtual X server (machines without a display)
#   scripts/run.sh --screenshot DIR ...   render every pane to PNG files, no display needed
set -euo pipefail
cd "$(dirname "$0")/.."
xvfb=0
if [ "${1:-}" = "--xvfb" ]; then
  xvfb=1
  shift
fi
scripts/deps.sh
scripts/build.sh release
bin=build/release/bin/opsdeck
case " $* " in
  *" --screenshot "*|*" --help "*|*" -h "*|*" --version "*|*" -v "*) exec "$bin" "$@" ;;
esac
if [ $xvfb = 1 ]; then
  echo "run: starting Opsdeck in a virtual X server (xvfb-run); it has no visible window."
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" "$@"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  cat >&2 <<MSG
run: Opsdeck is built, but this machine has no display (DISPLAY and WAYLAND_DISPLAY are not set).
  See it without a display:   scripts/run.sh --demo --screenshot ./shots   (one PNG per pane)
  Run it in a virtual X:      scripts/run.sh --xvfb --demo
  On a desktop:               $bin --demo
MSG
  exit 3
fi
exec "$bin" "$@"
