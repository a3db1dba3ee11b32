#!/usr/bin/env bash
# The package route: `cmake --install` into an empty root, the .desktop file and the AppStream
# metainfo validated, the icons at their sizes, the installed binary run; then `cpack` builds the
# .deb, its declared dependencies are checked, and the package unpacked into another empty root
# runs --version and the offscreen demo screenshots. Last, `apt-get install ./opsdeck_*.deb` on a
# fresh minimal Debian 12 root (debootstrap, then chroot): apt fetches what the package declares,
# and the installed Opsdeck runs --version and the demo screenshots there.
#   package-check.sh BUILD_DIR VERSION
# Exit 77 (skipped) when a validator is missing or the fresh root cannot be made (not root), unless
# OPSDECK_REQUIRE_TESTBED=1. OPSDECK_DEBIAN_MIRROR names the mirror (default deb.debian.org).
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
app_id=org.opsdeck.Opsdeck
for tool in desktop-file-validate appstreamcli dpkg-deb dpkg-shlibdeps cpack debootstrap chroot; do
  if ! command -v "$tool" >/dev/null; then
    echo "package-check: $tool is not installed (scripts/deps.sh --test installs it)" >&2
    [ "${OPSDECK_REQUIRE_TESTBED:-}" = 1 ] && exit 1
    exit 77
  fi
done
if [ "$(id -u)" != 0 ]; then
  echo "package-check: a fresh Debian root for apt-get install needs root (chroot)" >&2
  [ "${OPSDECK_REQUIRE_TESTBED:-}" = 1 ] && exit 1
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "package-check: $*" >&2
  exit 1
}

# 1. The install layout.
root=$work/root
cmake --install "$build" --prefix "$root/usr" >/dev/null
for f in bin/opsdeck share/applications/$app_id.desktop share/metainfo/$app_id.metainfo.xml \
  share/icons/hicolor/scalable/apps/$app_id.svg share/icons/hicolor/48x48/apps/$app_id.png \
  share/icons/hicolor/256x256/apps/$app_id.png; do
  [ -f "$root/usr/$f" ] || fail "cmake --install did not lay out $f"
done
desktop-file-validate "$root/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate refused the .desktop file"
appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" ||
  fail "appstreamcli refused the metainfo"
grep -q "<release version=\"$version\"" "$root/usr/share/metainfo/$app_id.metainfo.xml" ||
  fail "the metainfo names no release $version"
# A PNG's width and height are the big-endian words at bytes 16 and 20.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $3*256+$4, $7*256+$8 }'; }
for size in 48 256; do
  got=$(png_size "$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
  [ "$got" = "${size}x${size}" ] || fail "the ${size} px icon is $got"
done
# Output is captured before it is searched: with pipefail, `producer | grep -q` fails when grep
# stops reading early and the producer dies of SIGPIPE.
said=$("$root/usr/bin/opsdeck" --version)
grep -q "$version" <<<"$said" || fail "the installed opsdeck --version does not say $version: $said"

# 2. The .deb.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/cpack" >/dev/null) ||
  fail "cpack could not build the .deb"
deb=$(ls "$work"/cpack/opsdeck_"$version"_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "cpack wrote no opsdeck_${version}_*.deb"
depends=$(dpkg-deb -f "$deb" Depends)
for needed in libqt6widgets6 libqt6network6 libqt6sql6 libqt6sql6-sqlite libqt6sql6-psql qt6-qpa-plugins \
  libqt6svg6 libqt6keychain1 libgit2 libzip4 libssl3; do
  grep -q "$needed" <<<"$depends" || fail "the .deb does not depend on $needed: $depends"
done
contents=$(dpkg-deb -c "$deb")
grep -q "./usr/share/applications/$app_id.desktop" <<<"$contents" || fail "the .deb holds no .desktop file"
clean=$work/clean
dpkg-deb -x "$deb" "$clean"
said=$("$clean/usr/bin/opsdeck" --version)
grep -q "$version" <<<"$said" || fail "opsdeck from the .deb does not say $version: $said"
QT_QPA_PLATFORM=offscreen "$clean/usr/bin/opsdeck" --demo --data-dir "$work/demo" --screenshot "$work/shots" \
  >/dev/null 2>"$work/shots.log" || { cat "$work/shots.log" >&2; fail "opsdeck from the .deb could not render the demo"; }
[ -f "$work/shots/01-runners.png" ] || fail "the demo screenshots from the .deb are missing"

# 3. apt-get install on a fresh Debian 12 root: only what the .deb declares comes along.
fresh=$work/debian
mirror=${OPSDECK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
debootstrap --variant=minbase bookworm "$fresh" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap could not make a Debian 12 root from $mirror"; }
cp "$deb" "$fresh/tmp/"
in_root() { chroot "$fresh" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
in_root sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" \
  >"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; fail "apt-get install of the .deb failed on a fresh Debian 12"; }
status=$(in_root dpkg-query -W -f='${Status} ${Version}' opsdeck)
[ "$status" = "install ok installed $version" ] || fail "apt-get left opsdeck as: $status"
said=$(in_root opsdeck --version)
grep -q "$version" <<<"$said" || fail "opsdeck installed by apt does not say $version: $said"
in_root QT_QPA_PLATFORM=offscreen opsdeck --demo --data-dir /tmp/demo --screenshot /tmp/shots \
  >/dev/null 2>"$work/apt-shots.log" || { cat "$work/apt-shots.log" >&2; fail "opsdeck installed by apt could not render the demo"; }
[ -f "$fresh/tmp/shots/01-runners.png" ] || fail "the demo screenshots of opsdeck installed by apt are missing"
echo "package-check: $(basename "$deb") installs, validates and runs, unpacked and by apt-get on a fresh Debian 12 (depends: $depends)"
