// A team workspace of 10,000 people and 50,000 grants on a real PostgreSQL 15 (started here by
// tests/support/postgres.sh): how long a role changed on one desktop takes to show in a second
// desktop's copy (LISTEN/NOTIFY, then the copy re-read and merged), and how long the Users pane
// takes to load that copy. Prints figures; never fails on time.
#include "benchreport.h"
#include "models/store/database.h"
#include "models/workspace/peoplemodel.h"
#include "postgrestestbed.h"
#include "services/servicehost.h"
#include "services/workspace/workspaceservice.h"
#include "ui/panes/users/userspane.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace opsdeck;

namespace {
bool exec(QSqlDatabase db, const QString &sql)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    fprintf(stderr, "bench_workspace: %s\n", qPrintable(q.lastError().text()));
    return false;
}

QString cachedRole(const QString &login)
{
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral("SELECT role FROM workspace_people WHERE login = ?"));
    q.addBindValue(login);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}
} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qEnvironmentVariable("QT_QPA_PLATFORM", QStringLiteral("offscreen")).toUtf8());
    QApplication app(argc, argv);
    QTemporaryDir dir(QStringLiteral("/tmp/opsdeck-bench-ws-XXXXXX"));
    PostgresTestbed pg;
    QString why;
    const auto started = pg.start(dir.path(), &why);
    if (started != PostgresTestbed::Start::Ok) {
        printf("workspace: skipped, PostgreSQL 15 is not available here (%s)\n",
               started == PostgresTestbed::Start::Missing ? "not installed" : qPrintable(why));
        return 0;
    }
    if (!Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok())
        return 1;
    QString database;
    {
        auto owner = pg.freshDatabase(QStringLiteral("bench-owner"));
        if (!owner || !owner->initialize(QStringLiteral("alice"), {}))
            return 1;
        database = owner->db().databaseName();
        // 10,000 people and 50,000 grants, written by the owner in one go.
        if (!exec(owner->db(),
                  QStringLiteral("INSERT INTO people (login, email, display_name, role) SELECT "
                                 "'p' || lpad(i::text, 5, '0'), 'p' || i || '@example.com', 'Person ' "
                                 "|| i, CASE WHEN i % 50 = 0 THEN 'admin' ELSE 'user' END FROM "
                                 "generate_series(1, 9999) AS i")) ||
            !exec(owner->db(),
                  QStringLiteral("INSERT INTO grants (subject_kind, subject, action, scope, effect, "
                                 "granted_by) SELECT 'person', 'p' || lpad((i % 9999 + 1)::text, 5, "
                                 "'0'), (ARRAY['runner.provision', 'runner.delete', 'container.*', "
                                 "'deploy.*', 'tunnel.route'])[i % 5 + 1], 'connection:gh-' || i, "
                                 "CASE WHEN i % 9 = 0 THEN 'deny' ELSE 'allow' END, 'alice' FROM "
                                 "generate_series(1, 49995) AS i")))
            return 1;
    }
    auto other = pg.as(QStringLiteral("alice"), database, QStringLiteral("bench-other-desktop"));
    if (!other || !exec(other->db(), QStringLiteral("SELECT opsdeck_person_add('mover', '', 'user', '')")))
        return 1;

    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    service->setHealthInterval(60000);
    QSignalSpy synced(service, &WorkspaceService::synced);
    const WorkspaceUrl url = pg.url(QStringLiteral("alice"), database);
    QElapsedTimer clock;
    clock.start();
    QMetaObject::invokeMethod(service,
                              [service, url] { service->joinTeam(url, {}, QStringLiteral("bench"), true); });
    if (!QTest::qWaitFor([&] { return !synced.isEmpty(); }, 60000))
        return 1;
    const double firstCopyMs = clock.nsecsElapsed() / 1e6;
    printf("workspace: first copy of %d people and %d grants in %.0f ms\n", synced.first().at(0).toInt(),
           synced.first().at(1).toInt(), firstCopyMs);

    // A role changed on the other desktop, until it shows in this one's copy; five times.
    QList<double> shown;
    for (int round = 0; round < 5; ++round) {
        const QString role = round % 2 ? QStringLiteral("user") : QStringLiteral("admin");
        clock.restart();
        if (!exec(other->db(), QStringLiteral("SELECT opsdeck_person_set_role('mover', '%1')").arg(role)))
            return 1;
        if (!QTest::qWaitFor([&] { return cachedRole(QStringLiteral("mover")) == role; }, 30000))
            return 1;
        shown << clock.nsecsElapsed() / 1e6;
    }
    std::sort(shown.begin(), shown.end());
    printf(
        "workspace: a role change on one desktop shows on the other in %.0f ms (median of 5; %.0f to %.0f)\n",
        shown.at(2), shown.first(), shown.last());
    benchFigure(QStringLiteral("workspace"),
                QStringLiteral("change shown on a second desktop (10k people, 50k grants)"), shown.at(2),
                QStringLiteral("ms"));
    host.stopAll();

    // The Users pane over that copy: built, then both of its models loaded.
    clock.restart();
    UsersPane pane(nullptr, nullptr);
    QSignalSpy peopleLoaded(pane.model(), &CacheTableModel::loaded);
    if (!QTest::qWaitFor([&] { return pane.model()->rowCount() == 10001 && !pane.detailText().isEmpty(); },
                         60000))
        return 1;
    const double paneMs = clock.nsecsElapsed() / 1e6;
    printf("workspace: the Users pane shows %d people with the detail in %.0f ms\n", pane.model()->rowCount(),
           paneMs);
    benchFigure(QStringLiteral("workspace"), QStringLiteral("Users pane load (10k people, 50k grants)"),
                paneMs, QStringLiteral("ms"));
    clock.restart();
    pane.filterEdit()->setText(QStringLiteral("p0999"));
    const double filterMs = clock.nsecsElapsed() / 1e6;
    printf("workspace: filtering 10,000 people by text in %.1f ms (%d shown)\n", filterMs,
           pane.proxy()->rowCount());
    pg.stop();
    Database::close();
    return 0;
}
