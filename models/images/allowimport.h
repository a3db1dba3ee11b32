// A bulk import of allowlist entries (a pasted list or a file): one reference a line with an
// optional "# reason"; blank lines and lines that are only a comment are skipped. Every line is
// checked before anything is applied, and the plan says for each what would happen.
#pragma once

#include "models/images/allowlist.h"

#include <QSet>

namespace opsdeck {

struct ImportLine
{
    enum class State { New, Invalid, Duplicate, AlreadyAllowed };
    int line = 0;   // 1-based
    QString text;   // as written, without the comment
    QString entry;  // normalised (AllowEntry::text), when valid
    QString reason; // the line's comment, else the default reason
    State state = State::New;
    QString problem; // Invalid: the rule it breaks; Duplicate: the line it repeats
};

// existing: the entries the project (or the global list) holds already, normalised.
QList<ImportLine> planImport(const QString &content, const QSet<QString> &existing,
                             const QString &defaultReason);
QString importStateName(ImportLine::State state); // new, invalid, duplicate, allowed

} // namespace opsdeck
