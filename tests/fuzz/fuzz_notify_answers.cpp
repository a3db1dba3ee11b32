// What Slack and Jira answer a notification, and documents checked against a JSON schema
// (models/testruns/notifications.h, models/core/jsonschema.h). Whatever the input: Slack's answer is
// ok only for 200 "ok"; Jira's is a key only for 201 with a non-empty key; every refusal has a
// message; the run-record schema checks any JSON value without crashing.
#include "models/core/jsonschema.h"
#include "models/testruns/notifications.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // The first byte picks a status; the rest is the body.
    static const int statuses[] = {200, 201, 400, 401, 403, 404, 410, 429, 500, 502};
    const int status = statuses[data[0] % 10];
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const auto slack = opsdeck::slackAnswer(status, body);
    if (slack.ok() != (status == 200 && body.trimmed() == "ok"))
        __builtin_trap();
    if (!slack && slack.message().isEmpty())
        __builtin_trap();
    const auto jira = opsdeck::jiraAnswer(status, body);
    if (jira && (status != 201 || jira->isEmpty()))
        __builtin_trap();
    if (!jira && jira.message().isEmpty())
        __builtin_trap();
    static const QJsonObject schema = [] {
        QFile f(QStringLiteral(OPSDECK_SCHEMA_FILE));
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
    }();
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const auto checked =
        opsdeck::validateJson(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()), schema);
    if (!checked && !checked.message().contains(QLatin1String("$")))
        __builtin_trap();
    return 0;
}
