// Grant resolution (models/workspace/permissions.h): the defaults of the dashboards Opsdeck
// replaces, deny over allow, person over role, scope facets with wildcards and owner:self.
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "models/workspace/grantchange.h"
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
    void grantChangesValidated_data();
    void grantChangesValidated();
    void whoMayChangeGrants_data();
    void whoMayChangeGrants();
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

void TestPermissions::grantChangesValidated_data()
{
    QTest::addColumn<QString>("kind"); // add, revoke
    QTest::addColumn<QString>("subjectKind");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("comment");
    QTest::addColumn<QString>("problem"); // empty: valid
    QTest::newRow("role, exact action") << "add"
                                        << "role"
                                        << "user"
                                        << "image.request"
                                        << "*"
                                        << ""
                                        << "";
    QTest::newRow("person, facets") << "add"
                                    << "person"
                                    << "sam"
                                    << "runner.provision"
                                    << "connection:gh-* mode:jit labels:linux*"
                                    << ""
                                    << "";
    QTest::newRow("wildcard action") << "add"
                                     << "role"
                                     << "admin"
                                     << "container.*"
                                     << "project:shop"
                                     << ""
                                     << "";
    QTest::newRow("everything") << "add"
                                << "person"
                                << "sam"
                                << "*"
                                << ""
                                << ""
                                << "";
    QTest::newRow("unknown role") << "add"
                                  << "role"
                                  << "owner"
                                  << "image.request"
                                  << "*"
                                  << ""
                                  << "not a role";
    QTest::newRow("bad login") << "add"
                               << "person"
                               << "Sam Smith"
                               << "image.request"
                               << "*"
                               << ""
                               << "not a workspace login";
    QTest::newRow("subject kind") << "add"
                                  << "group"
                                  << "ops"
                                  << "image.request"
                                  << "*"
                                  << ""
                                  << "a role or to a person";
    QTest::newRow("typo in the system") << "add"
                                        << "role"
                                        << "user"
                                        << "runer.provision"
                                        << "*"
                                        << ""
                                        << "not an action";
    QTest::newRow("no verb") << "add"
                             << "role"
                             << "user"
                             << "runner"
                             << "*"
                             << ""
                             << "not an action";
    QTest::newRow("upper case") << "add"
                                << "role"
                                << "user"
                                << "Runner.Delete"
                                << "*"
                                << ""
                                << "not an action";
    QTest::newRow("facet without value") << "add"
                                         << "role"
                                         << "user"
                                         << "deploy.start"
                                         << "project"
                                         << ""
                                         << "not a facet";
    QTest::newRow("unknown facet") << "add"
                                   << "role"
                                   << "user"
                                   << "deploy.start"
                                   << "region:eu"
                                   << ""
                                   << "not a facet a scope can name";
    QTest::newRow("facet twice") << "add"
                                 << "role"
                                 << "user"
                                 << "deploy.start"
                                 << "project:a project:b"
                                 << ""
                                 << "twice";
    QTest::newRow("bad mode") << "add"
                              << "role"
                              << "user"
                              << "runner.provision"
                              << "mode:token"
                              << ""
                              << "not a provisioning mode";
    QTest::newRow("bad role facet") << "add"
                                    << "role"
                                    << "admin"
                                    << "user.manage"
                                    << "role:root"
                                    << ""
                                    << "not a role";
    QTest::newRow("control character") << "add"
                                       << "role"
                                       << "user"
                                       << "deploy.start" << QStringLiteral("project:a\x01b") << ""
                                       << "not a facet";
    QTest::newRow("long scope") << "add"
                                << "role"
                                << "user"
                                << "deploy.start"
                                << QStringLiteral("project:") + QString(600, QLatin1Char('a')) << ""
                                << "longer than 500";
    QTest::newRow("revoke with a reason") << "revoke"
                                          << ""
                                          << ""
                                          << ""
                                          << ""
                                          << "left the project"
                                          << "";
    QTest::newRow("revoke without") << "revoke"
                                    << ""
                                    << ""
                                    << ""
                                    << ""
                                    << "  "
                                    << "Say why";
}

void TestPermissions::grantChangesValidated()
{
    QFETCH(QString, kind);
    QFETCH(QString, subjectKind);
    QFETCH(QString, subject);
    QFETCH(QString, action);
    QFETCH(QString, scope);
    QFETCH(QString, comment);
    QFETCH(QString, problem);
    GrantChange c;
    c.kind = kind == QLatin1String("add") ? GrantChange::Kind::Add : GrantChange::Kind::Revoke;
    c.grant = grant(subjectKind, subject, action, scope, true, kind == QLatin1String("add") ? 0 : 7);
    c.comment = comment;
    const auto r = validateGrantChange(c);
    if (problem.isEmpty()) {
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
    } else {
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("workspace.invalid"));
        QVERIFY2(r.message().contains(problem), qPrintable(r.message()));
    }
}

void TestPermissions::whoMayChangeGrants_data()
{
    // The same rules as opsdeck_grant_add and opsdeck_grant_revoke in the store, asked of the copy
    // first so that the window can say why before anything is sent.
    QTest::addColumn<QString>("actorRole");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("subjectKind");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("subjectRole");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<bool>("allowEffect");
    QTest::addColumn<QString>("problem"); // empty: allowed
    QTest::newRow("superuser, anything") << "superuser"
                                         << "add"
                                         << "person"
                                         << "sam"
                                         << "user"
                                         << "user.manage"
                                         << "role:user" << true << "";
    QTest::newRow("admin, what they hold") << "admin"
                                           << "add"
                                           << "person"
                                           << "sam"
                                           << "user"
                                           << "container.*"
                                           << "*" << true << "";
    QTest::newRow("admin, a deny") << "admin"
                                   << "add"
                                   << "role"
                                   << "user"
                                   << "user"
                                   << "deploy.start"
                                   << "connection:prod" << false << "";
    QTest::newRow("admin, user.manage") << "admin"
                                        << "add"
                                        << "person"
                                        << "sam"
                                        << "user"
                                        << "user.manage"
                                        << "role:user" << true << "only a superuser grants or revokes";
    QTest::newRow("admin, everything") << "admin"
                                       << "add"
                                       << "person"
                                       << "sam"
                                       << "user"
                                       << "*"
                                       << "*" << true << "only a superuser";
    QTest::newRow("admin, to a superuser") << "admin"
                                           << "add"
                                           << "person"
                                           << "alice"
                                           << "superuser"
                                           << "container.stop"
                                           << "*" << true << "grants of superusers";
    QTest::newRow("admin, to the superuser role") << "admin"
                                                  << "add"
                                                  << "role"
                                                  << "superuser"
                                                  << "superuser"
                                                  << "container.stop"
                                                  << "*" << false << "grants of superusers";
    QTest::newRow("admin, under a deny") << "admin"
                                         << "add"
                                         << "person"
                                         << "sam"
                                         << "user"
                                         << "deploy.start"
                                         << "connection:prod-eu" << true << "do not hold";
    QTest::newRow("admin, a wider deploy") << "admin"
                                           << "add"
                                           << "person"
                                           << "sam"
                                           << "user"
                                           << "deploy.*"
                                           << "*" << true << "do not hold";
    QTest::newRow("admin, outside the deny") << "admin"
                                             << "add"
                                             << "person"
                                             << "sam"
                                             << "user"
                                             << "deploy.start"
                                             << "connection:staging" << true << "";
    QTest::newRow("admin revokes an admin default") << "admin"
                                                    << "revoke"
                                                    << "role"
                                                    << "admin"
                                                    << "admin"
                                                    << "container.stop"
                                                    << "*" << true << "what every admin may do";
    QTest::newRow("admin revokes a user's") << "admin"
                                            << "revoke"
                                            << "person"
                                            << "sam"
                                            << "user"
                                            << "container.*"
                                            << "*" << true << "";
    QTest::newRow("user") << "user"
                          << "add"
                          << "person"
                          << "sam"
                          << "user"
                          << "runner.provision"
                          << "mode:jit" << true << "may not manage people";
}

void TestPermissions::whoMayChangeGrants()
{
    QFETCH(QString, actorRole);
    QFETCH(QString, kind);
    QFETCH(QString, subjectKind);
    QFETCH(QString, subject);
    QFETCH(QString, subjectRole);
    QFETCH(QString, action);
    QFETCH(QString, scope);
    QFETCH(bool, allowEffect);
    QFETCH(QString, problem);
    // Rita may not deploy to production (as in tst_people's store test).
    QList<WorkspaceGrant> grants = defaultGrants();
    grants << grant(QStringLiteral("person"), QStringLiteral("rita"), QStringLiteral("deploy.*"),
                    QStringLiteral("connection:prod-*"), false, 40);
    const WorkspacePerson rita{QStringLiteral("rita"), actorRole, true};
    GrantChange c;
    c.kind = kind == QLatin1String("add") ? GrantChange::Kind::Add : GrantChange::Kind::Revoke;
    c.grant =
        grant(subjectKind, subject, action, scope, allowEffect, c.kind == GrantChange::Kind::Add ? 0 : 9);
    const auto r = mayChangeGrant(rita, grants, subjectRole, c);
    if (problem.isEmpty()) {
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
    } else {
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("workspace.denied"));
        QVERIFY2(r.message().contains(problem), qPrintable(r.message()));
    }
    // Deactivated, nobody changes anything.
    const auto inactive =
        mayChangeGrant(WorkspacePerson{QStringLiteral("rita"), actorRole, false}, grants, subjectRole, c);
    QVERIFY(!inactive);
}

QTEST_GUILESS_MAIN(TestPermissions)
#include "tst_permissions.moc"
