#include "demoworkspace.h"

#include "connectionstore.h"
#include "database.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace opsdeck::DemoWorkspace {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DemoWorkspace)
};
} // namespace

QString dataDir(const QString &baseDataDir)
{
    return baseDataDir + QStringLiteral("/demo");
}

Result<void> seed()
{
    QSqlDatabase db = Database::connection();
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM connections")) || !q.next())
            return Database::describe(q.lastError(), Tr::tr("Reading the demo workspace"));
        if (q.value(0).toInt() > 0)
            return {};
    }
    QFile file(QStringLiteral(":/demo/connections.json"));
    if (!file.open(QIODevice::ReadOnly))
        return makeError("demo.missing", Tr::tr("The demo data is missing from this build."));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError("demo.invalid",
                         Tr::tr("The demo data is invalid: %1").arg(parseError.errorString()));

    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QJsonValue &value : doc.object().value(QLatin1String("connections")).toArray()) {
        const QJsonObject o = value.toObject();
        Connection c;
        c.kind = kindFromId(o.value(QLatin1String("kind")).toString()).value_or(ConnectionKind::GitHub);
        c.name = o.value(QLatin1String("name")).toString();
        c.endpoint = o.value(QLatin1String("endpoint")).toString();
        c.auth = authFromId(o.value(QLatin1String("auth")).toString()).value_or(AuthKind::None);
        c.username = o.value(QLatin1String("username")).toString();
        c.syncIntervalSec = o.value(QLatin1String("sync_interval_s")).toInt(300);
        c.options = o.value(QLatin1String("options")).toObject();
        auto stored = ConnectionStore::save(tx.db(), c);
        if (!stored)
            return stored.error();
        // Sync history relative to now, so staleness reads naturally in the status bar.
        const QJsonObject sync = o.value(QLatin1String("sync")).toObject();
        const int minutesAgo = sync.value(QLatin1String("success_minutes_ago")).toInt(-1);
        if (minutesAgo >= 0)
            if (auto r = ConnectionStore::recordSuccess(tx.db(), stored->id, QStringLiteral("health"),
                                                        now.addSecs(-60 * minutesAgo));
                !r)
                return r;
        const QString error = sync.value(QLatin1String("error")).toString();
        if (!error.isEmpty()) {
            const int errorAgo = sync.value(QLatin1String("error_minutes_ago")).toInt(0);
            if (auto r = ConnectionStore::recordFailure(
                    tx.db(), stored->id, QStringLiteral("health"), now.addSecs(-60 * errorAgo),
                    Error{sync.value(QLatin1String("error_code")).toString(QStringLiteral("http.server")),
                          error});
                !r)
                return r;
        }
        tx.touch(Tables::connections, stored->id);
        tx.touch(Tables::syncState, stored->id);
    }
    return tx.commit();
}

} // namespace opsdeck::DemoWorkspace
