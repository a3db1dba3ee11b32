// Changing people, on both kinds of store: the rules hold in the store itself (SQLite's for the one
// admin of a local store, PostgreSQL's functions for a team's logins), the workspace service checks
// the copy's grants before it asks the store and audits every change on its own (a batch
// deactivation is one event per person, with the comment), and the Users pane's buttons, dialogs
// and progress follow. PostgreSQL 15 is started by this test (tests/support/postgres.sh).
#include "models/audit/auditevent.h"
#include "models/github/runnerpolicystore.h"
#include "models/store/cachetablemodel.h"
#include "models/store/database.h"
#include "models/workspace/peoplemodel.h"
#include "models/workspace/personactivity.h"
#include "models/workspace/reviewmodel.h"
#include "postgrestestbed.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/workspace/accessreviewstore.h"
#include "services/workspace/grantchanges.h"
#include "services/workspace/peoplechanges.h"
#include "services/workspace/workspaceservice.h"
#include "testutil.h"
#include "ui/panes/users/accessreviewdialog.h"
#include "ui/panes/users/grantdialog.h"
#include "ui/panes/users/persondialog.h"
#include "ui/panes/users/userspane.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestPeople : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void storeRules_data();
    void storeRules();
    void teamLoginsDecide();
    void runnerOwnersAcrossDesktops();
    void nobodyGrantsWhatTheyDoNotHold();
    void accessReviewInTheStore_data();
    void accessReviewInTheStore();
    void accessReviewFromThePane();
    void serviceAuditsEachChange();
    void desktopRecordsItsRunners();
    void serviceRefusesBeforeTheStore();
    void twoDataDirectories();
    void dialogsCheckAsYouType();
    void personActivity();
    void usersPaneChangesPeople();
    void grantsOnBothStores_data();
    void grantsOnBothStores();
    void serviceChangesGrants();
    void grantsFromTheCommandLine();
    void usersPaneGrants();
    void labelPoliciesAreTheTeams();
    void oidcSubjectAndIntroduction_data();
    void oidcSubjectAndIntroduction();

private:
    // A store with alice as its superuser, acting as alice: "local" or "team".
    Result<WorkspaceStore> storeWithAlice(const QString &kind, const QString &name,
                                          QString *database = nullptr);
    static QString value(QSqlDatabase db, const QString &sql)
    {
        QSqlQuery q(db);
        return q.exec(sql) && q.next() ? q.value(0).toString() : QStringLiteral("<none>");
    }
    static PersonChange change(PersonChange::Kind kind, const QString &login, const QString &role = {},
                               const QString &comment = {})
    {
        PersonChange c;
        c.kind = kind;
        c.login = login;
        c.role = role;
        c.comment = comment;
        return c;
    }
    static QList<AuditEvent> auditEvents(const QString &action)
    {
        QList<AuditEvent> out;
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT %1 FROM audit_events WHERE action = ? ORDER BY id")
                      .arg(auditSelectColumns()));
        q.addBindValue(action);
        if (q.exec())
            while (q.next())
                out << auditEventFromRecord(q.record());
        return out;
    }

    static GrantChange grantChange(GrantChange::Kind kind, const QString &subjectKind, const QString &subject,
                                   const QString &action, const QString &scope, bool allow = true,
                                   const QString &comment = {})
    {
        GrantChange c;
        c.kind = kind;
        c.grant.subjectKind = subjectKind;
        c.grant.subject = subject;
        c.grant.action = action;
        c.grant.scope = scope;
        c.grant.allow = allow;
        c.comment = comment;
        return c;
    }
    static GrantChange revoke(qint64 id, const QString &comment)
    {
        GrantChange c;
        c.kind = GrantChange::Kind::Revoke;
        c.grant.id = id;
        c.comment = comment;
        return c;
    }
    // Joins a workspace service to the team store as login; false when it could not.
    bool join(WorkspaceService *service, const QString &login, const QString &database, const QString &desk)
    {
        QSignalSpy joined(service, &WorkspaceService::joinFinished);
        const WorkspaceUrl url = m_pg.url(login, database);
        QMetaObject::invokeMethod(service, [service, url, desk] { service->joinTeam(url, {}, desk, true); });
        if (!joined.wait(15000) && joined.isEmpty())
            return false;
        if (!joined.first().at(0).toBool())
            qWarning("%s", qPrintable(joined.first().at(1).toString()));
        return joined.first().at(0).toBool();
    }

    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-people-XXXXXX")};
    PostgresTestbed m_pg;
};

void TestPeople::initTestCase()
{
    QString why;
    const auto started = m_pg.start(m_dir.path(), &why);
    if (started == PostgresTestbed::Start::Missing) {
        OPSDECK_REQUIRE_COMPONENT(false, QStringLiteral("PostgreSQL 15"));
    }
    QVERIFY2(started == PostgresTestbed::Start::Ok, qPrintable(why));
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestPeople::cleanupTestCase()
{
    m_pg.stop();
    Database::close();
}

Result<WorkspaceStore> TestPeople::storeWithAlice(const QString &kind, const QString &name, QString *database)
{
    return m_pg.storeWithSuperuser(kind, name, m_dir.path(), QStringLiteral("alice"), database);
}

void TestPeople::storeRules_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("local") << "local";
    QTest::newRow("team") << "team";
}

void TestPeople::storeRules()
{
    QFETCH(QString, kind);
    auto store = storeWithAlice(kind, QStringLiteral("rules-") + kind);
    QVERIFY2(store, store ? "" : qPrintable(store.message()));
    const QSqlDatabase db = store->db();

    PersonChange bob = change(PersonChange::Kind::Add, QStringLiteral("bob"), QStringLiteral("admin"));
    bob.email = QStringLiteral("bob@example.com");
    bob.displayName = QStringLiteral("Bob Okafor");
    auto r = PeopleChanges::apply(*store, bob);
    QVERIFY2(r, r ? "" : qPrintable(r.message()));
    QCOMPARE(
        value(db, QStringLiteral(
                      "SELECT role || '/' || email || '/' || display_name FROM people WHERE login = 'bob'")),
        QStringLiteral("admin/bob@example.com/Bob Okafor"));
    QCOMPARE(PeopleChanges::apply(*store, bob).error().code, QStringLiteral("workspace.exists"));
    QCOMPARE(PeopleChanges::apply(
                 *store, change(PersonChange::Kind::Add, QStringLiteral("Bad Login"), QStringLiteral("user")))
                 .error()
                 .code,
             QStringLiteral("workspace.invalid"));
    QCOMPARE(PeopleChanges::apply(
                 *store, change(PersonChange::Kind::Add, QStringLiteral("zed"), QStringLiteral("root")))
                 .error()
                 .code,
             QStringLiteral("workspace.invalid"));

    PersonChange edit = change(PersonChange::Kind::Edit, QStringLiteral("bob"));
    edit.email = QStringLiteral("b.okafor@example.com");
    edit.displayName = QStringLiteral("Bob O.");
    edit.githubLogin = QStringLiteral("bokafor");
    QVERIFY(PeopleChanges::apply(*store, edit));
    QCOMPARE(value(db, QStringLiteral("SELECT email || '/' || display_name || '/' || github_login FROM "
                                      "people WHERE login = 'bob'")),
             QStringLiteral("b.okafor@example.com/Bob O./bokafor"));

    QVERIFY(PeopleChanges::apply(
        *store, change(PersonChange::Kind::SetRole, QStringLiteral("bob"), QStringLiteral("user"))));
    QCOMPARE(value(db, QStringLiteral("SELECT role FROM people WHERE login = 'bob'")),
             QStringLiteral("user"));
    // Deactivating needs a comment; then it holds, and reactivating undoes it.
    QCOMPARE(PeopleChanges::apply(*store, change(PersonChange::Kind::Deactivate, QStringLiteral("bob")))
                 .error()
                 .code,
             QStringLiteral("workspace.invalid"));
    QVERIFY(PeopleChanges::apply(*store, change(PersonChange::Kind::Deactivate, QStringLiteral("bob"), {},
                                                QStringLiteral("left the company"))));
    QCOMPARE(
        value(db, QStringLiteral(
                      "SELECT CASE WHEN active THEN 'yes' ELSE 'no' END FROM people WHERE login = 'bob'")),
        QStringLiteral("no"));
    QVERIFY(PeopleChanges::apply(*store, change(PersonChange::Kind::Reactivate, QStringLiteral("bob"))));
    QCOMPARE(
        value(db, QStringLiteral(
                      "SELECT CASE WHEN active THEN 'yes' ELSE 'no' END FROM people WHERE login = 'bob'")),
        QStringLiteral("yes"));

    // Nobody changes their own role or deactivates themselves; nobody is changed who is not there.
    QCOMPARE(PeopleChanges::apply(*store, change(PersonChange::Kind::SetRole, QStringLiteral("alice"),
                                                 QStringLiteral("admin")))
                 .error()
                 .code,
             QStringLiteral("workspace.denied"));
    QCOMPARE(PeopleChanges::apply(*store, change(PersonChange::Kind::Deactivate, QStringLiteral("alice"), {},
                                                 QStringLiteral("x")))
                 .error()
                 .code,
             QStringLiteral("workspace.denied"));
    QVERIFY(!PeopleChanges::apply(*store, change(PersonChange::Kind::Reactivate, QStringLiteral("nobody"))));
    // Two superusers at most.
    QVERIFY(PeopleChanges::apply(
        *store, change(PersonChange::Kind::Add, QStringLiteral("chen"), QStringLiteral("superuser"))));
    const auto third = PeopleChanges::apply(
        *store, change(PersonChange::Kind::SetRole, QStringLiteral("bob"), QStringLiteral("superuser")));
    QVERIFY(!third);
    QVERIFY2(third.message().contains(QLatin1String("at most two superusers")), qPrintable(third.message()));
    QCOMPARE(value(db, QStringLiteral("SELECT COUNT(*) FROM people WHERE role = 'superuser'")),
             QStringLiteral("2"));
    QCOMPARE(value(db, QStringLiteral("SELECT COUNT(*) FROM people")), QStringLiteral("3"));
}

void TestPeople::teamLoginsDecide()
{
    // Straight to the store as each login: the functions decide, whatever a desktop asks.
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("logins"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(
        *alice, change(PersonChange::Kind::Add, QStringLiteral("bob"), QStringLiteral("admin"))));
    QVERIFY(PeopleChanges::apply(
        *alice, change(PersonChange::Kind::Add, QStringLiteral("erin"), QStringLiteral("user"))));
    auto bob = m_pg.as(QStringLiteral("bob"), database, QStringLiteral("logins-bob"));
    auto erin = m_pg.as(QStringLiteral("erin"), database, QStringLiteral("logins-erin"));
    QVERIFY(bob && erin);
    // A user adds nobody, edits nobody else, and does not set their own GitHub login; their own
    // name and email are theirs to change.
    QCOMPARE(PeopleChanges::apply(
                 *erin, change(PersonChange::Kind::Add, QStringLiteral("mallory"), QStringLiteral("user")))
                 .error()
                 .code,
             QStringLiteral("workspace.denied"));
    PersonChange renameBob = change(PersonChange::Kind::Edit, QStringLiteral("bob"));
    renameBob.displayName = QStringLiteral("Not Bob");
    QCOMPARE(PeopleChanges::apply(*erin, renameBob).error().code, QStringLiteral("workspace.denied"));
    PersonChange self = change(PersonChange::Kind::Edit, QStringLiteral("erin"));
    self.displayName = QStringLiteral("Erin Walsh");
    self.email = QStringLiteral("erin@example.com");
    auto r = PeopleChanges::apply(*erin, self);
    QVERIFY2(r, r ? "" : qPrintable(r.message()));
    self.githubLogin = QStringLiteral("someone-else");
    QCOMPARE(PeopleChanges::apply(*erin, self).error().code, QStringLiteral("workspace.denied"));
    // Her own GitHub login is hers to link (the device flow showed it to her Opsdeck), nobody else's.
    PersonChange link = change(PersonChange::Kind::LinkGitHub, QStringLiteral("erin"));
    link.githubLogin = QStringLiteral("erin-w");
    r = PeopleChanges::apply(*erin, link);
    QVERIFY2(r, r ? "" : qPrintable(r.message()));
    QCOMPARE(PeopleChanges::apply(*bob, link).error().code, QStringLiteral("workspace.denied"));
    QCOMPARE(
        value(alice->db(),
              QStringLiteral(
                  "SELECT login || ':' || github_login FROM people WHERE github_login <> '' ORDER BY login")),
        QStringLiteral("erin:erin-w"));
    // An admin manages users, not superusers.
    QVERIFY(PeopleChanges::apply(*bob, change(PersonChange::Kind::Deactivate, QStringLiteral("erin"), {},
                                              QStringLiteral("on leave"))));
    QCOMPARE(PeopleChanges::apply(*bob, change(PersonChange::Kind::Deactivate, QStringLiteral("alice"), {},
                                               QStringLiteral("coup")))
                 .error()
                 .code,
             QStringLiteral("workspace.denied"));
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT display_name || '/' || github_login || '/' || "
                                               "active::text FROM people WHERE login = 'erin'")),
             QStringLiteral("Erin Walsh/erin-w/false"));
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT display_name FROM people WHERE login = 'bob'")),
             QString());
    // Deactivated, erin cannot sign in any more.
    QVERIFY(!m_pg.as(QStringLiteral("erin"), database, QStringLiteral("logins-erin-again")));
}

void TestPeople::runnerOwnersAcrossDesktops()
{
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("owners"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    // Logins are the cluster's: these two are new to it (erin was deactivated by an earlier test).
    for (const char *login : {"olly", "pat"})
        QVERIFY(PeopleChanges::apply(
            *alice, change(PersonChange::Kind::Add, QLatin1String(login), QStringLiteral("user"))));
    auto bob = m_pg.as(QStringLiteral("olly"), database, QStringLiteral("owners-olly"));
    auto erin = m_pg.as(QStringLiteral("pat"), database, QStringLiteral("owners-pat"));
    QVERIFY(bob && erin);
    const auto run = [](const WorkspaceStore &s, const QString &sql) {
        QSqlQuery q(s.db());
        return q.exec(sql) ? QString() : q.lastError().databaseText();
    };
    QCOMPARE(run(*bob, QStringLiteral("SELECT opsdeck_runner_owner_add('acme-gh', 'ci-1', 'jit')")),
             QString());
    // The owner is the login that recorded it, whoever it claims; another user cannot take it over.
    QCOMPARE(
        value(alice->db(), QStringLiteral("SELECT owner_login FROM runner_owners WHERE runner = 'ci-1'")),
        QStringLiteral("olly"));
    const QString taken =
        run(*erin, QStringLiteral("SELECT opsdeck_runner_owner_add('acme-gh', 'ci-1', 'jit')"));
    QVERIFY2(taken.contains(QLatin1String("not yours")) && taken.contains(QLatin1String("olly")),
             qPrintable(taken));
    QVERIFY(!run(*erin, QStringLiteral("INSERT INTO runner_owners (connection, runner, owner_login, mode) "
                                       "VALUES ('acme-gh', 'ci-2', 'olly', 'jit')"))
                 .isEmpty());
    // Forgetting it: not by pat (nothing happens), by olly yes.
    QCOMPARE(run(*erin, QStringLiteral("SELECT opsdeck_runner_owner_remove('acme-gh', 'ci-1')")), QString());
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT COUNT(*) FROM runner_owners")), QStringLiteral("1"));
    QCOMPARE(run(*bob, QStringLiteral("SELECT opsdeck_runner_owner_remove('acme-gh', 'ci-1')")), QString());
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT COUNT(*) FROM runner_owners")), QStringLiteral("0"));
}

void TestPeople::nobodyGrantsWhatTheyDoNotHold()
{
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("holds"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(
        *alice, change(PersonChange::Kind::Add, QStringLiteral("rita"), QStringLiteral("admin"))));
    QVERIFY(PeopleChanges::apply(
        *alice, change(PersonChange::Kind::Add, QStringLiteral("sam"), QStringLiteral("user"))));
    const auto run = [](const WorkspaceStore &s, const QString &sql) {
        QSqlQuery q(s.db());
        return q.exec(sql) ? QString() : q.lastError().databaseText();
    };
    // Rita, an admin, may not deploy to production.
    QCOMPARE(run(*alice,
                 QStringLiteral(
                     "SELECT opsdeck_grant_add('person', 'rita', 'deploy.*', 'connection:prod-*', 'deny')")),
             QString());
    auto rita = m_pg.as(QStringLiteral("rita"), database, QStringLiteral("holds-rita"));
    QVERIFY(rita);
    // So she cannot hand it out, in whole or in part; what she holds, she can.
    for (const QString &sql :
         {QStringLiteral(
              "SELECT opsdeck_grant_add('person', 'sam', 'deploy.start', 'connection:prod-eu', 'allow')"),
          QStringLiteral("SELECT opsdeck_grant_add('person', 'sam', 'deploy.*', '*', 'allow')"),
          QStringLiteral("SELECT opsdeck_grant_add('role', 'user', '*', '*', 'allow')"),
          QStringLiteral("SELECT opsdeck_grant_add('person', 'sam', 'user.manage', 'role:user', 'allow')")}) {
        const QString e = run(*rita, sql);
        QVERIFY2(!e.isEmpty(), qPrintable(QStringLiteral("rita may not: ") + sql));
    }
    QVERIFY(
        run(*rita,
            QStringLiteral(
                "SELECT opsdeck_grant_add('person', 'sam', 'deploy.start', 'connection:prod-eu', 'allow')"))
            .contains(QLatin1String("do not hold")));
    QCOMPARE(
        run(*rita,
            QStringLiteral(
                "SELECT opsdeck_grant_add('person', 'sam', 'deploy.start', 'connection:staging', 'allow')")),
        QString());
    QCOMPARE(
        run(*rita, QStringLiteral("SELECT opsdeck_grant_add('person', 'sam', 'container.*', '*', 'allow')")),
        QString());
    // Taking back: what she could give, yes; the admins' own defaults, no.
    const QString given =
        value(alice->db(),
              QStringLiteral("SELECT id FROM grants WHERE subject = 'sam' AND action = 'container.*'"));
    QCOMPARE(run(*rita, QStringLiteral("SELECT opsdeck_grant_revoke(%1)").arg(given)), QString());
    const QString adminDefault = value(
        alice->db(),
        QStringLiteral(
            "SELECT id FROM grants WHERE subject_kind = 'role' AND subject = 'admin' AND effect = 'allow'"));
    QVERIFY(!run(*rita, QStringLiteral("SELECT opsdeck_grant_revoke(%1)").arg(adminDefault)).isEmpty());
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT string_agg(action || '@' || scope, ' ' ORDER BY id) "
                                               "FROM grants WHERE subject = 'sam'")),
             QStringLiteral("deploy.start@connection:staging"));
}

void TestPeople::accessReviewInTheStore_data()
{
    storeRules_data();
}

void TestPeople::accessReviewInTheStore()
{
    QFETCH(QString, kind);
    QString database;
    auto alice = storeWithAlice(kind, QStringLiteral("review-") + kind, &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    const QString bobLogin = kind == QLatin1String("team") ? QStringLiteral("xbob") : QStringLiteral("bob");
    QVERIFY(PeopleChanges::apply(*alice, change(PersonChange::Kind::Add, bobLogin, QStringLiteral("admin"))));
    QVERIFY(PeopleChanges::apply(
        *alice, change(PersonChange::Kind::Add, QStringLiteral("yan"), QStringLiteral("user"))));
    QSqlQuery q(alice->db());
    QVERIFY(q.exec(
        kind == QLatin1String("team")
            ? QStringLiteral(
                  "SELECT opsdeck_grant_add('person', 'yan', 'container.*', 'project:shop', 'allow')")
            : QStringLiteral("INSERT INTO grants (subject_kind, subject, action, scope, effect, granted_by, "
                             "created_at) VALUES ('person', 'yan', 'container.*', 'project:shop', 'allow', "
                             "'alice', '2026-12-03T00:00:00Z')")));
    const auto people = alice->people();
    const auto grants = alice->grants();
    QVERIFY(people && grants);
    QList<ReviewDecision> items = reviewItems(people.value(), grants.value());
    QCOMPARE(items.size(), 3 + int(grants->size()));
    for (ReviewDecision &d : items) {
        if (d.kind == ReviewDecision::Kind::Role && d.person == bobLogin)
            d.revoke = true; // no longer on call
        if (d.kind == ReviewDecision::Kind::Grant && d.person == QLatin1String("person yan"))
            d.revoke = true;
    }
    // A revocation needs its reason; the review needs a comment.
    QCOMPARE(AccessReviewStore::signOff(*alice, QStringLiteral("Q4"), items).error().code,
             QStringLiteral("review.invalid"));
    for (ReviewDecision &d : items)
        if (d.revoke)
            d.comment = QStringLiteral("no longer needed");
    QCOMPARE(AccessReviewStore::signOff(*alice, QStringLiteral(" "), items).error().code,
             QStringLiteral("review.invalid"));
    // Nobody revokes their own role.
    QList<ReviewDecision> own = items;
    for (ReviewDecision &d : own)
        if (d.kind == ReviewDecision::Kind::Role && d.person == QLatin1String("alice")) {
            d.revoke = true;
            d.comment = QStringLiteral("me");
        }
    QCOMPARE(AccessReviewStore::signOff(*alice, QStringLiteral("Q4"), own).error().code,
             QStringLiteral("workspace.denied"));
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT COUNT(*) FROM access_reviews")),
             QStringLiteral("0")); // nothing half-done
    if (kind == QLatin1String("team")) {
        // An admin signs nothing off.
        auto bob = m_pg.as(bobLogin, database, QStringLiteral("review-bob"));
        QVERIFY(bob);
        QCOMPARE(AccessReviewStore::signOff(*bob, QStringLiteral("Q4"), items).error().code,
                 QStringLiteral("workspace.denied"));
    }
    const auto id = AccessReviewStore::signOff(*alice, QStringLiteral("Q4 review"), items);
    QVERIFY2(id, id ? "" : qPrintable(id.message()));
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT role FROM people WHERE login = '%1'").arg(bobLogin)),
             QStringLiteral("user"));
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT COUNT(*) FROM grants WHERE subject = 'yan'")),
             QStringLiteral("0"));
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT COUNT(*) FROM people WHERE reviewed_at IS NOT NULL")),
             QStringLiteral("3"));
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT comment FROM access_reviews")),
             QStringLiteral("Q4 review"));
}

void TestPeople::accessReviewFromThePane()
{
    // The local store's admin reviews from the pane's dialog: decisions audited one by one, the
    // pane's copy shows when everyone was reviewed.
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy state(service, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("review-pane.sqlite"));
    QMetaObject::invokeMethod(service, [service, path] { service->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    UsersPane pane(nullptr, service);
    QSignalSpy finished(&pane, &UsersPane::changesFinished);
    pane.submit({change(PersonChange::Kind::Add, QStringLiteral("zed"), QStringLiteral("admin"))});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(pane.model()->rowCount(), 2, 10000);
    QVERIFY(pane.reviewButton()->isEnabled()); // ada is the superuser

    AccessReviewDialog dialog(pane.reviewItems(), service);
    QVERIFY(dialog.model()->rowCount() >= 2 + 5); // two roles and the default grants
    QAbstractItemModelTester tester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!dialog.signOffButton()->isEnabled()); // the comment first
    dialog.commentEdit()->setText(QStringLiteral("yearly review"));
    QVERIFY(dialog.signOffButton()->isEnabled());
    int zed = -1;
    for (int row = 0; row < dialog.model()->rowCount(); ++row)
        if (dialog.model()->index(row, ReviewModel::Subject).data().toString() == QLatin1String("zed"))
            zed = row;
    QVERIFY(zed >= 0);
    QVERIFY(dialog.model()->setData(dialog.model()->index(zed, ReviewModel::Revoke), Qt::Checked,
                                    Qt::CheckStateRole));
    QVERIFY(!dialog.signOffButton()->isEnabled()); // a revocation says why
    QVERIFY2(dialog.statusText().contains(QLatin1String("zed")), qPrintable(dialog.statusText()));
    QVERIFY(dialog.model()->setData(dialog.model()->index(zed, ReviewModel::Comment),
                                    QStringLiteral("left the admin team"), Qt::EditRole));
    QVERIFY(dialog.signOffButton()->isEnabled());
    QSignalSpy signedOff(&dialog, &AccessReviewDialog::signedOff);
    dialog.signOffButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(signedOff.count(), 1, 10000);
    QVERIFY2(signedOff.first().at(0).toBool(), qPrintable(dialog.statusText()));
    QCOMPARE(value(Database::connection(),
                   QStringLiteral("SELECT role FROM workspace_people WHERE login = 'zed'")),
             QStringLiteral("user"));
    QCOMPARE(value(Database::connection(),
                   QStringLiteral("SELECT COUNT(*) FROM workspace_people WHERE reviewed_at <> ''")),
             QStringLiteral("2"));
    QCOMPARE(value(Database::connection(), QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = "
                                                          "'user.review' AND target_kind = 'review' AND "
                                                          "comment = 'yearly review'")),
             QStringLiteral("1"));
    QCOMPARE(
        value(
            Database::connection(),
            QStringLiteral(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'user.review' AND target_name = 'zed' AND "
                "details LIKE '%revoke%'")),
        QStringLiteral("1"));
    QTRY_VERIFY_WITH_TIMEOUT(
        !pane.model()->index(0, PeopleModel::Reviewed).data().toString().contains(QLatin1String("never")),
        10000);
    host.stopAll();
}

void TestPeople::serviceAuditsEachChange()
{
    // Joined as alice: a batch deactivation is made in the store and audited once per person.
    QString database;
    {
        auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("service"), &database);
        QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    }
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy joined(service, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("alice"), database);
    QMetaObject::invokeMethod(
        service, [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-people"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));

    QSignalSpy changed(service, &WorkspaceService::peopleChanged);
    QSignalSpy progress(service, &WorkspaceService::peopleProgress);
    QList<PersonChange> adds;
    for (const char *login : {"gwen", "hank", "ivan"})
        adds << change(PersonChange::Kind::Add, QLatin1String(login), QStringLiteral("user"));
    QMetaObject::invokeMethod(service, "changePeople", Q_ARG(QList<opsdeck::PersonChange>, adds),
                              Q_ARG(QString, QStringLiteral("r1")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 15000);
    QCOMPARE(changed.first().at(1).toInt(), 3);
    QCOMPARE(progress.count(), 3);
    // The copy follows at once: the window reads it.
    QCOMPARE(value(Database::connection(),
                   QStringLiteral(
                       "SELECT COUNT(*) FROM workspace_people WHERE login IN ('gwen', 'hank', 'ivan')")),
             QStringLiteral("3"));

    QList<PersonChange> leavers;
    for (const char *login : {"gwen", "hank"})
        leavers << change(PersonChange::Kind::Deactivate, QLatin1String(login), {},
                          QStringLiteral("contract ended"));
    QMetaObject::invokeMethod(service, "changePeople", Q_ARG(QList<opsdeck::PersonChange>, leavers),
                              Q_ARG(QString, QStringLiteral("r2")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 15000);
    QCOMPARE(changed.last().at(1).toInt(), 2);
    QVERIFY(changed.last().at(2).toStringList().isEmpty());
    const QList<AuditEvent> disabled = auditEvents(AuditAction::userDisable);
    QCOMPARE(disabled.size(), 2);
    QStringList whom;
    for (const AuditEvent &e : disabled) {
        whom << e.targetName;
        QCOMPARE(e.comment, QStringLiteral("contract ended"));
        QCOMPARE(e.outcome, AuditOutcome::Success);
        QCOMPARE(e.backendIdentity, QStringLiteral("alice"));
        QCOMPARE(
            e.details.value(QStringLiteral("before")).toObject().value(QStringLiteral("active")).toBool(),
            true);
        QCOMPARE(e.details.value(QStringLiteral("after")).toObject().value(QStringLiteral("active")).toBool(),
                 false);
    }
    QCOMPARE(whom, (QStringList{QStringLiteral("gwen"), QStringLiteral("hank")}));
    int created = 0;
    for (const AuditEvent &e : auditEvents(AuditAction::userCreate))
        created +=
            QStringList{QStringLiteral("gwen"), QStringLiteral("hank"), QStringLiteral("ivan")}.contains(
                e.targetName);
    QCOMPARE(created, 3);
    QCOMPARE(value(Database::connection(),
                   QStringLiteral("SELECT COUNT(*) FROM workspace_people WHERE active = 0")),
             QStringLiteral("2"));

    // A refusal by the store is audited as refused, and named in the outcome.
    QMetaObject::invokeMethod(
        service, "changePeople",
        Q_ARG(QList<opsdeck::PersonChange>,
              {change(PersonChange::Kind::SetRole, QStringLiteral("alice"), QStringLiteral("admin"))}),
        Q_ARG(QString, QStringLiteral("r3")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 3, 15000);
    QCOMPARE(changed.last().at(1).toInt(), 0);
    QVERIFY2(changed.last().at(2).toStringList().value(0).contains(QLatin1String("own role")),
             qPrintable(changed.last().at(2).toStringList().join(QLatin1Char('\n'))));
    const QList<AuditEvent> roles = auditEvents(AuditAction::userRole);
    QCOMPARE(roles.size(), 1);
    QCOMPARE(roles.first().outcome, AuditOutcome::Failure);
    host.stopAll();
}

void TestPeople::desktopRecordsItsRunners()
{
    // A runner provisioned on this desktop by alice is recorded in the store as hers; one that
    // another desktop recorded for quinn shows in this desktop's copy, and the Users pane counts it.
    QString database;
    {
        auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("recorded"), &database);
        QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
        QVERIFY(PeopleChanges::apply(
            *alice, change(PersonChange::Kind::Add, QStringLiteral("quinn"), QStringLiteral("user"))));
    }
    {
        QSqlQuery q(Database::connection());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO connections (id, uid, kind, name, endpoint, created_at, "
                                      "updated_at) VALUES (901, 'u-901', "
                                      "'github', 'acme-gh', 'https://api.github.com', "
                                      "'2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z')")));
        for (const auto &[id, by] : {std::pair{7001, "alice"}, std::pair{7002, "someone"}})
            QVERIFY(q.exec(
                QStringLiteral(
                    "INSERT INTO runner_provisioning (connection_id, scope, runner_id, name, labels, mode, "
                    "requested_by, requested_at) VALUES (901, 'acme', %1, 'r%1', '[]', 'jit', '%2', "
                    "'2026-12-03T00:00:00Z')")
                    .arg(id)
                    .arg(QLatin1String(by))));
        for (int id : {7001, 7003})
            QVERIFY(q.exec(
                QStringLiteral("INSERT INTO runners (connection_id, runner_id, scope, name, first_seen_at, "
                               "last_seen_at) VALUES "
                               "(901, %1, 'acme', 'r%1', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z')")
                    .arg(id)));
    }
    auto quinn = m_pg.as(QStringLiteral("quinn"), database, QStringLiteral("recorded-quinn"));
    QVERIFY(quinn);
    QVERIFY(quinn->recordRunnerOwners(
        {RunnerOwner{QStringLiteral("acme-gh"), QStringLiteral("7003"), {}, QStringLiteral("jit"), {}}}));

    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy joined(service, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("alice"), database);
    QMetaObject::invokeMethod(
        service, [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-owners"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));
    // Only alice's own provisioning goes to the store, in her name.
    QTRY_COMPARE_WITH_TIMEOUT(
        value(quinn->db(),
              QStringLiteral(
                  "SELECT string_agg(runner || ':' || owner_login, ' ' ORDER BY runner) FROM runner_owners")),
        QStringLiteral("7001:alice 7003:quinn"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        value(Database::connection(),
              QStringLiteral("SELECT group_concat(runner || ':' || owner_login, ' ') FROM (SELECT * FROM "
                             "workspace_runner_owners ORDER BY runner)")),
        QStringLiteral("7001:alice 7003:quinn"), 10000);
    PeopleModel people;
    QSignalSpy loaded(&people, &CacheTableModel::loaded);
    people.reload();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QHash<QString, int> owned;
    for (int row = 0; row < people.rowCount(); ++row)
        owned.insert(people.index(row, PeopleModel::Login).data().toString(),
                     people.index(row, PeopleModel::Runners).data(CacheTableModel::RawRole).toInt());
    QCOMPARE(owned.value(QStringLiteral("alice")), 1);
    QCOMPARE(owned.value(QStringLiteral("quinn")), 1);
    host.stopAll();
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM connections WHERE id = 901")));
}

void TestPeople::serviceRefusesBeforeTheStore()
{
    // Joined as bob, an admin: the copy's grants refuse managing a superuser before the store is
    // asked (no statement reaches it), and the refusal is audited. With the store stopped being
    // asked (a service with no store), every change is refused as offline.
    QString database;
    {
        auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("refuse"), &database);
        QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
        QVERIFY(PeopleChanges::apply(
            *alice, change(PersonChange::Kind::Add, QStringLiteral("bob"), QStringLiteral("admin"))));
    }
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy changed(service, &WorkspaceService::peopleChanged);
    QMetaObject::invokeMethod(
        service, "changePeople",
        Q_ARG(QList<opsdeck::PersonChange>,
              {change(PersonChange::Kind::Add, QStringLiteral("zoe"), QStringLiteral("user"))}),
        Q_ARG(QString, QStringLiteral("offline")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 15000);
    QVERIFY2(changed.last().at(2).toStringList().value(0).contains(QLatin1String("does not answer")),
             qPrintable(changed.last().at(2).toStringList().value(0)));

    QSignalSpy joined(service, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("bob"), database);
    QMetaObject::invokeMethod(
        service, [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-bob"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));
    const qint64 before = auditEvents(AuditAction::userDisable).size();
    QMetaObject::invokeMethod(
        service, "changePeople",
        Q_ARG(QList<opsdeck::PersonChange>,
              {change(PersonChange::Kind::Deactivate, QStringLiteral("alice"), {}, QStringLiteral("coup"))}),
        Q_ARG(QString, QStringLiteral("refused")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 15000);
    const QString why = changed.last().at(2).toStringList().value(0);
    QVERIFY2(why.contains(QLatin1String("user.manage")) || why.contains(QLatin1String("superuser")),
             qPrintable(why));
    QCOMPARE(changed.last().at(1).toInt(), 0);
    const QList<AuditEvent> events = auditEvents(AuditAction::userDisable);
    QCOMPARE(events.size(), before + 1);
    QCOMPARE(events.last().outcome, AuditOutcome::Failure);
    QCOMPARE(events.last().targetName, QStringLiteral("alice"));
    // Nothing reached the store: alice is active.
    auto owner = m_pg.as(QStringLiteral("postgres"), database, QStringLiteral("refuse-check"));
    QVERIFY(owner);
    QCOMPARE(value(owner->db(), QStringLiteral("SELECT active::text FROM people WHERE login = 'alice'")),
             QStringLiteral("true"));
    host.stopAll();
}

void TestPeople::twoDataDirectories()
{
    // Two Opsdeck instances on one store, each with its own data directory: the command line in one
    // changes a role, this one's window copy shows it, through the store's announcement.
    QString database;
    {
        auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("two"), &database);
        QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
        QVERIFY(PeopleChanges::apply(
            *alice, change(PersonChange::Kind::Add, QStringLiteral("wes"), QStringLiteral("user"))));
    }
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    service->setHealthInterval(60000); // no polling: only the announcement can bring the change
    QSignalSpy joined(service, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("alice"), database);
    QMetaObject::invokeMethod(
        service, [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-two"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));
    QCOMPARE(value(Database::connection(),
                   QStringLiteral("SELECT role FROM workspace_people WHERE login = 'wes'")),
             QStringLiteral("user"));

    const QString other = m_dir.filePath(QStringLiteral("other-desktop"));
    QVERIFY(QDir().mkpath(other));
    QProcess cli;
    cli.setProgram(QStringLiteral(OPSDECK_APP));
    cli.setArguments({QStringLiteral("team"), QStringLiteral("person"), QStringLiteral("role"),
                      QStringLiteral("wes"), QStringLiteral("--role"), QStringLiteral("admin"),
                      QStringLiteral("--comment"), QStringLiteral("on call"), QStringLiteral("--url"),
                      QStringLiteral("postgresql://alice@localhost:%1/%2?host=%3")
                          .arg(m_pg.port())
                          .arg(database, m_pg.socket()),
                      QStringLiteral("--data-dir"), other});
    QElapsedTimer clock;
    cli.start();
    QVERIFY(cli.waitForFinished(60000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    clock.start(); // from the moment the other instance has committed
    QTRY_COMPARE_WITH_TIMEOUT(value(Database::connection(),
                                    QStringLiteral("SELECT role FROM workspace_people WHERE login = 'wes'")),
                              QStringLiteral("admin"), 10000);
    qInfo("a role changed in another data directory showed here after %lld ms", clock.elapsed());
    // The other instance recorded it in its own audit log, not in this one.
    QCOMPARE(
        value(Database::connection(),
              QStringLiteral(
                  "SELECT COUNT(*) FROM audit_events WHERE action = 'user.role' AND target_name = 'wes'")),
        QStringLiteral("0"));
    host.stopAll();
}

void TestPeople::dialogsCheckAsYouType()
{
    PersonDialog add(std::nullopt, true);
    QVERIFY(!add.canAccept());
    add.loginEdit()->setText(QStringLiteral("Ada Lovelace"));
    QVERIFY(!add.canAccept());
    QVERIFY2(add.problem().contains(QLatin1String("not a workspace login")), qPrintable(add.problem()));
    add.loginEdit()->setText(QStringLiteral("ada"));
    add.emailEdit()->setText(QStringLiteral("ada-at-example"));
    QVERIFY(!add.canAccept());
    add.emailEdit()->setText(QStringLiteral("ada@example.com"));
    add.githubEdit()->setText(QStringLiteral("-ada"));
    QVERIFY(!add.canAccept());
    add.githubEdit()->setText(QStringLiteral("ada-l"));
    add.passwordEdit()->setText(QStringLiteral("s3cret"));
    QVERIFY(!add.canAccept()); // not repeated yet
    add.repeatEdit()->setText(QStringLiteral("s3cret"));
    QVERIFY2(add.canAccept(), qPrintable(add.problem()));
    add.roleCombo()->setCurrentIndex(add.roleCombo()->findData(QStringLiteral("admin")));
    const PersonChange c = add.change();
    QCOMPARE(c.kind, PersonChange::Kind::Add);
    QCOMPARE(c.role, QStringLiteral("admin"));
    QCOMPARE(c.password, QStringLiteral("s3cret"));

    PeopleActionDialog deactivate(PersonChange::Kind::Deactivate,
                                  {QStringLiteral("bob"), QStringLiteral("erin")});
    QVERIFY(!deactivate.canAccept()); // the comment is required
    deactivate.commentEdit()->setPlainText(QStringLiteral("   "));
    QVERIFY(!deactivate.canAccept());
    deactivate.commentEdit()->setPlainText(QStringLiteral("left the team"));
    QVERIFY(deactivate.canAccept());
    const QList<PersonChange> changes = deactivate.changes();
    QCOMPARE(changes.size(), 2);
    QCOMPARE(changes.at(1).login, QStringLiteral("erin"));
    QCOMPARE(changes.at(1).comment, QStringLiteral("left the team"));
    PeopleActionDialog reactivate(PersonChange::Kind::Reactivate, {QStringLiteral("bob")});
    QVERIFY(reactivate.canAccept()); // a comment is optional
}

void TestPeople::personActivity()
{
    // What uma owns and did: her runner (this desktop provisioned it), the project she last deployed
    // (not the one someone else redeployed after her), and her newest audit events.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
        "INSERT INTO connections (id, uid, kind, name, endpoint, created_at, updated_at) VALUES (911, "
        "'u-911', 'github', "
        "'uma-gh', 'https://api.github.com', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z'), (912, 'u-912', "
        "'docker', "
        "'uma-docker', 'unix:///run/docker.sock', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z')")));
    QVERIFY(q.exec(QStringLiteral(
        "INSERT INTO runner_provisioning (connection_id, scope, runner_id, name, labels, mode, "
        "requested_by, requested_at) VALUES (911, 'acme', 8001, 'uma-1', '[]', 'jit', 'uma', "
        "'2026-12-03T00:00:00Z')")));
    QVERIFY(q.exec(QStringLiteral(
        "INSERT INTO runners (connection_id, runner_id, scope, name, status, busy, first_seen_at, "
        "last_seen_at) VALUES (911, 8001, 'acme', 'uma-1', 'online', 1, '2026-12-03T00:00:00Z', "
        "'2026-12-03T00:00:00Z')")));
    const QString job =
        QStringLiteral("INSERT INTO jobs (connection_id, kind, title, state, spec, requested_by, created_at) "
                       "VALUES (912, 'repository', 't', '%1', '%2', '%3', '2026-12-03T00:00:00Z')");
    QVERIFY(q.exec(job.arg(QStringLiteral("succeeded"), QStringLiteral("{\"project\":\"wiki\"}"),
                           QStringLiteral("uma"))));
    QVERIFY(q.exec(job.arg(QStringLiteral("succeeded"), QStringLiteral("{\"project\":\"blog\"}"),
                           QStringLiteral("uma"))));
    QVERIFY(q.exec(job.arg(QStringLiteral("succeeded"), QStringLiteral("{\"project\":\"blog\"}"),
                           QStringLiteral("vic"))));
    QVERIFY(q.exec(
        job.arg(QStringLiteral("failed"), QStringLiteral("{\"name\":\"wiki\"}"), QStringLiteral("vic"))));
    QVERIFY(q.exec(QStringLiteral(
        "INSERT INTO containers (connection_id, container_id, name, image, state, project, created_at, "
        "updated_at) VALUES (912, 'c1', 'wiki-web-1', 'wiki:1', 'running', 'wiki', "
        "'2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z')")));
    for (int i = 0; i < PersonActivityModel::eventLimit + 5; ++i) {
        AuditEvent e;
        e.system = QStringLiteral("opsdeck");
        e.action = AuditAction::userUpdate;
        e.backendIdentity = QStringLiteral("uma");
        e.targetKind = QStringLiteral("person");
        e.targetName = QStringLiteral("uma-%1").arg(i);
        QVERIFY(AuditLog::record(e));
    }
    PersonActivityModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &CacheTableModel::loaded);
    model.setLogin(QStringLiteral("uma"));
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QStringList owns;
    int events = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QString kind = model.index(row, 0).data(PersonActivityModel::KindRole).toString();
        if (kind == QLatin1String("event"))
            ++events;
        else
            owns << QStringLiteral("%1 %2 %3 %4")
                        .arg(kind, model.index(row, PersonActivityModel::Name).data().toString(),
                             model.index(row, PersonActivityModel::Where).data().toString(),
                             model.index(row, PersonActivityModel::Detail).data().toString());
    }
    QCOMPARE(owns, (QStringList{QStringLiteral("runner uma-1 uma-gh online, busy"),
                                QStringLiteral("deployment wiki uma-docker running")}));
    QCOMPARE(events, PersonActivityModel::eventLimit); // the newest only
    QCOMPARE(model.index(model.rowCount() - 1, PersonActivityModel::Name).data().toString().isEmpty(), false);
    loaded.clear();
    model.setLogin(QStringLiteral("vic"));
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QCOMPARE(model.rowCount(), 1); // blog, which vic deployed last
    QCOMPARE(model.index(0, PersonActivityModel::Name).data().toString(), QStringLiteral("blog"));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM connections WHERE id IN (911, 912)")));
}

void TestPeople::usersPaneChangesPeople()
{
    // The local store, as on a desktop that joined no team: its admin adds people and deactivates
    // two at once from the pane; the buttons follow the selection.
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy state(service, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("pane.sqlite"));
    QMetaObject::invokeMethod(service, [service, path] { service->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(1).toString()));

    UsersPane pane(nullptr, service);
    QTRY_VERIFY_WITH_TIMEOUT(pane.model()->rowCount() == 1, 10000);
    QVERIFY(pane.addButton()->isEnabled()); // ada is the local store's superuser
    QSignalSpy finished(&pane, &UsersPane::changesFinished);
    QList<PersonChange> adds;
    for (const char *login : {"bea", "cy", "dee"})
        adds << change(PersonChange::Kind::Add, QLatin1String(login), QStringLiteral("user"));
    pane.submit(adds);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QVERIFY2(pane.resultText().contains(QLatin1String("3 change")), qPrintable(pane.resultText()));
    QTRY_COMPARE_WITH_TIMEOUT(pane.model()->rowCount(), 4, 10000);

    // Select bea and cy: deactivate is offered, reactivate is not (both are active).
    pane.view()->clearSelection();
    for (int row = 0; row < pane.proxy()->rowCount(); ++row) {
        const QString login = pane.proxy()->index(row, PeopleModel::Login).data().toString();
        if (login == QLatin1String("bea") || login == QLatin1String("cy"))
            pane.view()->selectionModel()->select(pane.proxy()->index(row, 0),
                                                  QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    QCOMPARE(pane.selectedLogins().size(), 2);
    QVERIFY(pane.deactivateButton()->isEnabled());
    QVERIFY(!pane.reactivateButton()->isEnabled());
    pane.submit(
        {change(PersonChange::Kind::Deactivate, QStringLiteral("bea"), {}, QStringLiteral("moved on")),
         change(PersonChange::Kind::Deactivate, QStringLiteral("cy"), {}, QStringLiteral("moved on"))});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(pane.reactivateButton()->isEnabled(), 10000);
    QCOMPARE(
        value(Database::connection(), QStringLiteral("SELECT group_concat(login) FROM (SELECT login FROM "
                                                     "workspace_people WHERE active = 0 ORDER BY login)")),
        QStringLiteral("bea,cy"));
    // Ada cannot deactivate herself: refused, said in the pane.
    pane.submit({change(PersonChange::Kind::Deactivate, QStringLiteral("ada"), {}, QStringLiteral("test"))});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 10000);
    QVERIFY2(pane.resultText().contains(QLatin1String("deactivates themselves")),
             qPrintable(pane.resultText()));
    host.stopAll();
}

void TestPeople::grantsOnBothStores_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("local") << "local";
    QTest::newRow("team") << "team";
}

void TestPeople::grantsOnBothStores()
{
    // One code path on both stores: a grant added, the same again refused as a duplicate, a bad
    // one refused before any statement, revoked, and revoked again said plainly.
    QFETCH(QString, kind);
    auto alice = storeWithAlice(kind, QStringLiteral("grants-") + kind);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(
        *alice, change(PersonChange::Kind::Add, QStringLiteral("sam"), QStringLiteral("user"))));
    const GrantChange add =
        grantChange(GrantChange::Kind::Add, QStringLiteral("person"), QStringLiteral("sam"),
                    QStringLiteral("image.request"), QStringLiteral("project:shop"));
    const auto added = GrantChanges::apply(*alice, add);
    QVERIFY2(added, added ? "" : qPrintable(added.message()));
    QVERIFY(added.value() > 0);
    const auto findIn = [](const WorkspaceStore &store, qint64 id) {
        const auto all = store.grants();
        for (const WorkspaceGrant &g : all ? all.value() : QList<WorkspaceGrant>())
            if (g.id == id)
                return std::optional<WorkspaceGrant>(g);
        return std::optional<WorkspaceGrant>();
    };
    const auto stored = findIn(*alice, added.value());
    QVERIFY(stored);
    QCOMPARE(stored->action, QStringLiteral("image.request"));
    QCOMPARE(stored->scope, QStringLiteral("project:shop"));
    QCOMPARE(stored->grantedBy, QStringLiteral("alice"));
    QVERIFY(stored->allow);

    const auto twice = GrantChanges::apply(*alice, add);
    QVERIFY(!twice);
    QCOMPARE(twice.error().code, QStringLiteral("workspace.exists"));
    QVERIFY2(twice.message().contains(QLatin1String("there already")), qPrintable(twice.message()));

    const int before = alice->grants()->size();
    const auto typo = GrantChanges::apply(
        *alice, grantChange(GrantChange::Kind::Add, QStringLiteral("role"), QStringLiteral("user"),
                            QStringLiteral("imag.request"), QStringLiteral("*")));
    QCOMPARE(typo.error().code, QStringLiteral("workspace.invalid"));
    QCOMPARE(alice->grants()->size(), before);
    // A grant names a person who is there.
    const auto nobody = GrantChanges::apply(
        *alice, grantChange(GrantChange::Kind::Add, QStringLiteral("person"), QStringLiteral("nobody_here"),
                            QStringLiteral("image.request"), QStringLiteral("*")));
    QVERIFY(!nobody);
    QCOMPARE(nobody.error().code, QStringLiteral("workspace.no-person"));
    QCOMPARE(alice->grants()->size(), before);

    QVERIFY(GrantChanges::apply(*alice, revoke(added.value(), QStringLiteral("project closed"))));
    QVERIFY(!findIn(*alice, added.value()));
    const auto again = GrantChanges::apply(*alice, revoke(added.value(), QStringLiteral("project closed")));
    QVERIFY(!again);
    QCOMPARE(again.error().code, QStringLiteral("workspace.no-grant"));
    QVERIFY2(again.message().contains(QString::number(added.value())), qPrintable(again.message()));
}

void TestPeople::serviceChangesGrants()
{
    // Joined as alice, a superuser: grants added and revoked through the service reach the store and
    // the copy, one audit event each with the grant. Joined as rita, an admin: handing out
    // user.manage is refused from the copy before the store is asked, and audited as refused.
    QString database;
    {
        auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("svcgrants"), &database);
        QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
        for (const char *login : {"rita", "sam"})
            QVERIFY(PeopleChanges::apply(*alice, change(PersonChange::Kind::Add, QLatin1String(login),
                                                        QLatin1String(login) == QLatin1String("rita")
                                                            ? QStringLiteral("admin")
                                                            : QStringLiteral("user"))));
    }
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    QVERIFY(join(service, QStringLiteral("alice"), database, QStringLiteral("desk-grants")));
    QSignalSpy changed(service, &WorkspaceService::peopleChanged);
    const int addsBefore = auditEvents(AuditAction::grantAdd).size();
    const QList<GrantChange> two{
        grantChange(GrantChange::Kind::Add, QStringLiteral("person"), QStringLiteral("sam"),
                    QStringLiteral("container.*"), QStringLiteral("project:shop"), true,
                    QStringLiteral("on call for the shop")),
        grantChange(GrantChange::Kind::Add, QStringLiteral("role"), QStringLiteral("user"),
                    QStringLiteral("deploy.start"), QStringLiteral("connection:prod"), false)};
    QMetaObject::invokeMethod(service, "changeGrants", Q_ARG(QList<opsdeck::GrantChange>, two),
                              Q_ARG(QString, QStringLiteral("g1")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 15000);
    QCOMPARE(changed.first().at(1).toInt(), 2);
    const QString id = value(Database::connection(),
                             QStringLiteral("SELECT id FROM workspace_grants WHERE subject = 'sam' AND "
                                            "action = 'container.*' AND scope = 'project:shop'"));
    QVERIFY2(id.toLongLong() > 0, qPrintable(id)); // the copy follows at once
    QList<AuditEvent> adds = auditEvents(AuditAction::grantAdd).mid(addsBefore);
    QCOMPARE(adds.size(), 2);
    QCOMPARE(adds.first().targetId, id);
    QCOMPARE(adds.first().comment, QStringLiteral("on call for the shop"));
    QCOMPARE(adds.first().outcome, AuditOutcome::Success);
    QCOMPARE(adds.first().backendIdentity, QStringLiteral("alice"));
    QCOMPARE(adds.last()
                 .details.value(QStringLiteral("grant"))
                 .toObject()
                 .value(QStringLiteral("effect"))
                 .toString(),
             QStringLiteral("deny"));

    // A revocation names only the grant's number; the audit event says what it was.
    const QList<GrantChange> back{revoke(id.toLongLong(), QStringLiteral("rota ended"))};
    QMetaObject::invokeMethod(service, "changeGrants", Q_ARG(QList<opsdeck::GrantChange>, back),
                              Q_ARG(QString, QStringLiteral("g2")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 15000);
    QCOMPARE(changed.last().at(1).toInt(), 1);
    QCOMPARE(value(Database::connection(),
                   QStringLiteral("SELECT COUNT(*) FROM workspace_grants WHERE id = ") + id),
             QStringLiteral("0"));
    const AuditEvent revoked = auditEvents(AuditAction::grantRevoke).constLast();
    QCOMPARE(revoked.targetId, id);
    QCOMPARE(revoked.targetName, QStringLiteral("person sam"));
    QCOMPARE(
        revoked.details.value(QStringLiteral("grant")).toObject().value(QStringLiteral("action")).toString(),
        QStringLiteral("container.*"));
    host.stopAll();

    ServiceHost other;
    auto *asRita = other.add(new WorkspaceService, QStringLiteral("workspace"));
    QVERIFY(join(asRita, QStringLiteral("rita"), database, QStringLiteral("desk-rita")));
    QSignalSpy ritaChanged(asRita, &WorkspaceService::peopleChanged);
    const int grantsBefore =
        value(Database::connection(), QStringLiteral("SELECT COUNT(*) FROM workspace_grants")).toInt();
    const QList<GrantChange> manage{grantChange(GrantChange::Kind::Add, QStringLiteral("person"),
                                                QStringLiteral("sam"), QStringLiteral("user.manage"),
                                                QStringLiteral("role:user"))};
    QMetaObject::invokeMethod(asRita, "changeGrants", Q_ARG(QList<opsdeck::GrantChange>, manage),
                              Q_ARG(QString, QStringLiteral("g3")));
    QTRY_COMPARE_WITH_TIMEOUT(ritaChanged.count(), 1, 15000);
    QCOMPARE(ritaChanged.first().at(1).toInt(), 0);
    QVERIFY2(ritaChanged.first().at(2).toStringList().value(0).contains(QLatin1String("only a superuser")),
             qPrintable(ritaChanged.first().at(2).toStringList().join(QLatin1Char('\n'))));
    const AuditEvent refused = auditEvents(AuditAction::grantAdd).constLast();
    QCOMPARE(refused.outcome, AuditOutcome::Failure);
    QCOMPARE(refused.backendIdentity, QStringLiteral("rita"));
    auto owner = m_pg.as(QStringLiteral("postgres"), database, QStringLiteral("svcgrants-check"));
    QVERIFY(owner);
    QCOMPARE(
        value(owner->db(),
              QStringLiteral("SELECT COUNT(*) FROM grants WHERE action = 'user.manage' AND subject = 'sam'")),
        QStringLiteral("0"));
    QCOMPARE(value(Database::connection(), QStringLiteral("SELECT COUNT(*) FROM workspace_grants")).toInt(),
             grantsBefore);
    other.stopAll();
}

void TestPeople::grantsFromTheCommandLine()
{
    // opsdeck team grant add | list | revoke, as alice, against the store; each change goes into the
    // command's own data directory's audit log.
    QString database;
    {
        auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("cligrants"), &database);
        QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    }
    const QString dataDir = m_dir.filePath(QStringLiteral("grant-cli"));
    const QString url = QStringLiteral("postgresql://alice@localhost:%1/%2?host=%3")
                            .arg(m_pg.port())
                            .arg(database, m_pg.socket());
    const auto run = [&](QStringList args, QString *output = nullptr, QString *errors = nullptr) {
        QProcess cli;
        cli.setProgram(QStringLiteral(OPSDECK_APP));
        cli.setArguments(QStringList{QStringLiteral("team"), QStringLiteral("grant")} + args +
                         QStringList{QStringLiteral("--url"), url, QStringLiteral("--data-dir"), dataDir});
        cli.start();
        if (!cli.waitForFinished(60000))
            return -1;
        if (output)
            *output = QString::fromLocal8Bit(cli.readAllStandardOutput());
        if (errors)
            *errors = QString::fromLocal8Bit(cli.readAllStandardError());
        return cli.exitCode();
    };
    QString out;
    QString err;
    QCOMPARE(run({QStringLiteral("add"), QStringLiteral("image.request"), QStringLiteral("--role"),
                  QStringLiteral("user"), QStringLiteral("--scope"), QStringLiteral("project:shop"),
                  QStringLiteral("--comment"), QStringLiteral("shop team asks for images")},
                 &out, &err),
             0);
    const QRegularExpressionMatch number = QRegularExpression(QStringLiteral("grant (\\d+)\\.")).match(out);
    QVERIFY2(number.hasMatch(), qPrintable(out + err));
    const QString id = number.captured(1);
    QCOMPARE(run({QStringLiteral("list"), QStringLiteral("--role"), QStringLiteral("user")}, &out), 0);
    QVERIFY2(out.contains(id + QStringLiteral("\trole user: allow image.request on project:shop")),
             qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("runner.provision on mode:jit (default)")), qPrintable(out));
    QVERIFY(!out.contains(QLatin1String("role admin")));
    // Usage mistakes exit 2 before anything is asked.
    QCOMPARE(run({QStringLiteral("add"), QStringLiteral("image.request")}, nullptr, &err), 2);
    QVERIFY2(err.contains(QLatin1String("--role R or --person LOGIN")), qPrintable(err));
    QCOMPARE(run({QStringLiteral("revoke"), id}, nullptr, &err), 2);
    QVERIFY2(err.contains(QLatin1String("Say why")), qPrintable(err));
    QCOMPARE(run({QStringLiteral("add"), QStringLiteral("deploy.start"), QStringLiteral("--person"),
                  QStringLiteral("nobody_here")},
                 nullptr, &err),
             1);
    QCOMPARE(
        run({QStringLiteral("revoke"), id, QStringLiteral("--comment"), QStringLiteral("moved to a project")},
            &out, &err),
        0);
    QCOMPARE(run({QStringLiteral("revoke"), id, QStringLiteral("--comment"), QStringLiteral("again")},
                 nullptr, &err),
             1);
    QVERIFY2(err.contains(QLatin1String("no grant")), qPrintable(err));
    // The command's audit log: the add, the refused add, the revocation and the refused one.
    {
        QSqlDatabase log = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("cli-log"));
        log.setDatabaseName(dataDir + QStringLiteral("/cache.sqlite"));
        QVERIFY(log.open());
        QCOMPARE(
            value(log, QStringLiteral("SELECT group_concat(action || ':' || outcome, ' ') FROM "
                                      "(SELECT action, outcome FROM audit_events WHERE action LIKE "
                                      "'grant.%' ORDER BY id)")),
            QStringLiteral("grant.add:success grant.add:failure grant.revoke:success grant.revoke:failure"));
        log.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("cli-log"));
}

void TestPeople::usersPaneGrants()
{
    // The local store's admin gives bea a grant from the Users pane and takes it back; the grants
    // beside the explanation follow the selected person, and the dialogs check as you type.
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy state(service, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("pane-grants.sqlite"));
    QMetaObject::invokeMethod(service, [service, path] { service->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(1).toString()));
    UsersPane pane(nullptr, service);
    QAbstractItemModelTester tester(pane.grantsView()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&pane, &UsersPane::changesFinished);
    QTRY_VERIFY_WITH_TIMEOUT(pane.model()->rowCount() == 1, 10000);
    pane.submit({change(PersonChange::Kind::Add, QStringLiteral("bea"), QStringLiteral("user"))});
    QTRY_COMPARE_WITH_TIMEOUT(pane.model()->rowCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    const auto select = [&pane](const QString &login) {
        for (int row = 0; row < pane.proxy()->rowCount(); ++row)
            if (pane.proxy()->index(row, PeopleModel::Login).data().toString() == login)
                pane.view()->selectRow(row);
    };
    const auto grantRows = [&pane] {
        QStringList rows;
        QAbstractItemModel *m = pane.grantsView()->model();
        for (int row = 0; row < m->rowCount(); ++row)
            rows << QStringLiteral("%1 %2 %3 %4")
                        .arg(m->index(row, GrantsModel::Subject).data().toString(),
                             m->index(row, GrantsModel::Action).data().toString(),
                             m->index(row, GrantsModel::Scope).data().toString(),
                             m->index(row, GrantsModel::Effect).data().toString());
        rows.sort();
        return rows;
    };
    select(QStringLiteral("bea"));
    // A user's defaults, from the role: nothing of ada's (a superuser) shows for her.
    QTRY_COMPARE_WITH_TIMEOUT(grantRows(),
                              (QStringList{QStringLiteral("role user image.request * allow"),
                                           QStringLiteral("role user runner.delete owner:self allow"),
                                           QStringLiteral("role user runner.provision mode:jit allow"),
                                           QStringLiteral("role user testrun.record * allow")}),
                              10000);
    QVERIFY(pane.grantButton()->isEnabled());
    QVERIFY(!pane.revokeButton()->isEnabled()); // no grant selected

    GrantContext superuser{WorkspacePerson{QStringLiteral("ada"), QStringLiteral("superuser"), true},
                           defaultGrants()};
    GrantDialog dialog(WorkspacePerson{QStringLiteral("bea"), QStringLiteral("user"), true}, superuser);
    dialog.actionCombo()->setCurrentText(QStringLiteral("container.*"));
    dialog.scopeEdit()->setText(QStringLiteral("region:eu"));
    QVERIFY(!dialog.canAccept());
    QVERIFY2(dialog.problem().contains(QLatin1String("not a facet")), qPrintable(dialog.problem()));
    dialog.scopeEdit()->setText(QStringLiteral("project:shop"));
    QVERIFY2(dialog.canAccept(), qPrintable(dialog.problem()));
    dialog.commentEdit()->setText(QStringLiteral("runs the shop"));
    QCOMPARE(dialog.change().describe(), QStringLiteral("Allow container.* on project:shop to person bea"));
    pane.submitGrants({dialog.change()});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
    QVERIFY2(pane.resultText().contains(QLatin1String("1 change")), qPrintable(pane.resultText()));
    QTRY_VERIFY_WITH_TIMEOUT(
        grantRows().contains(QStringLiteral("person bea container.* project:shop allow")), 10000);

    // Select the new grant: Revoke is offered, and needs a reason.
    QAbstractItemModel *grants = pane.grantsView()->model();
    for (int row = 0; row < grants->rowCount(); ++row)
        if (grants->index(row, GrantsModel::Subject).data().toString() == QLatin1String("person bea"))
            pane.grantsView()->selectRow(row);
    QTRY_VERIFY_WITH_TIMEOUT(pane.revokeButton()->isEnabled(), 5000);
    const auto chosen = pane.selectedGrant();
    QVERIFY(chosen);
    QCOMPARE(chosen->action, QStringLiteral("container.*"));
    RevokeGrantDialog revoking(*chosen, QStringLiteral("user"), superuser);
    QVERIFY(!revoking.canAccept());
    QVERIFY2(revoking.problem().contains(QLatin1String("Say why")), qPrintable(revoking.problem()));
    revoking.commentEdit()->setPlainText(QStringLiteral("moved to the billing team"));
    QVERIFY(revoking.canAccept());
    pane.submitGrants({revoking.change()});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(grantRows().size(), 4, 10000);
    QCOMPARE(auditEvents(AuditAction::grantRevoke).constLast().comment,
             QStringLiteral("moved to the billing team"));

    // An admin's dialog says what they may not hand out before anything is sent.
    GrantContext admin{WorkspacePerson{QStringLiteral("rita"), QStringLiteral("admin"), true},
                       defaultGrants()};
    GrantDialog asAdmin(WorkspacePerson{QStringLiteral("bea"), QStringLiteral("user"), true}, admin);
    asAdmin.actionCombo()->setCurrentText(QStringLiteral("user.manage"));
    QVERIFY(!asAdmin.canAccept());
    QVERIFY2(asAdmin.problem().contains(QLatin1String("only a superuser")), qPrintable(asAdmin.problem()));
    asAdmin.actionCombo()->setCurrentText(QStringLiteral("deploy.start"));
    QVERIFY2(asAdmin.canAccept(), qPrintable(asAdmin.problem()));
    RevokeGrantDialog adminRevokes(defaultGrants().at(3), QStringLiteral("admin"), admin); // admin's "*"
    adminRevokes.commentEdit()->setPlainText(QStringLiteral("tidy"));
    QVERIFY(!adminRevokes.canAccept());
    host.stopAll();
}

void TestPeople::labelPoliciesAreTheTeams()
{
    // Runner label policies live in the workspace store, by connection name: only someone allowed
    // policy.update on the connection saves one there; a policy saved on a desktop goes to the
    // store, one saved elsewhere shows here through the announcement, and one the store refuses is
    // audited and gives way to the team's.
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("policies"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(
        *alice, change(PersonChange::Kind::Add, QStringLiteral("rita"), QStringLiteral("admin"))));
    QVERIFY(PeopleChanges::apply(
        *alice, change(PersonChange::Kind::Add, QStringLiteral("sam"), QStringLiteral("user"))));
    const auto policyJson = [](const QStringList &required) {
        LabelPolicy p;
        p.required = required;
        return QString::fromUtf8(QJsonDocument(p.toJson()).toJson(QJsonDocument::Compact));
    };
    const auto run = [](const WorkspaceStore &store, const QString &sql) {
        QSqlQuery q(store.db());
        return q.exec(sql) ? QString() : q.lastError().databaseText();
    };
    auto rita = m_pg.as(QStringLiteral("rita"), database, QStringLiteral("policies-rita"));
    auto sam = m_pg.as(QStringLiteral("sam"), database, QStringLiteral("policies-sam"));
    QVERIFY(rita && sam);
    const auto samSaves =
        sam->saveRunnerPolicy(QStringLiteral("acme gh"), policyJson({QStringLiteral("linux")}));
    QVERIFY(!samSaves);
    QVERIFY2(samSaves.error().code == QLatin1String("workspace.denied"), qPrintable(samSaves.message()));
    QVERIFY(
        !run(*sam, QStringLiteral("INSERT INTO runner_policies (connection, policy, updated_by) VALUES ('x', "
                                  "'{}', 'sam')"))
             .isEmpty());
    QVERIFY(GrantChanges::apply(*alice, grantChange(GrantChange::Kind::Add, QStringLiteral("person"),
                                                    QStringLiteral("rita"), QStringLiteral("policy.update"),
                                                    QStringLiteral("connection:prod-*"), false)));
    const auto prod = rita->saveRunnerPolicy(QStringLiteral("prod-eu"), policyJson({}));
    QVERIFY(!prod);
    QVERIFY2(prod.message().contains(QLatin1String("may not change the label policy")),
             qPrintable(prod.message()));
    QVERIFY(rita->saveRunnerPolicy(QStringLiteral("acme gh"), policyJson({QStringLiteral("linux")})));
    // Only through the function, never straight into the table.
    QVERIFY(!run(*rita, QStringLiteral("UPDATE runner_policies SET policy = '{}'")).isEmpty());
    QVERIFY(!run(*rita, QStringLiteral("DELETE FROM runner_policies")).isEmpty());
    QCOMPARE(value(alice->db(), QStringLiteral("SELECT updated_by FROM runner_policies")),
             QStringLiteral("rita"));

    {
        QSqlQuery q(Database::connection());
        QVERIFY(q.exec(
            QStringLiteral("INSERT INTO connections (id, uid, kind, name, endpoint, created_at, updated_at) "
                           "VALUES (902, 'u-902', 'github', 'acme gh', 'https://api.github.com', "
                           "'2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z')")));
    }
    const auto required = [] {
        const auto p = RunnerPolicyStore::load(Database::connection(), 902);
        return p ? p->required.join(QLatin1Char(',')) : p.message();
    };
    const auto pending = [] {
        return value(Database::connection(),
                     QStringLiteral("SELECT pending FROM runner_policies WHERE connection_id = 902"));
    };
    const auto saveHere = [](const QStringList &labels) {
        LabelPolicy p;
        p.required = labels;
        CacheTransaction tx;
        if (!tx.begin())
            return false;
        if (!RunnerPolicyStore::save(tx.db(), 902, p, QDateTime::currentDateTimeUtc()))
            return false;
        tx.touch(Tables::runnerPolicies, 902);
        return bool(tx.commit());
    };
    {
        ServiceHost host;
        auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
        QVERIFY(join(service, QStringLiteral("alice"), database, QStringLiteral("desk-policy-a")));
        // The team's policy applies here.
        QTRY_COMPARE_WITH_TIMEOUT(required(), QStringLiteral("linux"), 10000);
        // Saved here: applies at once, then reaches the store and is no longer pending.
        QVERIFY(saveHere({QStringLiteral("linux"), QStringLiteral("x64")}));
        QCOMPARE(required(), QStringLiteral("linux,x64"));
        QTRY_COMPARE_WITH_TIMEOUT(
            value(alice->db(), QStringLiteral("SELECT policy->'required' ->> 1 FROM runner_policies "
                                              "WHERE connection = 'acme gh'")),
            QStringLiteral("x64"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(pending(), QStringLiteral("0"), 10000);
        QCOMPARE(value(alice->db(),
                       QStringLiteral("SELECT updated_by FROM runner_policies WHERE connection = 'acme gh'")),
                 QStringLiteral("alice"));
        // Rita changes it elsewhere: it shows here, live.
        QVERIFY(rita->saveRunnerPolicy(QStringLiteral("acme gh"), policyJson({QStringLiteral("gpu")})));
        QTRY_COMPARE_WITH_TIMEOUT(required(), QStringLiteral("gpu"), 10000);
        host.stopAll();
    }
    {
        // Sam's desktop: the store refuses his change; audited, and the team's policy applies again.
        ServiceHost host;
        auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
        QVERIFY(join(service, QStringLiteral("sam"), database, QStringLiteral("desk-policy-sam")));
        const int refusedBefore = int(auditEvents(AuditAction::policyUpdate).size());
        QVERIFY(saveHere({QStringLiteral("anything")}));
        QTRY_COMPARE_WITH_TIMEOUT(pending(), QStringLiteral("0"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(required(), QStringLiteral("gpu"), 10000);
        const QList<AuditEvent> events = auditEvents(AuditAction::policyUpdate);
        QCOMPARE(events.size(), refusedBefore + 1);
        QCOMPARE(events.last().outcome, AuditOutcome::Failure);
        QCOMPARE(events.last().backendIdentity, QStringLiteral("sam"));
        QVERIFY2(events.last()
                     .details.value(QStringLiteral("error"))
                     .toString()
                     .contains(QLatin1String("may not")),
                 qPrintable(events.last().details.value(QStringLiteral("error")).toString()));
        QCOMPARE(
            value(alice->db(), QStringLiteral("SELECT policy->'required' ->> 0 FROM runner_policies WHERE "
                                              "connection = 'acme gh'")),
            QStringLiteral("gpu"));
        host.stopAll();
    }
}

void TestPeople::oidcSubjectAndIntroduction_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("local") << "local";
    QTest::newRow("team") << "team";
}

void TestPeople::oidcSubjectAndIntroduction()
{
    // The OIDC subject is an identity like the others (set by whoever manages the person, checked),
    // and each person records their own first-run introduction.
    QFETCH(QString, kind);
    QString database;
    auto alice = storeWithAlice(kind, QStringLiteral("oidc-") + kind, &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    PersonChange add = change(PersonChange::Kind::Add, QStringLiteral("sam"), QStringLiteral("user"));
    add.oidcSubject = QStringLiteral("00u1a2b3c4D5e6F7g8h9");
    add.harborUser = QStringLiteral("sam.h");
    QVERIFY(PeopleChanges::apply(*alice, add));
    const auto sam = [&alice] {
        const auto everyone = alice->people();
        for (const WorkspacePerson &p : everyone ? everyone.value() : QList<WorkspacePerson>())
            if (p.login == QLatin1String("sam"))
                return p;
        return WorkspacePerson{};
    };
    QCOMPARE(sam().oidcSubject, QStringLiteral("00u1a2b3c4D5e6F7g8h9"));
    QCOMPARE(sam().harborUser, QStringLiteral("sam.h"));
    QVERIFY(!sam().introDone);
    PersonChange bad = add;
    bad.kind = PersonChange::Kind::Edit;
    bad.oidcSubject = QStringLiteral("has a space");
    const auto refused = PeopleChanges::apply(*alice, bad);
    QCOMPARE(refused.error().code, QStringLiteral("workspace.invalid"));
    QVERIFY2(refused.message().contains(QLatin1String("OIDC subject")), qPrintable(refused.message()));
    PersonChange edit = add;
    edit.kind = PersonChange::Kind::Edit;
    edit.oidcSubject = QStringLiteral("auth0|5f1c");
    QVERIFY(PeopleChanges::apply(*alice, edit));
    QCOMPARE(sam().oidcSubject, QStringLiteral("auth0|5f1c"));

    QVERIFY(alice->setIntroductionDone(true));
    if (kind == QLatin1String("team")) {
        // Sam records his own introduction, and cannot set his own subject.
        auto asSam = m_pg.as(QStringLiteral("sam"), database, QStringLiteral("oidc-sam"));
        QVERIFY(asSam);
        // Through the workspace service of sam's desktop: recorded, and in the copy at once.
        ServiceHost host;
        auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
        QVERIFY(join(service, QStringLiteral("sam"), database, QStringLiteral("desk-intro")));
        QSignalSpy recorded(service, &WorkspaceService::introductionRecorded);
        QMetaObject::invokeMethod(service, [service] { service->setIntroductionDone(true); });
        QTRY_COMPARE_WITH_TIMEOUT(recorded.count(), 1, 10000);
        QVERIFY2(recorded.first().at(0).toBool(), qPrintable(recorded.first().at(1).toString()));
        QVERIFY(sam().introDone);
        QTRY_COMPARE_WITH_TIMEOUT(
            value(Database::connection(),
                  QStringLiteral("SELECT intro_done || oidc_subject FROM workspace_people "
                                 "WHERE login = 'sam'")),
            QStringLiteral("1auth0|5f1c"), 10000);
        host.stopAll();
        QVERIFY(asSam->setIntroductionDone(false));
        QVERIFY(!sam().introDone);
        PersonChange mine = edit;
        mine.oidcSubject = QStringLiteral("someone-else");
        const auto own = PeopleChanges::apply(*asSam, mine);
        QCOMPARE(own.error().code, QStringLiteral("workspace.denied"));
    } else {
        QVERIFY(!sam().introDone); // the local store's admin records only their own
    }
    const auto everyone = alice->people();
    for (const WorkspacePerson &p : everyone.value())
        if (p.login == QLatin1String("alice"))
            QVERIFY(p.introDone);
}

QTEST_MAIN(TestPeople)
#include "tst_people.moc"
