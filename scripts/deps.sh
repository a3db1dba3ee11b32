#!/usr/bin/env bash
# Installs what Opsdeck needs from Debian 12's packages, only what is missing.
#   scripts/deps.sh          build and run
#   scripts/deps.sh --test   also the real servers the tests start (podman, gnome-keyring, ...)
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql qt6-charts-dev libqt6opengl6-dev
  libxkbcommon-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6svg6
  qtkeychain-qt6-dev libgit2-dev libssl-dev libyaml-cpp-dev libsqlite3-dev libzip-dev
  lld                                        # links in a fraction of ld's time (CMake uses it when present)
)
run_packages=(xvfb xauth gnome-keyring dbus-x11)
test_packages=(
  podman runc busybox-static skopeo          # Docker Engine API (podman's compatible service)
  docker-registry                            # an OCI registry to pull from
  docker-compose git                         # compose deploys, git daemon for clones
  gnome-keyring libsecret-tools dbus-x11     # a real keychain in a private D-Bus session
  xvfb xauth xdotool sqlite3 openssl curl    # virtual display (driven by keyboard in tests), reference tools
  libxml2-utils                              # xmllint, the reference for the JUnit reader benchmark
  python3-jsonschema                         # checks posted test-run records against resources/schemas
  clang libclang-rt-14-dev                   # libFuzzer (tests/fuzz)
  postgresql-15                              # the team workspace store (private clusters, tests/support/postgres.sh)
  desktop-file-utils appstream dpkg-dev      # validate the installed .desktop and metainfo; the .deb's dependencies
  debootstrap                                # a fresh Debian 12 root that installs the .deb with apt-get
)

wanted=("${build_packages[@]}" "${run_packages[@]}")
if [ "${1:-}" = "--test" ]; then
  wanted+=("${test_packages[@]}")
fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: everything is installed"
  exit 0
fi
echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
