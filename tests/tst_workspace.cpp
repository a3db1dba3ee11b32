// The workspace store on both kinds: SQLite (local) and a real PostgreSQL 15 (team) started by this
// test (tests/support/postgres.sh, ../shared/TESTBED.md). Set-up is idempotent and refuses a newer
// schema; at most two superusers, also when two sessions race; and, straight through SQL as each
// person's own login, what the database refuses: audit rows changed or deleted, one's own role,
// new people and grants from a user, superusers managed by an admin, a deactivated login.
#include "models/store/database.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/store/auditretention.h"
#include "services/workspace/teamaudit.h"
#include "services/workspace/workspaceservice.h"
#include "services/workspace/workspacestore.h"
#include "testprocess.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QtConcurrent/QtConcurrentRun>

using namespace opsdeck;

class TestWorkspace : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void urls_data();
    void urls();
    void initIdempotent_data();
    void initIdempotent();
    void newerSchemaRefused_data();
    void newerSchemaRefused();
    void superuserCap_data();
    void superuserCap();
    void userLoginRefusals();
    void adminLoginRefusals();
    void racingPromotions();
    void deactivatedCannotSignIn();
    void teamCommandLine();
    void liveCopyAcrossDesktops();
    void localStoreIsTheDefault();
    void teamAuditTrail();
    void prunedDesktopJoins();
    void storeStoppedMidSession(); // last: it stops the store

private:
    // A fresh store of the kind named by the data tag's "kind" column: "local" or "team".
    Result<WorkspaceStore> freshStore(const QString &kind, const QString &name);
    Result<WorkspaceStore> as(const QString &login, const QString &database, const QString &name);
    // A fresh team store, set up by its owner with alice as the first superuser; the owner's connection.
    Result<WorkspaceStore> teamWithAlice(const QString &name)
    {
        auto owner = freshStore(QStringLiteral("team"), name);
        if (!owner)
            return owner;
        if (auto r = owner->initialize(QStringLiteral("alice"), QString()); !r)
            return r.error();
        return owner;
    }
    QString script() const { return QStringLiteral(OPSDECK_TESTS_DIR "/support/postgres.sh"); }
    // `opsdeck audit verify --team` as alice: its exit code and what it printed.
    std::pair<int, QString> verifyTeamCommand(const QString &database) const
    {
        QProcess p;
        p.start(QStringLiteral(OPSDECK_APP), {QStringLiteral("audit"), QStringLiteral("verify"),
                                              QStringLiteral("--team"), QStringLiteral("--url"),
                                              QStringLiteral("postgresql://alice@localhost:%1/%2?host=%3")
                                                  .arg(m_port)
                                                  .arg(database, m_socket)});
        p.waitForFinished(60000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError())};
    }
    // Appends an event to a desktop's chain in the team store as that desktop's Opsdeck would (the
    // login is the actor); prev is the hash it follows, and becomes the event's. Empty: it went in.
    static QString appendToTeamChain(QSqlDatabase db, const QString &desktop, const AuditEvent &e,
                                     QString *prev)
    {
        const QByteArray canonical = AuditLog::canonical(e);
        const QString hash = AuditLog::chainHash(*prev, canonical);
        QSqlQuery insert(db);
        insert.prepare(
            QStringLiteral("INSERT INTO team_audit (desktop_id, seq, occurred_at, canonical, hash, "
                           "prev_hash) VALUES (?, ?, now(), ?, ?, ?)"));
        insert.addBindValue(desktop);
        insert.addBindValue(e.id);
        insert.addBindValue(QString::fromUtf8(canonical));
        insert.addBindValue(hash);
        insert.addBindValue(*prev);
        if (!insert.exec())
            return insert.lastError().text();
        *prev = hash;
        return QString();
    }
    static QString exec(QSqlDatabase db, const QString &sql)
    {
        QSqlQuery q(db);
        return q.exec(sql) ? QString() : q.lastError().databaseText();
    }

    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-workspace-XXXXXX")};
    StopOnExit m_postgres;
    QString m_socket;
    int m_port = 0;
    int m_databases = 0;
    bool m_team = false;
};

void TestWorkspace::initTestCase()
{
    QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                            QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                            QFile::ExeOther);
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    m_port = probe.serverPort();
    probe.close();
    const QString pg = m_dir.filePath(QStringLiteral("pg"));
    m_postgres.arm(script(), {QStringLiteral("stop"), pg});
    QProcess start;
    start.start(script(), {QStringLiteral("start"), pg, QString::number(m_port)});
    QVERIFY(start.waitForFinished(120000));
    if (start.exitCode() == 3) {
        OPSDECK_REQUIRE_COMPONENT(false, QStringLiteral("PostgreSQL 15"));
    }
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
    m_socket = QString::fromUtf8(start.readAllStandardOutput()).trimmed();
    m_team = true;
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestWorkspace::cleanupTestCase()
{
    m_postgres.run();
    Database::close();
}

Result<WorkspaceStore> TestWorkspace::freshStore(const QString &kind, const QString &name)
{
    if (kind == QLatin1String("local"))
        return WorkspaceStore::openLocal(
            m_dir.filePath(QStringLiteral("%1-%2.sqlite").arg(name).arg(++m_databases)), name);
    // A new database per test, owned by postgres (who runs `opsdeck team init`).
    const QString database = QStringLiteral("ws%1").arg(++m_databases);
    {
        auto owner =
            as(QStringLiteral("postgres"), QStringLiteral("postgres"), name + QStringLiteral("-create"));
        if (!owner)
            return owner.error();
        if (const QString e = exec(owner->db(), QStringLiteral("CREATE DATABASE %1").arg(database));
            !e.isEmpty())
            return makeError("test", e);
    }
    return as(QStringLiteral("postgres"), database, name);
}

Result<WorkspaceStore> TestWorkspace::as(const QString &login, const QString &database, const QString &name)
{
    WorkspaceUrl url;
    url.host = m_socket; // trust on the socket: any login, its grants and policies still apply
    url.port = m_port;
    url.database = database;
    url.user = login;
    return WorkspaceStore::openTeam(url, {}, name);
}

void TestWorkspace::urls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("display"); // "!": refused
    QTest::newRow("full") << "postgresql://alice@db.example.com:6543/opsdeck?sslmode=verify-full"
                          << "postgresql://alice@db.example.com:6543/opsdeck";
    QTest::newRow("default port") << "postgres://bob@10.0.0.5/team"
                                  << "postgresql://bob@10.0.0.5:5432/team";
    QTest::newRow("socket directory") << "postgresql://carol@/ws?host=/run/postgresql"
                                      << "postgresql://carol@/run/postgresql:5432/ws";
    QTest::newRow("password in it") << "postgresql://alice:secret@db/ws"
                                    << "!";
    QTest::newRow("no database") << "postgresql://alice@db/"
                                 << "!";
    QTest::newRow("no host") << "postgresql:///ws"
                             << "!";
    QTest::newRow("other scheme") << "mysql://alice@db/ws"
                                  << "!";
    QTest::newRow("bad sslmode") << "postgresql://alice@db/ws?sslmode=maybe"
                                 << "!";
    QTest::newRow("unknown parameter") << "postgresql://alice@db/ws?options=-c%20role%3Dpostgres"
                                       << "!";
}

void TestWorkspace::urls()
{
    QFETCH(QString, url);
    QFETCH(QString, display);
    const auto parsed = parseWorkspaceUrl(url);
    if (display == QLatin1String("!")) {
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, QStringLiteral("workspace.url"));
        QVERIFY2(!parsed.message().contains(QLatin1String("secret")), "a password is never repeated");
        return;
    }
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.message()));
    QCOMPARE(parsed->display(), display);
}

void TestWorkspace::initIdempotent_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("local") << "local";
    QTest::newRow("team") << "team";
}

void TestWorkspace::initIdempotent()
{
    QFETCH(QString, kind);
    auto store = freshStore(kind, QStringLiteral("idempotent"));
    QVERIFY2(store, store ? "" : qPrintable(store.message()));
    QCOMPARE(store->schemaVersion().value(), 0);
    for (int run = 0; run < 2; ++run) {
        const auto r = store->initialize(QStringLiteral("alice"), QStringLiteral("alice@example.com"));
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
        QCOMPARE(store->schemaVersion().value(), WorkspaceSchema::latest());
        QSqlQuery q(store->db());
        QVERIFY(q.exec(QStringLiteral("SELECT login, role, email FROM people")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("alice"));
        QCOMPARE(q.value(1).toString(), QStringLiteral("superuser"));
        QVERIFY(!q.next()); // once, not twice
    }
    // Another login as the first superuser of an initialised store is a second superuser, no more.
    {
        const auto r =
            store->initialize(QStringLiteral("bob"), QString()); // once: a message needs no second run
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
    }
    const auto third = store->initialize(QStringLiteral("carol"), QString());
    QVERIFY(!third);
    QVERIFY2(third.message().contains(QLatin1String("at most two superusers")), qPrintable(third.message()));
    QCOMPARE(store->initialize(QStringLiteral("Not A Login"), QString()).error().code,
             QStringLiteral("workspace.login"));
}

void TestWorkspace::newerSchemaRefused_data()
{
    initIdempotent_data();
}

void TestWorkspace::newerSchemaRefused()
{
    QFETCH(QString, kind);
    auto store = freshStore(kind, QStringLiteral("newer"));
    QVERIFY2(store, store ? "" : qPrintable(store.message()));
    {
        const auto r =
            store->initialize(QStringLiteral("alice"), QString()); // once: a message needs no second run
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
    }
    QCOMPARE(exec(store->db(),
                  QStringLiteral("UPDATE workspace_meta SET value = '%1' WHERE key = 'schema_version'")
                      .arg(WorkspaceSchema::latest() + 1)),
             QString());
    const auto r = store->initialize(QStringLiteral("bob"), QString());
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("workspace.newer"));
    QSqlQuery q(store->db());
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM people")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1); // left as it was
}

void TestWorkspace::superuserCap_data()
{
    initIdempotent_data();
}

void TestWorkspace::superuserCap()
{
    // Even the store's owner, writing the table directly, cannot make a third superuser.
    QFETCH(QString, kind);
    auto store = freshStore(kind, QStringLiteral("cap"));
    QVERIFY2(store, store ? "" : qPrintable(store.message()));
    {
        const auto r =
            store->initialize(QStringLiteral("alice"), QString()); // once: a message needs no second run
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
    }
    const QString insert = QStringLiteral(
        "INSERT INTO people (login, role, created_at) VALUES ('%1', '%2', '2026-12-02T00:00:00Z')");
    QCOMPARE(exec(store->db(), insert.arg(QStringLiteral("bob"), QStringLiteral("superuser"))), QString());
    QVERIFY(exec(store->db(), insert.arg(QStringLiteral("carol"), QStringLiteral("superuser")))
                .contains(QLatin1String("at most two superusers")));
    QCOMPARE(exec(store->db(), insert.arg(QStringLiteral("carol"), QStringLiteral("admin"))), QString());
    QVERIFY(exec(store->db(), QStringLiteral("UPDATE people SET role = 'superuser' WHERE login = 'carol'"))
                .contains(QLatin1String("at most two superusers")));
    // Audit rows: appended, never changed or deleted, by anyone.
    QCOMPARE(
        exec(store->db(), QStringLiteral("INSERT INTO team_audit (desktop_id, seq, actor_login, occurred_at, "
                                         "canonical, hash, prev_hash, received_at) VALUES ('d', 1, 'alice', "
                                         "'2026-12-02T00:00:00Z', '{}', 'h', 'p', '2026-12-02T00:00:00Z')")),
        QString());
    QVERIFY(exec(store->db(), QStringLiteral("UPDATE team_audit SET hash = 'x'"))
                .contains(QLatin1String("never")));
    QVERIFY(exec(store->db(), QStringLiteral("DELETE FROM team_audit")).contains(QLatin1String("never")));
}

void TestWorkspace::userLoginRefusals()
{
    auto owner = teamWithAlice(QStringLiteral("user-owner"));
    QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
    const QString database = owner->db().databaseName();
    auto alice = as(QStringLiteral("alice"), database, QStringLiteral("user-alice"));
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QCOMPARE(
        exec(alice->db(), QStringLiteral("SELECT opsdeck_person_add('carol', 'c@example.com', 'user', '')")),
        QString());
    auto carol = as(QStringLiteral("carol"), database, QStringLiteral("user-carol"));
    QVERIFY2(carol, carol ? "" : qPrintable(carol.message()));
    QCOMPARE(carol->actingLogin().value(), QStringLiteral("carol"));
    // Reads are fine; her own audit events can be appended.
    QCOMPARE(exec(carol->db(), QStringLiteral("SELECT * FROM people")), QString());
    QCOMPARE(exec(carol->db(),
                  QStringLiteral("INSERT INTO team_audit (desktop_id, seq, occurred_at, canonical, hash, "
                                 "prev_hash) VALUES ('carol-laptop', 1, now(), '{}', 'h1', '')")),
             QString());
    const QStringList refused{
        QStringLiteral("UPDATE team_audit SET hash = 'forged'"),
        QStringLiteral("DELETE FROM team_audit"),
        QStringLiteral("TRUNCATE team_audit"),
        QStringLiteral(
            "INSERT INTO team_audit (desktop_id, seq, actor_login, occurred_at, canonical, hash, prev_hash) "
            "VALUES ('x', 1, 'alice', now(), '{}', 'h', '')"), // in someone else's name
        QStringLiteral("UPDATE people SET role = 'superuser' WHERE login = 'carol'"),
        QStringLiteral("SELECT opsdeck_person_set_role('carol', 'admin')"),
        QStringLiteral("INSERT INTO people (login, role) VALUES ('mallory', 'superuser')"),
        QStringLiteral("SELECT opsdeck_person_add('mallory', '', 'user', '')"),
        QStringLiteral(
            "INSERT INTO grants (subject_kind, subject, action, effect, granted_by) VALUES ('person', "
            "'carol', '*', 'allow', 'carol')"),
        QStringLiteral("SELECT opsdeck_grant_add('person', 'carol', 'runner.delete', '*', 'allow')"),
        QStringLiteral("DELETE FROM grants"),
        QStringLiteral("DO $$ BEGIN EXECUTE format('SET ROLE %I', opsdeck_group('superuser')); END $$"),
        QStringLiteral("ALTER ROLE carol SUPERUSER"),
    };
    for (const QString &sql : refused) {
        const QString e = exec(carol->db(), sql);
        QVERIFY2(!e.isEmpty(), qPrintable(QStringLiteral("carol may not: ") + sql));
    }
    QSqlQuery q(owner->db());
    QVERIFY(q.exec(QStringLiteral("SELECT role FROM people WHERE login = 'carol'")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("user"));
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM team_audit WHERE hash = 'h1'")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
}

void TestWorkspace::adminLoginRefusals()
{
    auto owner = teamWithAlice(QStringLiteral("admin-owner"));
    QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
    const QString database = owner->db().databaseName();
    auto alice = as(QStringLiteral("alice"), database, QStringLiteral("admin-alice"));
    QVERIFY(alice);
    for (const QString &sql : {QStringLiteral("SELECT opsdeck_person_add('bob', '', 'admin', '')"),
                               QStringLiteral("SELECT opsdeck_person_add('carol', '', 'user', '')"),
                               QStringLiteral("SELECT opsdeck_person_add('dave', '', 'superuser', '')")})
        QCOMPARE(exec(alice->db(), sql), QString());
    auto bob = as(QStringLiteral("bob"), database, QStringLiteral("admin-bob"));
    QVERIFY(bob);
    // An admin manages users and admins …
    QCOMPARE(exec(bob->db(), QStringLiteral("SELECT opsdeck_person_add('erin', '', 'user', '')")), QString());
    QCOMPARE(exec(bob->db(), QStringLiteral("SELECT opsdeck_person_set_role('erin', 'admin')")), QString());
    QCOMPARE(exec(bob->db(),
                  QStringLiteral("SELECT opsdeck_grant_add('role', 'user', 'runner.delete', '*', 'deny')")),
             QString());
    // … but no superuser, no third superuser, not their own role, not user.manage.
    for (const QString &sql :
         {QStringLiteral("SELECT opsdeck_person_set_role('carol', 'superuser')"),
          QStringLiteral("SELECT opsdeck_person_add('frank', '', 'superuser', '')"),
          QStringLiteral("SELECT opsdeck_person_set_active('dave', false)"),
          QStringLiteral("SELECT opsdeck_person_set_role('bob', 'user')"),
          QStringLiteral("SELECT opsdeck_grant_add('role', 'admin', 'user.manage', '*', 'allow')")}) {
        const QString e = exec(bob->db(), sql);
        QVERIFY2(!e.isEmpty(), qPrintable(QStringLiteral("bob may not: ") + sql));
    }
    // A superuser cannot make a third superuser either.
    QVERIFY(exec(alice->db(), QStringLiteral("SELECT opsdeck_person_set_role('carol', 'superuser')"))
                .contains(QLatin1String("at most two superusers")));
}

void TestWorkspace::racingPromotions()
{
    // One superuser; two sessions promote two different admins at the same moment: one wins.
    auto owner = teamWithAlice(QStringLiteral("race-owner"));
    QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
    const QString database = owner->db().databaseName();
    {
        auto alice = as(QStringLiteral("alice"), database, QStringLiteral("race-alice"));
        QVERIFY(alice);
        QCOMPARE(exec(alice->db(), QStringLiteral("SELECT opsdeck_person_add('bob', '', 'admin', '')")),
                 QString());
        QCOMPARE(exec(alice->db(), QStringLiteral("SELECT opsdeck_person_add('carol', '', 'admin', '')")),
                 QString());
    }
    auto first = as(QStringLiteral("alice"), database, QStringLiteral("race-1"));
    QVERIFY(first);
    QVERIFY(first->db().transaction());
    QCOMPARE(exec(first->db(), QStringLiteral("SELECT opsdeck_person_set_role('bob', 'superuser')")),
             QString());
    // The second session, on its own thread and connection, waits for the first to commit.
    auto second = QtConcurrent::run([this, database] {
        auto other = as(QStringLiteral("alice"), database, QStringLiteral("race-2"));
        return other
                   ? exec(other->db(), QStringLiteral("SELECT opsdeck_person_set_role('carol', 'superuser')"))
                   : other.message();
    });
    QTest::qWait(300);
    QVERIFY(!second.isFinished()); // blocked on the first one's lock
    QVERIFY(first->db().commit());
    second.waitForFinished();
    QVERIFY2(second.result().contains(QLatin1String("at most two superusers")), qPrintable(second.result()));
    QSqlQuery q(owner->db());
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM people WHERE role = 'superuser'")) && q.next());
    QCOMPARE(q.value(0).toInt(), 2);
}

void TestWorkspace::deactivatedCannotSignIn()
{
    auto owner = teamWithAlice(QStringLiteral("inactive-owner"));
    QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
    const QString database = owner->db().databaseName();
    {
        auto alice = as(QStringLiteral("alice"), database, QStringLiteral("inactive-alice"));
        QVERIFY(alice);
        QCOMPARE(exec(alice->db(), QStringLiteral("SELECT opsdeck_person_add('gina', '', 'user', '')")),
                 QString());
        QVERIFY(as(QStringLiteral("gina"), database, QStringLiteral("inactive-gina-1")));
        QCOMPARE(exec(alice->db(), QStringLiteral("SELECT opsdeck_person_set_active('gina', false)")),
                 QString());
    }
    const auto refused = as(QStringLiteral("gina"), database, QStringLiteral("inactive-gina-2"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, QStringLiteral("workspace.inactive"));
}

void TestWorkspace::teamCommandLine()
{
    // `opsdeck team …` as the database owner, then as the people it made, each under their own permissions.
    QString database;
    {
        auto owner = freshStore(QStringLiteral("team"), QStringLiteral("cli-owner"));
        QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
        database = owner->db().databaseName();
    }
    const auto url = [&](const QString &login) {
        return QStringLiteral("postgresql://%1@localhost:%2/%3?host=%4")
            .arg(login)
            .arg(m_port)
            .arg(database, m_socket);
    };
    const auto team = [](const QStringList &arguments, const QByteArray &input = {}) {
        QProcess p;
        p.setProgram(QStringLiteral(OPSDECK_APP));
        p.setArguments(QStringList{QStringLiteral("team")} + arguments);
        p.start();
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(60000);
        return std::pair{p.exitCode(),
                         QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError())};
    };
    auto [code, text] =
        team({QStringLiteral("init"), QStringLiteral("--url"), url(QStringLiteral("postgres")),
              QStringLiteral("--superuser"), QStringLiteral("alice"), QStringLiteral("--email"),
              QStringLiteral("alice@example.com")});
    QVERIFY2(code == 0, qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("alice is a superuser")), qPrintable(text));
    std::tie(code, text) =
        team({QStringLiteral("init"), QStringLiteral("--url"), url(QStringLiteral("postgres")),
              QStringLiteral("--superuser"), QStringLiteral("alice")});
    QVERIFY2(code == 0, qPrintable(text)); // again: nothing changes
    std::tie(code, text) =
        team({QStringLiteral("status"), QStringLiteral("--url"), url(QStringLiteral("alice"))});
    QVERIFY2(code == 0 && text.contains(QLatin1String("Signed in as: alice (superuser)")) &&
                 text.contains(QLatin1String("1 superuser (1 active)")),
             qPrintable(text));
    // People commands record each change in the data directory's audit log.
    const QString cliData = m_dir.filePath(QStringLiteral("cli-data"));
    QVERIFY(QDir().mkpath(cliData));
    const QStringList data{QStringLiteral("--data-dir"), cliData};
    std::tie(code, text) =
        team(QStringList{QStringLiteral("person"), QStringLiteral("add"), QStringLiteral("carol"),
                         QStringLiteral("--role"), QStringLiteral("user"), QStringLiteral("--name"),
                         QStringLiteral("Carol Diaz"), QStringLiteral("--password-stdin"),
                         QStringLiteral("--url"), url(QStringLiteral("alice"))} +
                 data,
             "carol-secret\n");
    QVERIFY2(code == 0 && text.contains(QLatin1String("Add carol as user: done")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("carol-secret")), qPrintable(text));
    // carol, a user, may not add anyone: the store refuses, the command says so and exits 1.
    std::tie(code, text) =
        team(QStringList{QStringLiteral("person"), QStringLiteral("add"), QStringLiteral("mallory"),
                         QStringLiteral("--role"), QStringLiteral("admin"), QStringLiteral("--url"),
                         url(QStringLiteral("carol"))} +
             data);
    QCOMPARE(code, 1);
    QVERIFY2(text.contains(QLatin1String("may not manage people")), qPrintable(text));
    // Edit keeps what no option changes; deactivate needs a comment.
    std::tie(code, text) =
        team(QStringList{QStringLiteral("person"), QStringLiteral("edit"), QStringLiteral("carol"),
                         QStringLiteral("--email"), QStringLiteral("carol@example.com"),
                         QStringLiteral("--harbor"), QStringLiteral("cdiaz"), QStringLiteral("--url"),
                         url(QStringLiteral("alice"))} +
             data);
    QVERIFY2(code == 0, qPrintable(text));
    std::tie(code, text) =
        team(QStringList{QStringLiteral("person"), QStringLiteral("deactivate"), QStringLiteral("carol"),
                         QStringLiteral("--url"), url(QStringLiteral("alice"))} +
             data);
    QVERIFY2(code == 2 && text.contains(QLatin1String("--comment")), qPrintable(text));
    {
        auto peek = as(QStringLiteral("postgres"), database, QStringLiteral("cli-peek-db"));
        QVERIFY(peek);
        QSqlQuery q(peek->db());
        QVERIFY(q.exec(QStringLiteral("SELECT display_name || '/' || email || '/' || active::text || '/' || "
                                      "(identities->>'harbor') FROM people WHERE login = 'carol'")) &&
                q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("Carol Diaz/carol@example.com/true/cdiaz"));
    }
    {
        QSqlDatabase log = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("cli-log"));
        log.setDatabaseName(cliData + QStringLiteral("/cache.sqlite"));
        QVERIFY(log.open());
        QSqlQuery q(log);
        QVERIFY(q.exec(QStringLiteral(
                    "SELECT group_concat(action || ':' || target_name || ':' || outcome, ' ') FROM "
                    "(SELECT * FROM audit_events ORDER BY id)")) &&
                q.next());
        QCOMPARE(q.value(0).toString(),
                 QStringLiteral(
                     "user.create:carol:success user.create:mallory:failure user.update:carol:success"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("cli-log"));
    // Why can (or can't) this person do this: exit 0 / 1 with the deciding grant, from the store's grants.
    std::tie(code, text) =
        team({QStringLiteral("can"), QStringLiteral("carol"), QStringLiteral("runner.provision"),
              QStringLiteral("--scope"), QStringLiteral("connection:gh mode:jit"), QStringLiteral("--url"),
              url(QStringLiteral("carol"))});
    QVERIFY2(code == 0 &&
                 text.contains(QLatin1String("* role user: allow runner.provision on mode:jit (default)")),
             qPrintable(text));
    std::tie(code, text) =
        team({QStringLiteral("can"), QStringLiteral("carol"), QStringLiteral("runner.delete"),
              QStringLiteral("--scope"), QStringLiteral("owner:alice"), QStringLiteral("--url"),
              url(QStringLiteral("carol"))});
    QVERIFY2(code == 1 && text.contains(QLatin1String("carol may not runner.delete on owner:alice")),
             qPrintable(text));
    std::tie(code, text) =
        team({QStringLiteral("can"), QStringLiteral("nobody"), QStringLiteral("runner.delete"),
              QStringLiteral("--url"), url(QStringLiteral("alice"))});
    QVERIFY2(code == 1 && text.contains(QLatin1String("not a person")), qPrintable(text));
    // Usage errors exit 2 and say what to do.
    std::tie(code, text) = team({QStringLiteral("status")});
    QCOMPARE(code, 2);
    QVERIFY2(text.contains(QLatin1String("--url")), qPrintable(text));
    std::tie(code, text) = team({QStringLiteral("status"), QStringLiteral("--url"),
                                 QStringLiteral("postgresql://alice:hunter2@localhost/%1").arg(database)});
    QCOMPARE(code, 2);
    QVERIFY2(!text.contains(QLatin1String("hunter2")), qPrintable(text));
    std::tie(code, text) =
        team({QStringLiteral("promote"), QStringLiteral("--url"), url(QStringLiteral("alice"))});
    QCOMPARE(code, 2);
    // Without --url: the workspace the data directory joined (File › Team Workspace…).
    const QString joined = m_dir.filePath(QStringLiteral("cli-joined"));
    QVERIFY(QDir().mkpath(joined));
    {
        QSettings settings(joined + QStringLiteral("/settings.ini"), QSettings::IniFormat);
        settings.setValue(QStringLiteral("workspace/url"), url(QStringLiteral("alice")));
    }
    std::tie(code, text) = team({QStringLiteral("status"), QStringLiteral("--data-dir"), joined});
    QVERIFY2(code == 0 && text.contains(QLatin1String("Signed in as: alice (superuser)")), qPrintable(text));
    std::tie(code, text) = team({QStringLiteral("can"), QStringLiteral("bob"), QStringLiteral("user.manage"),
                                 QStringLiteral("--data-dir"), joined});
    QVERIFY2(code == 1, qPrintable(text));
    const QString lonely = m_dir.filePath(QStringLiteral("cli-not-joined"));
    QVERIFY(QDir().mkpath(lonely));
    std::tie(code, text) = team({QStringLiteral("status"), QStringLiteral("--data-dir"), lonely});
    QVERIFY2(code == 2 && text.contains(QLatin1String("has not joined a team workspace")), qPrintable(text));
}

namespace {
int cachedPeople(const QString &where = QStringLiteral("1 = 1"))
{
    QSqlQuery q(Database::connection());
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM workspace_people WHERE %1").arg(where)) && q.next()
               ? q.value(0).toInt()
               : -1;
}
} // namespace

void TestWorkspace::liveCopyAcrossDesktops()
{
    // This desktop's service copies the store into the cache; another desktop (another session)
    // changes a role: the copy here follows through LISTEN/NOTIFY, without polling.
    auto owner = teamWithAlice(QStringLiteral("live-owner"));
    QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
    const QString database = owner->db().databaseName();
    auto other = as(QStringLiteral("alice"), database, QStringLiteral("live-other-desktop"));
    QVERIFY(other);
    QCOMPARE(exec(other->db(), QStringLiteral("SELECT opsdeck_person_add('hank', '', 'user', '')")),
             QString());

    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    service->setHealthInterval(60000); // no polling: only the announcement can bring the change
    QSignalSpy synced(service, &WorkspaceService::synced);
    WorkspaceUrl url;
    url.host = m_socket;
    url.port = m_port;
    url.database = database;
    url.user = QStringLiteral("alice");
    QMetaObject::invokeMethod(service,
                              [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-a")); });
    QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 1, 10000);
    QCOMPARE(cachedPeople(), 2);
    QCOMPARE(cachedPeople(QStringLiteral("login = 'hank' AND role = 'user'")), 1);

    QElapsedTimer clock;
    clock.start();
    QCOMPARE(exec(other->db(), QStringLiteral("SELECT opsdeck_person_set_role('hank', 'admin')")), QString());
    QTRY_VERIFY_WITH_TIMEOUT(cachedPeople(QStringLiteral("login = 'hank' AND role = 'admin'")) == 1, 10000);
    qInfo("a role changed on one desktop showed on the other after %lld ms", clock.elapsed());
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT online, address FROM workspace_state")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QVERIFY(q.value(1).toString().contains(database));
    host.stopAll();
}

void TestWorkspace::localStoreIsTheDefault()
{
    // Not joined to a team: the local store in the data directory, with this desktop's admin as its
    // one superuser, copied into the cache like a team's; leaving a team comes back to it.
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy state(service, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("local-default.sqlite"));
    QMetaObject::invokeMethod(service, [service, path] { service->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(1).toString()));
    QCOMPARE(cachedPeople(), 1);
    QCOMPARE(cachedPeople(QStringLiteral("login = 'ada' AND role = 'superuser' AND active = 1")), 1);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT kind, address, online FROM workspace_state")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("local"));
    QVERIFY(q.value(1).toString().contains(path));
    QCOMPARE(q.value(2).toInt(), 1);
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM workspace_grants")) && q.next());
    QCOMPARE(q.value(0).toInt(), int(defaultGrants().size())); // the defaults
    // Opened again (the next start), it is the same store: still one person.
    QMetaObject::invokeMethod(service, [service, path] { service->openLocal(path, QStringLiteral("ada")); });
    QTRY_COMPARE_WITH_TIMEOUT(state.count(), 2, 10000);
    QCOMPARE(cachedPeople(), 1);
    // A store that cannot be opened says so, and leaves the cache's copy alone.
    QMetaObject::invokeMethod(service, [service, this] {
        service->openLocal(m_dir.filePath(QStringLiteral("no/such/dir/ws.sqlite")), QStringLiteral("ada"));
    });
    QTRY_COMPARE_WITH_TIMEOUT(state.count(), 3, 10000);
    QVERIFY(!state.last().at(0).toBool());
    QVERIFY2(state.last().at(1).toString().contains(QLatin1String("no/such/dir")),
             qPrintable(state.last().at(1).toString()));
    QCOMPARE(cachedPeople(), 1);
    host.stopAll();
}

void TestWorkspace::teamAuditTrail()
{
    // Another desktop's chain in the store, as its Opsdeck appends it: joining pulls it into this
    // cache once, with the person as the actor; verify walks every chain and names the first
    // event the database owner changed behind the triggers.
    auto owner = teamWithAlice(QStringLiteral("trail-owner"));
    QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
    const QString database = owner->db().databaseName();
    auto alice = as(QStringLiteral("alice"), database, QStringLiteral("trail-alice"));
    QVERIFY(alice);
    QString prev = AuditLog::genesisHash();
    for (int i = 1; i <= 3; ++i) {
        AuditEvent e;
        e.id = i * 10;
        e.timestamp = QDateTime(QDate(2026, 12, 1), QTime(10, 0, i), Qt::UTC);
        e.osUser = QStringLiteral("alice-os");
        e.system = QStringLiteral("github");
        e.action = QStringLiteral("runner.delete");
        e.targetKind = QStringLiteral("runner");
        e.targetId = QString::number(i);
        e.details = QJsonObject{{QStringLiteral("labels"), QStringLiteral("linux")}};
        const QString error = appendToTeamChain(alice->db(), QStringLiteral("desk-b"), e, &prev);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    // Nobody appends in another person's name.
    QCOMPARE(
        exec(alice->db(), QStringLiteral("INSERT INTO team_audit (desktop_id, seq, actor_login, occurred_at, "
                                         "canonical, hash, prev_hash) VALUES ('desk-b', 99, 'bob', now(), "
                                         "'[]', 'x', 'y')"))
            .contains(QLatin1String("row-level security")),
        true);

    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    service->setHealthInterval(60000);
    QSignalSpy outbox(service, &WorkspaceService::outboxChanged);
    WorkspaceUrl url;
    url.host = m_socket;
    url.port = m_port;
    url.database = database;
    url.user = QStringLiteral("alice");
    QMetaObject::invokeMethod(service,
                              [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-a")); });
    const auto pulled = [](const QString &where = QStringLiteral("1 = 1")) {
        QSqlQuery q(Database::connection());
        return q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source = 'team:desk-b' AND %1")
                          .arg(where)) &&
                       q.next()
                   ? q.value(0).toInt()
                   : -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(pulled(), 3, 10000);
    QCOMPARE(pulled(QStringLiteral("os_user = 'alice' AND action = 'runner.delete' AND "
                                   "json_extract(details, '$.team.os_user') = 'alice-os' AND "
                                   "json_extract(details, '$.team.desktop') = 'desk-b'")),
             3);
    QTRY_VERIFY_WITH_TIMEOUT(!outbox.isEmpty(), 10000);
    QCOMPARE(outbox.last().at(0).toLongLong(), 0); // this desktop's own events all went
    QMetaObject::invokeMethod(service, &WorkspaceService::sync);
    QTest::qWait(300);
    QCOMPARE(pulled(), 3); // once

    auto reports = TeamAudit::verify(alice.value());
    QVERIFY2(reports, reports ? "" : qPrintable(reports.message()));
    for (const auto &r : reports.value())
        QVERIFY2(r.ok, qPrintable(r.desktopId + QStringLiteral(": ") + r.problem));
    const auto verifyTeam = [&] {
        return verifyTeamCommand(database);
    };
    auto [code, text] = verifyTeam();
    QVERIFY2(code == 0 && text.contains(QLatin1String("OK      desk-b (alice): 3 events")), qPrintable(text));
    QCOMPARE(exec(owner->db(), QStringLiteral("ALTER TABLE team_audit DISABLE TRIGGER team_audit_no_update; "
                                              "UPDATE team_audit SET canonical = replace(canonical, "
                                              "'runner.delete', 'runner.create') WHERE desktop_id = 'desk-b' "
                                              "AND seq = 20; ALTER TABLE team_audit ENABLE TRIGGER "
                                              "team_audit_no_update")),
             QString());
    reports = TeamAudit::verify(alice.value());
    QVERIFY(reports);
    bool found = false;
    for (const auto &r : reports.value()) {
        if (r.desktopId != QLatin1String("desk-b"))
            continue;
        found = true;
        QVERIFY(!r.ok);
        QCOMPARE(r.firstBadSeq, 20);
        QCOMPARE(r.events, 3);
        QCOMPARE(r.people, QStringList{QStringLiteral("alice")});
        QVERIFY2(r.problem.contains(QLatin1String("changed")), qPrintable(r.problem));
    }
    QVERIFY(found);
    std::tie(code, text) = verifyTeam();
    QVERIFY2(code == 1 && text.contains(QLatin1String("FAILED  desk-b (alice): first bad event 20")) &&
                 text.contains(QLatin1String("1 chains broken")),
             qPrintable(text));
    host.stopAll();
}

void TestWorkspace::prunedDesktopJoins()
{
    // A desktop whose audit retention removed old events before it joined sends its chain from the
    // anchor on. Verify accepts that chain because its own audit.prune event names the anchor; a
    // chain that starts late with no such record (here: a prune event naming another anchor) lost
    // its first events.
    auto owner = teamWithAlice(QStringLiteral("pruned-owner"));
    QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
    const QString database = owner->db().databaseName();
    auto alice = as(QStringLiteral("alice"), database, QStringLiteral("pruned-alice"));
    QVERIFY(alice);

    Database::close();
    QTemporaryDir own;
    QVERIFY(Database::open(own.filePath(QStringLiteral("cache.sqlite"))).ok());
    const QDateTime start(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC);
    AuditEvent e;
    e.system = QStringLiteral("github");
    e.action = AuditAction::runnerDelete;
    e.targetKind = QStringLiteral("runner");
    for (int i = 1; i <= 12; ++i) {
        e.timestamp = start.addSecs(i * 60);
        e.targetName = QStringLiteral("runner-%1").arg(i);
        QVERIFY(AuditLog::record(e).ok());
    }
    // Keeping a day, a day after event 10: events 1 to 10 go, the prune's event is 13.
    const auto pruned =
        AuditRetention::apply(1, start.addSecs(10 * 60 + 30).addDays(1), false, QStringLiteral("manual"));
    QVERIFY2(pruned, pruned ? "" : qPrintable(pruned.message()));
    QCOMPARE(pruned->throughId, 10);
    const auto pushed = TeamAudit::push(alice.value(), QStringLiteral("desk-p"));
    QVERIFY2(pushed, pushed ? "" : qPrintable(pushed.message()));
    QCOMPARE(pushed.value(), 13);
    Database::close();
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());

    QString prev = QString(64, QLatin1Char('a')); // an anchor nothing records
    for (int seq = 5; seq <= 6; ++seq) {
        AuditEvent forged = e;
        forged.id = seq;
        forged.timestamp = start.addSecs(seq * 60);
        if (seq == 6) {
            forged.action = AuditAction::auditPrune;
            forged.details = QJsonObject{{QStringLiteral("through_event"), 4},
                                         {QStringLiteral("through_hash"), QString(64, QLatin1Char('b'))}};
        }
        const QString error = appendToTeamChain(alice->db(), QStringLiteral("desk-q"), forged, &prev);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    const auto reports = TeamAudit::verify(alice.value());
    QVERIFY2(reports, reports ? "" : qPrintable(reports.message()));
    QCOMPARE(reports->size(), 2);
    const TeamAudit::ChainReport &p = reports->at(0);
    QCOMPARE(p.desktopId, QStringLiteral("desk-p"));
    QVERIFY2(p.ok, qPrintable(p.problem));
    QCOMPARE(p.events, 3);
    QCOMPARE(p.prunedThroughSeq, 10);
    const TeamAudit::ChainReport &q = reports->at(1);
    QCOMPARE(q.desktopId, QStringLiteral("desk-q"));
    QVERIFY(!q.ok);
    QCOMPARE(q.firstBadSeq, 5);
    QVERIFY2(q.problem.contains(QLatin1String("no audit.prune event")), qPrintable(q.problem));

    const auto [code, text] = verifyTeamCommand(database);
    QVERIFY2(
        code == 1 &&
            text.contains(QLatin1String("OK      desk-p (alice): 3 events (events up to 10 were removed")) &&
            text.contains(QLatin1String("FAILED  desk-q (alice): first bad event 5")),
        qPrintable(text));
}

void TestWorkspace::storeStoppedMidSession()
{
    // The store crashes (pg_ctl stop -m immediate): the service says it is offline, the copy stays;
    // the store comes back: the service signs in again by itself and reads it anew.
    auto owner = teamWithAlice(QStringLiteral("crash-owner"));
    QVERIFY2(owner, owner ? "" : qPrintable(owner.message()));
    const QString database = owner->db().databaseName();
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    service->setHealthInterval(200);
    QSignalSpy state(service, &WorkspaceService::stateChanged);
    WorkspaceUrl url;
    url.host = m_socket;
    url.port = m_port;
    url.database = database;
    url.user = QStringLiteral("alice");
    service->setAuditBatch(2); // the outbox goes in several transactions
    QMetaObject::invokeMethod(service,
                              [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-crash")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty() && state.last().at(0).toBool(), 10000);
    const int copied = cachedPeople();
    const auto recordLocal = [](int n) {
        for (int i = 0; i < n; ++i) {
            AuditEvent e;
            e.system = QStringLiteral("docker");
            e.action = QStringLiteral("container.stop");
            e.targetKind = QStringLiteral("container");
            e.targetId = QStringLiteral("c%1").arg(i);
            QVERIFY(AuditLog::record(e));
        }
    };
    const auto localEvents = [] {
        QSqlQuery q(Database::connection());
        return q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source = 'local'")) && q.next()
                   ? q.value(0).toLongLong()
                   : -1;
    };
    std::unique_ptr<WorkspaceStore> reader;
    const auto openReader = [&](const QString &name) {
        auto r = as(QStringLiteral("alice"), database, name);
        if (r)
            reader = std::make_unique<WorkspaceStore>(std::move(r.value()));
        return bool(r);
    };
    QVERIFY(openReader(QStringLiteral("crash-reader")));
    const auto inStore = [&reader] {
        QSqlQuery q(reader->db());
        return q.exec(
                   QStringLiteral("SELECT COUNT(*), COUNT(DISTINCT seq) FROM team_audit WHERE desktop_id = "
                                  "'desk-crash'")) &&
                       q.next() && q.value(0) == q.value(1)
                   ? q.value(0).toLongLong()
                   : -1;
    };
    recordLocal(3);
    QTRY_COMPARE_WITH_TIMEOUT(inStore(), localEvents(), 10000);
    QVERIFY(copied >= 1);

    const QString pg = m_dir.filePath(QStringLiteral("pg"));
    QCOMPARE(QProcess::execute(script(), {QStringLiteral("kill"), pg}), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!state.last().at(0).toBool(), 10000);
    QVERIFY2(state.last().at(1).toString().contains(QLatin1String("offline")),
             qPrintable(state.last().at(1).toString()));
    QCOMPARE(cachedPeople(), copied); // the copy stays for offline reading
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT online, problem, synced_at FROM workspace_state")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    QVERIFY(!q.value(1).toString().isEmpty());
    QVERIFY(!q.value(2).toString().isEmpty()); // its age can be shown
    recordLocal(5);                            // queued in the outbox while the store is down
    reader.reset();

    QProcess start;
    start.start(script(), {QStringLiteral("start"), pg, QString::number(m_port)});
    QVERIFY(start.waitForFinished(120000));
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
    QTRY_VERIFY_WITH_TIMEOUT(state.last().at(0).toBool(), 60000); // backoff is at most 30 s
    QVERIFY(q.exec(QStringLiteral("SELECT online FROM workspace_state")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    // The queued events arrive, each exactly once, in order, and the chain verifies.
    QVERIFY(openReader(QStringLiteral("crash-reader-2")));
    QTRY_COMPARE_WITH_TIMEOUT(inStore(), localEvents(), 10000);
    host.stopAll();
    // The desktop starts again and joins again: nothing is sent twice.
    ServiceHost again;
    auto *second = again.add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy outbox(second, &WorkspaceService::outboxChanged);
    QMetaObject::invokeMethod(second,
                              [second, url] { second->joinTeam(url, {}, QStringLiteral("desk-crash")); });
    QTRY_VERIFY_WITH_TIMEOUT(!outbox.isEmpty(), 10000);
    QCOMPARE(outbox.last().at(0).toLongLong(), 0);
    QCOMPARE(inStore(), localEvents());
    const auto reports = TeamAudit::verify(*reader);
    QVERIFY(reports);
    for (const auto &r : reports.value())
        QVERIFY2(r.ok, qPrintable(r.desktopId + QStringLiteral(": ") + r.problem));
    again.stopAll();
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
