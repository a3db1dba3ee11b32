// A small JSON Schema (draft-07) checker for the schemas Opsdeck ships in resources/schemas: type,
// enum, required, properties, additionalProperties (false), items, minimum, minLength, maxLength
// and pattern. Enough to refuse a document that does not match before it leaves the desktop; the
// tests check the same documents with a complete implementation (python3-jsonschema).
#pragma once

#include "models/core/result.h"

#include <QJsonObject>
#include <QJsonValue>

namespace opsdeck {

// "json.schema" with the first mismatch's path ($.cases[3].outcome) and what is wrong there.
Result<void> validateJson(const QJsonValue &value, const QJsonObject &schema);

} // namespace opsdeck
