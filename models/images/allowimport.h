// A bulk import of allowlist entries (a pasted list or a file): one reference a line with an
// optional "# reason"; blank lines and lines that are only a comment are skipped. Every line is
// checked before anything is applied, and the plan says for each what would happen.
#pragma once

#include "models/images/allowlist.h"
#include "models/images/registryindex.h"

#include <QSet>

namespace opsdeck {

struct ImportLine
{
    enum class State { New, Invalid, Duplicate, AlreadyAllowed, NotFound };
    int line = 0;   // 1-based
    QString text;   // as written, without the comment
    QString entry;  // normalised (AllowEntry::text), when valid
    QString reason; // the line's comment, else the default reason
    State state = State::New;
    QString problem; // Invalid: the rule it breaks; Duplicate: the line it repeats; NotFound: what is missing
};

// existing: the entries the project (or the global list) holds already, normalised.
// registries: what the synced registries hold; an entry for a registry they cover whose repository
// or tag is not there is "not found" (nothing is allowed that does not exist). None: not checked.
QList<ImportLine> planImport(const QString &content, const QSet<QString> &existing,
                             const QString &defaultReason, const RegistryIndex *registries = nullptr);
QString importStateName(ImportLine::State state); // new, invalid, duplicate, allowed, not-found

} // namespace opsdeck
