// What the admin sees when the cache cannot be opened: the reason and the ways out.
#pragma once

#include "models/core/result.h"

class QWidget;

namespace opsdeck {

enum class DatabaseChoice { OpenReadOnly, StartFresh, Quit };

// Offers "open read-only" where it can help and "move aside and start fresh" where the file itself
// is the problem; a newer schema offers only Quit (the file is left untouched).
DatabaseChoice askDatabaseProblem(const Error &error, const QString &path, QWidget *parent = nullptr);

} // namespace opsdeck
