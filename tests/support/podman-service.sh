#!/usr/bin/env bash
# Starts podman's Docker-compatible API service in a private directory, for tests.
#   podman-service.sh start DIR   -> prints the socket path; the service PID is in DIR/podman.pid
#   podman-service.sh stop DIR
#   podman-service.sh image DIR   -> imports localhost/busybox:test (a tiny local image; no pulls)
# Recipe from ../shared/TESTBED.md: overlay storage under DIR, runc, raised ulimits.
set -euo pipefail
cmd=${1:?start|stop|image}
dir=$(realpath -m "${2:?directory}")
mkdir -p "$dir"
export CONTAINERS_STORAGE_CONF="$dir/storage.conf" CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_REGISTRIES_CONF="$dir/registries.conf"
write_conf() {
  cat >"$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver="overlay"
runroot="$dir/run"
graphroot="$dir/graph"
CONF
  cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits=["nofile=20000:20000","nproc=32768:32768"]
[engine]
runtime="runc"
CONF
  cat >"$CONTAINERS_REGISTRIES_CONF" <<CONF
[[registry]]
location="${OPSDECK_TEST_REGISTRY:-127.0.0.1:5000}"
insecure=true
CONF
}
case "$cmd" in
start)
  command -v podman >/dev/null || { echo "podman is not installed (apt-get install podman runc)" >&2; exit 3; }
  write_conf
  sock="$dir/podman.sock"
  rm -f "$sock"
  podman system service --time=0 "unix://$sock" >"$dir/podman.log" 2>&1 &
  echo $! >"$dir/podman.pid"
  for _ in $(seq 1 100); do
    [ -S "$sock" ] && break
    sleep 0.1
  done
  [ -S "$sock" ] || { echo "podman service did not start; see $dir/podman.log" >&2; cat "$dir/podman.log" >&2; exit 1; }
  echo "$sock"
  ;;
stop)
  # Containers outlive the API service (conmon): stop and remove them, or their ports stay taken.
  if [ -f "$CONTAINERS_STORAGE_CONF" ]; then
    timeout 60 podman rm --all --force --time 0 >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/podman.pid" ]; then
    kill "$(cat "$dir/podman.pid")" 2>/dev/null || true
    rm -f "$dir/podman.pid"
  fi
  ;;
image)
  write_conf
  root="$dir/rootfs"
  mkdir -p "$root/bin"
  cp /bin/busybox "$root/bin/busybox"
  for tool in sh sleep echo cat ls; do ln -sf busybox "$root/bin/$tool"; done
  tar -C "$root" -cf "$dir/rootfs.tar" .
  podman import --change 'CMD ["/bin/sh"]' "$dir/rootfs.tar" localhost/busybox:test >/dev/null
  echo localhost/busybox:test
  ;;
*) echo "usage: $0 start|stop|image DIR" >&2; exit 2 ;;
esac
