// Golden HTTP cases: a request and the response it must get, one JSON file per case, and the
// comparison of an actual response with the expected one as a readable list of differences.
//
// A case file:
//   {"name": "creates a user",                               (optional; the file name otherwise)
//    "request": {"method": "POST", "path": "/users?x=1", "headers": {"Content-Type": "…"},
//                "body": <any JSON>},                          (headers and body optional)
//    "expect":  {"status": 201, "headers": {"Content-Type": "application/json"},
//                "body": <any JSON>, "ignore": ["/id", "/items/*/created_at"]}}
// In "expect", a string can be a matcher: "$any" (any value), "$any-string", "$any-number",
// "$regex:<pattern>" (the whole string must match); "$$…" stands for a literal "$…". Ignored
// paths are JSON Pointers (RFC 6901) where "*" matches every index or key at that level. Objects
// are compared strictly: a member the expected body lacks is a difference unless ignored.
#pragma once

#include "models/core/result.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace opsdeck {

using GoldenHeaders = QList<std::pair<QString, QString>>;

struct GoldenRequest
{
    QString method;
    QString path; // with its query, from "/"
    GoldenHeaders headers;
    bool hasBody = false;
    QJsonValue body;
};

struct GoldenExpectation
{
    int status = 200;
    GoldenHeaders headers; // values may be matchers
    bool hasBody = false;
    QJsonValue body;
    QStringList ignore;
};

struct GoldenCase
{
    QString name;
    QString file; // relative to the suite's folder
    GoldenRequest request;
    GoldenExpectation expect;
};

struct GoldenMismatch
{
    QString where; // "status", "header Content-Type", "body /items/0/name"
    QString expected;
    QString actual;
};

// Reads one case file; errors ("golden.case") name the file and what is wrong in it.
Result<GoldenCase> parseGoldenCase(const QByteArray &json, const QString &file);

// An empty list when the response is what the case expects.
QList<GoldenMismatch> compareGoldenResponse(const GoldenExpectation &expect, int status,
                                            const GoldenHeaders &headers, const QByteArray &body);

// The differences as lines of text: "body /name: expected "alice", got "bob"".
QString goldenDiffText(const QList<GoldenMismatch> &mismatches);

} // namespace opsdeck
