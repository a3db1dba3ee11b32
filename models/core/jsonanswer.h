// The JSON object an API answered with, or an error naming who sent what: "json.malformed" when the
// body is not JSON, schemaCode ("github.schema", "docker.schema", …) when it is JSON but not an
// object. The first step of every mapper of an answer that is one object.
#pragma once

#include "models/core/result.h"

#include <QJsonArray>
#include <QJsonObject>

namespace opsdeck {

// source names the answer for people: "GitHub's answer", "The Docker engine's answer to …".
Result<QJsonObject> jsonObjectAnswer(const QByteArray &body, const QString &source, const char *schemaCode);
// The same for an answer that is one array (Harbor's lists).
Result<QJsonArray> jsonArrayAnswer(const QByteArray &body, const QString &source, const char *schemaCode);

} // namespace opsdeck
