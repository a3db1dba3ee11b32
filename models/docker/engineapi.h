// Docker Engine API version negotiation, as the Docker CLI does it: the engine's GET /version says
// the newest (ApiVersion) and oldest (MinAPIVersion) API it speaks; Opsdeck pins every request to
// the newest version both sides know, so that an engine newer than Opsdeck answers in the shapes
// Opsdeck's mappers read. An engine whose range does not meet Opsdeck's is refused with a message
// naming both ranges, never misread.
#pragma once

#include "models/core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace opsdeck {

namespace EngineApi {
// The shapes Opsdeck's mappers are written for: API 1.47 (Docker Engine 27). Older engines answer
// the same fields back to 1.24 (Docker Engine 1.12), the oldest a current engine still accepts;
// before 1.23 a container list had no "State".
inline constexpr char newest[] = "1.47";
inline constexpr char oldest[] = "1.24";

// "1.41" -> 1041; 0 when the text is not MAJOR.MINOR with numbers.
int number(const QString &version);

struct Negotiated
{
    QByteArray version;    // what requests are pinned to: "/v" + version + path
    QString engineVersion; // "27.5.1", "4.3.1": for people
    QString engineApi;     // the engine's own newest API
    QString engineMinApi;  // and oldest ("" when it did not say)
    QJsonObject answer;    // the whole GET /version answer: OS, architecture, … for the Host tab
};

// The answer to an unversioned GET /version. "docker.api-version" when the engine's range and
// Opsdeck's do not meet, "docker.schema" when the answer is not a version object.
Result<Negotiated> negotiate(const QByteArray &versionBody, const QString &engineName);
} // namespace EngineApi

} // namespace opsdeck
