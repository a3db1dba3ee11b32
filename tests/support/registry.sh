#!/usr/bin/env bash
# Debian's OCI registry (distribution 2.8) in a private directory, for tests (../shared/TESTBED.md).
#   registry.sh start DIR PORT           -> serves on 127.0.0.1:PORT; the PID is in DIR/registry.pid
#   registry.sh push DIR SOURCE DEST     -> skopeo copy (SOURCE e.g. containers-storage:localhost/busybox:test,
#                                           DEST e.g. 127.0.0.1:PORT/team/busybox:1.0); give it the
#                                           podman storage settings in CONTAINERS_STORAGE_CONF
#   registry.sh samples DIR PODMANDIR REGISTRY
#                                        -> pushes the manifest kinds a registry holds (../shared/TESTBED.md):
#                                           team/busybox:v2s2 (Docker v2 schema 2), team/busybox:oci (OCI
#                                           manifest), team/multi:oci (OCI index, linux/amd64 and linux/arm64),
#                                           team/multi:list (Docker manifest list), team/other:1, and tags
#                                           team/busybox:t01..t25 (for paged tag lists); PODMANDIR holds the
#                                           podman storage with localhost/busybox:test (podman-service.sh image)
#   registry.sh stop DIR
# Token authentication (not REGISTRY_*: the registry takes those as its own settings): with OPSDECK_REGISTRY_TOKEN_REALM, OPSDECK_REGISTRY_TOKEN_SERVICE, OPSDECK_REGISTRY_TOKEN_ISSUER and
# OPSDECK_REGISTRY_TOKEN_ROOT (a PEM bundle) set, "start" makes a registry that answers 401 with a Bearer
# challenge and takes the tokens that realm signs; OPSDECK_REGISTRY_STORAGE serves another registry's data.
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
    rootdirectory: ${OPSDECK_REGISTRY_STORAGE:-$dir/data}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
log:
  level: warn
CONF
  if [ -n "${OPSDECK_REGISTRY_TOKEN_REALM:-}" ]; then
    cat >>"$dir/registry.yml" <<CONF
auth:
  token:
    realm: $OPSDECK_REGISTRY_TOKEN_REALM
    service: ${OPSDECK_REGISTRY_TOKEN_SERVICE:?}
    issuer: ${OPSDECK_REGISTRY_TOKEN_ISSUER:?}
    rootcertbundle: ${OPSDECK_REGISTRY_TOKEN_ROOT:?}
CONF
  fi
  docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
  echo $! >"$dir/registry.pid"
  for _ in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" 2>/dev/null || true)
    { [ "$code" = 200 ] || [ "$code" = 401 ]; } && exit 0
    sleep 0.1
  done
  echo "the registry did not start; see $dir/registry.log" >&2
  cat "$dir/registry.log" >&2
  exit 1
  ;;
push)
  skopeo copy --quiet --dest-tls-verify=false "${3:?source}" "docker://${4:?destination}"
  ;;
samples)
  pdir=$(realpath -m "${3:?podman directory}")
  reg=${4:?registry host:port}
  export CONTAINERS_STORAGE_CONF="$pdir/storage.conf" CONTAINERS_CONF="$pdir/containers.conf" CONTAINERS_REGISTRIES_CONF="$pdir/registries.conf"
  src=containers-storage:localhost/busybox:test
  skopeo copy --quiet --dest-tls-verify=false --format v2s2 "$src" "docker://$reg/team/busybox:v2s2"
  skopeo copy --quiet --dest-tls-verify=false --format oci "$src" "docker://$reg/team/busybox:oci"
  skopeo copy --quiet --dest-tls-verify=false --format oci "$src" "docker://$reg/team/other:1"
  # A second platform: the same files, recorded as arm64.
  podman import --quiet --arch arm64 --change 'CMD ["/bin/sh"]' "$pdir/rootfs.tar" localhost/busybox:arm64 >/dev/null
  podman manifest rm localhost/multi:1 >/dev/null 2>&1 || true
  podman manifest create localhost/multi:1 >/dev/null
  podman manifest add localhost/multi:1 "$src" >/dev/null
  podman manifest add localhost/multi:1 containers-storage:localhost/busybox:arm64 >/dev/null
  podman manifest push --quiet --all --format oci --tls-verify=false localhost/multi:1 "docker://$reg/team/multi:oci"
  podman manifest push --quiet --all --format v2s2 --tls-verify=false localhost/multi:1 "docker://$reg/team/multi:list"
  # More tags on the OCI manifest, straight through the API (PUT manifest by tag).
  type=application/vnd.oci.image.manifest.v1+json
  curl -fs -H "Accept: $type" -o "$dir/oci.json" "http://$reg/v2/team/busybox/manifests/oci"
  for i in $(seq -w 1 25); do
    curl -fs -X PUT -H "Content-Type: $type" --data-binary "@$dir/oci.json" "http://$reg/v2/team/busybox/manifests/t$i" >/dev/null
  done
  ;;
stop)
  if [ -f "$dir/registry.pid" ]; then
    kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
    rm -f "$dir/registry.pid"
  fi
  ;;
*) echo "usage: $0 start|push|samples|stop DIR ..." >&2; exit 2 ;;
esac
