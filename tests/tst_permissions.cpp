// Grant resolution (models/workspace/permissions.h): the defaults of the dashboards Opsdeck
// replaces, deny over allow, person over role, scope facets with wildcards and owner:self.
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "models/workspace/permissions.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

Q_DECLARE_METATYPE(opsdeck::WorkspaceGrant)

namespace {
WorkspaceGrant grant(const QString &kind, const QString &subject, const QString &action, const QString &scope,
                     bool allow, qint64 id)
{
    WorkspaceGrant g;
    g.id = id;
    g.subjectKind = kind;
    g.subject = subject;
    g.action = action;
    g.scope = scope;
    g.allow = allow;
    g.grantedBy = QStringLiteral("alice");
    return g;
}
} // namespace

class TestPermissions : public QObject
{
    Q_OBJECT
private slots:
    void decisions_data();
    void decisions();
    void actions_data();
    void actions();
    void scopes_data();
    void scopes();
    void everyApplyingGrantIsListed();
    void actingFromTheCopy_data();
    void actingFromTheCopy();
};

void TestPermissions::decisions_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<bool>("active");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<bool>("extra"); // with the extra grants below, or the defaults alone
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<qint64>("deciding"); // the deciding grant's id (0: a default, -1: none)
    QTest::addColumn<QString>("reason");  // a word the reason must contain

    // The defaults.
    QTest::newRow("user: jit runner")
        << "user" << true << "runner.provision"
        << "connection:gh mode:jit labels:linux" << false << true << qint64(0) << "allowed";
    QTest::newRow("user: registration token")
        << "user" << true << "runner.provision"
        << "connection:gh mode:registration" << false << false << qint64(-1) << "no grant";
    QTest::newRow("user: remove own runner")
        << "user" << true << "runner.delete"
        << "connection:gh owner:bob" << false << true << qint64(0) << "owner:self";
    QTest::newRow("user: remove another's runner")
        << "user" << true << "runner.delete"
        << "connection:gh owner:carol" << false << false << qint64(-1) << "no grant";
    QTest::newRow("user: stop a container")
        << "user" << true << "container.stop"
        << "connection:docker" << false << false << qint64(-1) << "no grant";
    QTest::newRow("admin: stop a container")
        << "admin" << true << "container.stop"
        << "connection:docker" << false << true << qint64(0) << "role admin";
    QTest::newRow("admin: manage a user") << "admin" << true << "user.manage"
                                          << "role:user" << false << true << qint64(0) << "allowed";
    QTest::newRow("admin: manage a superuser") << "admin" << true << "user.manage"
                                               << "role:superuser" << false << false << qint64(0) << "deny";
    QTest::newRow("superuser: manage a superuser")
        << "superuser" << true << "user.manage"
        << "role:superuser" << false << true << qint64(0) << "superuser";
    QTest::newRow("inactive superuser") << "superuser" << false << "container.stop"
                                        << "" << false << false << qint64(-1) << "deactivated";
    // With the extra grants: a deny for bob on production, a person allow, a role deny.
    QTest::newRow("person allow beyond the role")
        << "user" << true << "container.restart"
        << "connection:docker project:shop" << true << true << qint64(11) << "person bob";
    QTest::newRow("person allow, other project")
        << "user" << true << "container.restart"
        << "connection:docker project:wiki" << true << false << qint64(-1) << "no grant";
    QTest::newRow("deny wins over the person allow")
        << "user" << true << "container.restart"
        << "connection:docker-prod project:shop" << true << false << qint64(12) << "deny wins";
    QTest::newRow("role deny wins over the default allow")
        << "user" << true << "runner.provision"
        << "connection:gh-prod mode:jit" << true << false << qint64(13) << "deny";
    QTest::newRow("admin denied on prod by wildcard")
        << "admin" << true << "deploy.start"
        << "connection:docker-prod" << true << false << qint64(14) << "deploy.*";
}

void TestPermissions::decisions()
{
    QFETCH(QString, role);
    QFETCH(bool, active);
    QFETCH(QString, action);
    QFETCH(QString, scope);
    QFETCH(bool, extra);
    QFETCH(bool, allowed);
    QFETCH(qint64, deciding);
    QFETCH(QString, reason);
    QList<WorkspaceGrant> grants = defaultGrants();
    if (extra)
        grants << grant(QStringLiteral("person"), QStringLiteral("bob"), QStringLiteral("container.restart"),
                        QStringLiteral("project:shop"), true, 11)
               << grant(QStringLiteral("person"), QStringLiteral("bob"), QStringLiteral("container.*"),
                        QStringLiteral("connection:*-prod"), false, 12)
               << grant(QStringLiteral("role"), QStringLiteral("user"), QStringLiteral("runner.provision"),
                        QStringLiteral("connection:gh-prod"), false, 13)
               << grant(QStringLiteral("role"), QStringLiteral("admin"), QStringLiteral("deploy.*"),
                        QStringLiteral("connection:docker-prod"), false, 14);
    const PermissionDecision d =
        decidePermission(WorkspacePerson{QStringLiteral("bob"), role, active}, action, scope, grants);
    QCOMPARE(d.allowed, allowed);
    QCOMPARE(d.deciding.has_value() ? d.deciding->id : -1, deciding);
    QVERIFY2(d.reason.contains(reason), qPrintable(d.reason));
    QVERIFY2(d.reason.contains(QLatin1String("bob")), qPrintable(d.reason));
}

void TestPermissions::actions_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("action");
    QTest::addColumn<bool>("matches");
    QTest::newRow("exact") << "runner.delete"
                           << "runner.delete" << true;
    QTest::newRow("other") << "runner.delete"
                           << "runner.provision" << false;
    QTest::newRow("system wildcard") << "container.*"
                                     << "container.stop" << true;
    QTest::newRow("system wildcard, other system") << "container.*"
                                                   << "deploy.start" << false;
    QTest::newRow("not a prefix of a word") << "image.*"
                                            << "images.approve" << false;
    QTest::newRow("everything") << "*"
                                << "user.manage" << true;
}

void TestPermissions::actions()
{
    QFETCH(QString, pattern);
    QFETCH(QString, action);
    QFETCH(bool, matches);
    QCOMPARE(actionMatches(pattern, action), matches);
}

void TestPermissions::scopes_data()
{
    QTest::addColumn<QString>("grantScope");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<bool>("matches");
    QTest::newRow("everything") << "*"
                                << "connection:gh mode:jit" << true;
    QTest::newRow("empty is everything") << ""
                                         << "connection:gh" << true;
    QTest::newRow("one facet of several") << "mode:jit"
                                          << "connection:gh mode:jit labels:linux" << true;
    QTest::newRow("facet missing from what is done") << "project:shop"
                                                     << "connection:docker" << false;
    QTest::newRow("wildcard value") << "connection:acme-*"
                                    << "connection:acme-gh" << true;
    QTest::newRow("wildcard value, no match") << "connection:acme-*"
                                              << "connection:other" << false;
    QTest::newRow("all facets must match") << "connection:gh mode:jit"
                                           << "connection:gh mode:registration" << false;
    QTest::newRow("owner self") << "owner:self"
                                << "owner:bob" << true;
    QTest::newRow("owner self, someone else") << "owner:self"
                                              << "owner:carol" << false;
    QTest::newRow("regex characters are literal") << "labels:linux.x64"
                                                  << "labels:linuxAx64" << false;
}

void TestPermissions::scopes()
{
    QFETCH(QString, grantScope);
    QFETCH(QString, scope);
    QFETCH(bool, matches);
    QCOMPARE(scopeMatches(grantScope, scope, QStringLiteral("bob")), matches);
}

void TestPermissions::everyApplyingGrantIsListed()
{
    // For "why can (or can't) this person do this?": the deciding grant and every other that applies.
    QList<WorkspaceGrant> grants = defaultGrants();
    grants << grant(QStringLiteral("person"), QStringLiteral("bob"), QStringLiteral("container.stop"),
                    QStringLiteral("*"), true, 21)
           << grant(QStringLiteral("role"), QStringLiteral("admin"), QStringLiteral("container.stop"),
                    QStringLiteral("connection:docker"), true, 22);
    const PermissionDecision d =
        decidePermission(WorkspacePerson{QStringLiteral("bob"), QStringLiteral("admin"), true},
                         QStringLiteral("container.stop"), QStringLiteral("connection:docker"), grants);
    QVERIFY(d.allowed);
    QCOMPARE(d.applying.size(), 3); // admin's "*", the admin grant 22, bob's 21
    QCOMPARE(d.deciding->id, 21);   // a person's grant is the more specific
    QVERIFY(d.deciding->describe().contains(QLatin1String("person bob: allow container.stop everywhere")));
}

void TestPermissions::actingFromTheCopy_data()
{
    QTest::addColumn<QString>("login"); // who workspace_state says acts here; empty: no workspace read yet
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QString>("reason");
    const QString gh = connectionFacet(QStringLiteral("acme gh"));
    QTest::newRow("no workspace yet") << QString() << "policy.update" << gh << true << "own workspace";
    QTest::newRow("user, jit") << "bob"
                               << "runner.provision" << gh + QStringLiteral(" mode:jit labels:linux") << true
                               << "allowed by role user";
    QTest::newRow("user, registration")
        << "bob"
        << "runner.provision" << gh + QStringLiteral(" mode:registration") << false << "bob may not";
    QTest::newRow("user, policy") << "bob"
                                  << "policy.update" << gh << false << "no grant";
    QTest::newRow("user, container") << "bob"
                                     << "container.stop" << gh << false << "no grant";
    QTest::newRow("admin, container") << "dana"
                                      << "container.stop" << gh << true << "allowed by role admin";
    QTest::newRow("deactivated admin") << "farid"
                                       << "container.stop" << gh << false << "deactivated";
    QTest::newRow("not a person") << "zed"
                                  << "container.stop" << gh << false << "not a person";
}

void TestPermissions::actingFromTheCopy()
{
    QFETCH(QString, login);
    QFETCH(QString, action);
    QFETCH(QString, scope);
    QFETCH(bool, allowed);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    {
        QSqlQuery q(Database::connection());
        for (const char *sql : {"INSERT INTO workspace_people (login, role, active) VALUES ('bob', 'user', "
                                "1), ('dana', 'admin', 1), "
                                "('farid', 'admin', 0)"})
            QVERIFY(q.exec(QLatin1String(sql)));
        int id = 0;
        for (const WorkspaceGrant &g : defaultGrants()) {
            q.prepare(
                QStringLiteral("INSERT INTO workspace_grants (id, subject_kind, subject, action, scope, "
                               "effect, granted_by) VALUES (?, ?, ?, ?, ?, ?, 'opsdeck')"));
            for (const QVariant &v :
                 {QVariant(++id), QVariant(g.subjectKind), QVariant(g.subject), QVariant(g.action),
                  QVariant(g.scope), QVariant(g.allow ? QStringLiteral("allow") : QStringLiteral("deny"))})
                q.addBindValue(v);
            QVERIFY(q.exec());
        }
        if (!login.isEmpty()) {
            q.prepare(QStringLiteral(
                "INSERT INTO workspace_state (id, address, kind, login) VALUES (1, 'x', 'team', ?)"));
            q.addBindValue(login);
            QVERIFY(q.exec());
        }
    }
    const auto decided = decideActing(Database::connection(), action, scope);
    QVERIFY2(decided, decided ? "" : qPrintable(decided.message()));
    QCOMPARE(decided->decision.allowed, allowed);
    QVERIFY2(decided->decision.reason.contains(reason), qPrintable(decided->decision.reason));
    const auto checked = checkActing(Database::connection(), action, scope);
    QCOMPARE(bool(checked), allowed);
    if (!allowed)
        QCOMPARE(checked.error().code, QStringLiteral("permission.denied"));
    Database::close();
}

QTEST_GUILESS_MAIN(TestPermissions)
#include "tst_permissions.moc"
