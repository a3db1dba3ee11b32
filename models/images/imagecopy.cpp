#include "models/images/imagecopy.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AllowlistCopy)
};
} // namespace

Result<AllowlistCopy> readAllowlistCopy(QSqlDatabase cache)
{
    QSqlQuery q(cache);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT id, entry, project, reason, added_by, added_at, expires_at FROM "
                               "workspace_image_allowlist ORDER BY id")))
        return makeError("workspace.read",
                         Database::describe(q.lastError(), Tr::tr("Reading the image allowlist")).message);
    AllowlistCopy out;
    while (q.next()) {
        auto parsed = parseAllowEntry(q.value(1).toString());
        if (!parsed) {
            out.problems
                << Tr::tr("Allowlist entry %1: %2").arg(q.value(0).toLongLong()).arg(parsed.message());
            continue;
        }
        AllowEntry e = parsed.value();
        e.id = q.value(0).toLongLong();
        e.project = q.value(2).toString();
        e.reason = q.value(3).toString();
        e.addedBy = q.value(4).toString();
        e.addedAt = QDateTime::fromString(q.value(5).toString(), Qt::ISODateWithMs);
        const QString expires = q.value(6).toString();
        if (!expires.isEmpty())
            e.expiresAt = QDateTime::fromString(expires, Qt::ISODateWithMs);
        out.entries << e;
    }
    return out;
}

Result<VulnGate> readGateCopy(QSqlDatabase cache)
{
    QSqlQuery q(cache);
    q.setForwardOnly(true);
    const auto fail = [&q] {
        return makeError("workspace.read",
                         Database::describe(q.lastError(), Tr::tr("Reading the vulnerability gate")).message);
    };
    if (!q.exec(
            QStringLiteral("SELECT project, threshold, block_unscanned, comment, updated_by, updated_at FROM "
                           "workspace_image_gate ORDER BY project")))
        return fail();
    QList<GateSetting> settings;
    while (q.next())
        settings << GateSetting{
            q.value(0).toString(), severityFromText(q.value(1).toString()),
            q.value(2).toBool(),   q.value(3).toString(),
            q.value(4).toString(), QDateTime::fromString(q.value(5).toString(), Qt::ISODateWithMs)};
    if (!q.exec(
            QStringLiteral("SELECT id, cve, image, project, reason, granted_by, granted_at, expires_at FROM "
                           "workspace_cve_exceptions ORDER BY id")))
        return fail();
    QList<CveException> exceptions;
    while (q.next())
        exceptions << CveException{q.value(0).toLongLong(),
                                   q.value(1).toString(),
                                   q.value(2).toString(),
                                   q.value(3).toString(),
                                   q.value(4).toString(),
                                   q.value(5).toString(),
                                   QDateTime::fromString(q.value(6).toString(), Qt::ISODateWithMs),
                                   QDateTime::fromString(q.value(7).toString(), Qt::ISODateWithMs)};
    return VulnGate(settings, exceptions);
}

} // namespace opsdeck
