// Shared by the kill tests (tst_crash, tst_appcrash): a GitHub runner list that is new on every
// sync (so a half-written sync would show), an image pull that goes on for a minute (a deploy job
// to kill), and the checks on the cache a kill leaves.
#pragma once

#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "testhttpserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace KillChecks {

constexpr int pages = 30, perPage = 100;

// Page `page` of `pages` of the runners of sync number `generation`: ids generation * 100000 + n,
// with the Link header to the next page.
inline TestReply runnerPage(const TestHttpServer &server, int generation, int page)
{
    QJsonArray runners;
    for (int i = 0; i < perPage; ++i) {
        const int n = (page - 1) * perPage + i;
        runners << QJsonObject{
            {"id", generation * 100000 + n},
            {"name", QStringLiteral("kill-%1-%2").arg(generation).arg(n)},
            {"os", "linux"},
            {"status", "online"},
            {"busy", n % 2 == 0},
            {"ephemeral", false},
            {"labels", QJsonArray{QJsonObject{{"id", 1}, {"name", "self-hosted"}, {"type", "read-only"}}}}};
    }
    TestReply reply = TestReply::json(
        200, QJsonDocument(QJsonObject{{"total_count", pages * perPage}, {"runners", runners}})
                 .toJson(QJsonDocument::Compact));
    if (page < pages)
        reply.header(
            "Link",
            QStringLiteral("<%1>; rel=\"next\"")
                .arg(server
                         .url(QStringLiteral("/orgs/acme/actions/runners?per_page=100&page=%1").arg(page + 1))
                         .toString())
                .toUtf8());
    return reply;
}

// POST /images/create answered with pull progress, slowly, for a minute.
inline TestReply endlessPull()
{
    TestReply r = TestReply::json(200, {});
    r.chunked = true;
    for (int i = 0; i < 600; ++i)
        r.chunks
            << QStringLiteral(
                   R"({"status":"Downloading","id":"layer1","progressDetail":{"current":%1,"total":600000}})"
                   "\n")
                   .arg(i * 1000)
                   .toUtf8();
    r.chunkDelayMs = 100;
    return r;
}

// Empty when the cache is whole: PRAGMA integrity_check says ok and the audit chain verifies.
inline QString cacheProblem()
{
    QSqlQuery q(opsdeck::Database::connection());
    if (!q.exec(QStringLiteral("PRAGMA integrity_check")) || !q.next())
        return QStringLiteral("integrity_check did not run");
    if (q.value(0).toString() != QLatin1String("ok"))
        return q.value(0).toString();
    q.finish();
    const auto verified = opsdeck::AuditLog::verify(opsdeck::Database::connection());
    if (!verified)
        return verified.message();
    return verified->ok ? QString() : verified->message;
}

// Runners not marked removed, and of how many syncs they come (one whole sync: pages * perPage of 1).
inline std::pair<int, int> activeRunners()
{
    QSqlQuery q(opsdeck::Database::connection());
    if (!q.exec(QStringLiteral(
            "SELECT COUNT(*), COUNT(DISTINCT runner_id / 100000) FROM runners WHERE removed_at IS NULL")) ||
        !q.next())
        return {-1, -1};
    return {q.value(0).toInt(), q.value(1).toInt()};
}

} // namespace KillChecks
