#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources: opsdeck_de.ts (all strings, for translators) and
# opsdeck_en.ts (only the plural forms, "%n event(s)" -> "1 event" / "2 events").
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=/usr/lib/qt6/bin/lupdate
[ -x "$lupdate" ] || lupdate=$(command -v lupdate)
sources=$(git ls-files --cached --others --exclude-standard 'app/*.cpp' 'ui/*.cpp' 'models/*.cpp' 'services/*.cpp')
$lupdate -silent -no-obsolete -locations none $sources -ts translations/opsdeck_de.ts
$lupdate -silent -no-obsolete -locations none -pluralonly $sources -ts translations/opsdeck_en.ts
python3 scripts/fill-plurals.py translations/opsdeck_en.ts
