// A real PostgreSQL 15 for a test suite (tests/support/postgres.sh, ../shared/TESTBED.md), reached
// over its Unix socket with trust: any login signs in, and its grants, policies and the workspace's
// functions still decide what it may do. Stopped when the object goes, and by StopOnExit when the
// test dies. Header-only: the suites that use it link the services library.
#pragma once

#include "services/workspace/workspacestore.h"
#include "testprocess.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>

namespace opsdeck {

class PostgresTestbed
{
public:
    enum class Start { Ok, Missing, Failed };
    // Starts a cluster under dir/pg; why says what went wrong.
    Start start(const QString &dir, QString *why)
    {
        // The server runs as another user, which must reach the directory.
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                                       QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
        probe.close();
        const QString pg = QDir(dir).filePath(QStringLiteral("pg"));
        m_stop.arm(script(), {QStringLiteral("stop"), pg});
        QProcess start;
        start.start(script(), {QStringLiteral("start"), pg, QString::number(m_port)});
        if (!start.waitForFinished(120000)) {
            *why = QStringLiteral("postgres.sh start did not finish in 2 minutes");
            return Start::Failed;
        }
        if (start.exitCode() == 3)
            return Start::Missing;
        if (start.exitCode() != 0) {
            *why = QString::fromLocal8Bit(start.readAllStandardError());
            return Start::Failed;
        }
        m_socket = QString::fromUtf8(start.readAllStandardOutput()).trimmed();
        return Start::Ok;
    }
    void stop() { m_stop.run(); }
    QString socket() const { return m_socket; }
    int port() const { return m_port; }
    QString script() const { return QStringLiteral(OPSDECK_TESTS_DIR "/support/postgres.sh"); }

    WorkspaceUrl url(const QString &login, const QString &database) const
    {
        WorkspaceUrl url;
        url.host = m_socket;
        url.port = m_port;
        url.database = database;
        url.user = login;
        return url;
    }
    Result<WorkspaceStore> as(const QString &login, const QString &database, const QString &connection) const
    {
        return WorkspaceStore::openTeam(url(login, database), {}, connection);
    }
    // A new database owned by postgres (who runs `opsdeck team init`), and the owner's connection to it.
    Result<WorkspaceStore> freshDatabase(const QString &connection)
    {
        const QString database = QStringLiteral("ws%1").arg(++m_databases);
        {
            auto owner = as(QStringLiteral("postgres"), QStringLiteral("postgres"),
                            connection + QStringLiteral("-create"));
            if (!owner)
                return owner.error();
            QSqlQuery q(owner->db());
            if (!q.exec(QStringLiteral("CREATE DATABASE %1").arg(database)))
                return makeError("test", q.lastError().databaseText());
        }
        return as(QStringLiteral("postgres"), database, connection);
    }

    // A workspace store with `superuser` as its first superuser, acting as them: "local" (SQLite under
    // localDir) or "team" (a fresh database of this cluster, whose name goes to *database).
    Result<WorkspaceStore> storeWithSuperuser(const QString &kind, const QString &name,
                                              const QString &localDir, const QString &superuser,
                                              QString *database = nullptr)
    {
        if (kind == QLatin1String("local")) {
            auto store = WorkspaceStore::openLocal(
                QDir(localDir).filePath(QStringLiteral("%1-%2.sqlite").arg(name).arg(++m_localStores)), name);
            if (store)
                if (auto r = store->initialize(superuser, {}); !r)
                    return r.error();
            return store;
        }
        QString db;
        {
            auto owner = freshDatabase(name + QStringLiteral("-owner"));
            if (!owner)
                return owner.error();
            if (auto r = owner->initialize(superuser, {}); !r)
                return r.error();
            db = owner->db().databaseName();
        }
        if (database)
            *database = db;
        return as(superuser, db, name);
    }

private:
    StopOnExit m_stop;
    int m_localStores = 0;
    QString m_socket;
    int m_port = 0;
    int m_databases = 0;
};

} // namespace opsdeck
