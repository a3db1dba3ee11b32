#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources: opsdeck_de.ts (all strings, for translators) and
# opsdeck_en.ts (only the plural forms, "%n event(s)" -> "1 event" / "2 events").
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=/usr/lib/qt6/bin/lupdate
[ -x "$lupdate" ] || lupdate=$(command -v lupdate)
sources=$(git ls-files --cached --others --exclude-standard 'app/*.cpp' 'ui/*.cpp' 'models/*.cpp' 'services/*.cpp')
# -I .: the sources include from the repository's root; without it lupdate cannot see a class's
# namespace and files its strings under a context ("BudgetsPane") that tr() never asks for
# ("opsdeck::BudgetsPane"), and the plural forms never show.
$lupdate -silent -no-obsolete -locations none -I . $sources -ts translations/opsdeck_de.ts
$lupdate -silent -no-obsolete -locations none -I . -pluralonly $sources -ts translations/opsdeck_en.ts
python3 scripts/fill-plurals.py translations/opsdeck_en.ts
