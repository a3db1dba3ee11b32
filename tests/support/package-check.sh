#!/usr/bin/env bash
# The package route: `cmake --install` into an empty root, the .desktop file and the AppStream
# metainfo validated, the icons at their sizes, the installed binary run; then `cpack` builds the
# .deb, its declared dependencies are checked, and the package unpacked into another empty root
# runs --version and the offscreen demo screenshots.
#   package-check.sh BUILD_DIR VERSION
# Exit 77 (skipped) when a validator is missing, unless OPSDECK_REQUIRE_TESTBED=1.
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
app_id=org.opsdeck.Opsdeck
for tool in desktop-file-validate appstreamcli dpkg-deb dpkg-shlibdeps cpack; do
  if ! command -v "$tool" >/dev/null; then
    echo "package-check: $tool is not installed (scripts/deps.sh --test installs it)" >&2
    [ "${OPSDECK_REQUIRE_TESTBED:-}" = 1 ] && exit 1
    exit 77
  fi
done
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
echo "package-check: $(basename "$deb") installs, validates and runs (depends: $depends)"
