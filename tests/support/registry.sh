#!/usr/bin/env bash
# Debian's OCI registry (distribution 2.8) in a private directory, for tests (../shared/TESTBED.md).
#   registry.sh start DIR PORT           -> serves on 127.0.0.1:PORT; the PID is in DIR/registry.pid
#   registry.sh push DIR SOURCE DEST     -> skopeo copy (SOURCE e.g. containers-storage:localhost/busybox:test,
#                                           DEST e.g. 127.0.0.1:PORT/team/busybox:1.0); give it the
#                                           podman storage settings in CONTAINERS_STORAGE_CONF
#   registry.sh stop DIR
set -euo pipefail
cmd=${1:?start|push|stop}
dir=$(realpath -m "${2:?directory}")
mkdir -p "$dir"
case "$cmd" in
start)
  port=${3:?port}
  command -v docker-registry >/dev/null || { echo "docker-registry is not installed (apt-get install docker-registry)" >&2; exit 3; }
  cat >"$dir/registry.yml" <<CONF
version: 0.1
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
log:
  level: warn
CONF
  docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
  echo $! >"$dir/registry.pid"
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && exit 0
    sleep 0.1
  done
  echo "the registry did not start; see $dir/registry.log" >&2
  cat "$dir/registry.log" >&2
  exit 1
  ;;
push)
  skopeo copy --quiet --dest-tls-verify=false "${3:?source}" "docker://${4:?destination}"
  ;;
stop)
  if [ -f "$dir/registry.pid" ]; then
    kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
    rm -f "$dir/registry.pid"
  fi
  ;;
*) echo "usage: $0 start|push|stop DIR ..." >&2; exit 2 ;;
esac
