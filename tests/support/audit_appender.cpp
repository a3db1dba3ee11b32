// A child process for the crash test: appends audit events in a loop, each in the same
// transaction as a cache write of its own (as a real action does), until it is killed.
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"

#include <QCoreApplication>
#include <QSqlQuery>

#include <cstdio>

using namespace opsdeck;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2)
        return 2;
    if (auto r = Database::open(QString::fromLocal8Bit(argv[1])); !r) {
        fprintf(stderr, "%s\n", qPrintable(r.message()));
        return 1;
    }
    Connection c;
    c.kind = ConnectionKind::Docker;
    c.name = QStringLiteral("crash-%1").arg(QCoreApplication::applicationPid());
    c.endpoint = QStringLiteral("/run/docker.sock");
    fputs("ready\n", stdout);
    fflush(stdout);
    for (qint64 i = 0;; ++i) {
        CacheTransaction tx;
        if (!tx.begin())
            continue;
        c.syncIntervalSec = 30 + int(i % 1000);
        auto saved = ConnectionStore::save(tx.db(), c);
        if (!saved)
            return 1;
        c = saved.value();
        AuditEvent e;
        e.action = AuditAction::connectionUpdate;
        e.system = QStringLiteral("docker");
        e.connectionId = c.id;
        e.targetKind = QStringLiteral("connection");
        e.targetId = QString::number(c.id);
        e.details = QJsonObject{{QStringLiteral("iteration"), i},
                                {QStringLiteral("padding"), QString(200, QLatin1Char('x'))}};
        if (!AuditLog::append(tx.db(), e))
            return 1;
        if (!tx.commit())
            return 1;
    }
}
