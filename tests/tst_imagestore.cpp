// The image allowlist's records in the workspace store (services/workspace/imagerecords.h), on both
// kinds of store, and the team store's rules for who may allow, ask and decide: a user's request
// approved by an admin, a project's by its manager, who cannot decide a global one. PostgreSQL 15 is
// started by this test (tests/support/postgres.sh).
#include "models/connections/connectionsmodel.h"
#include "models/images/imagecopy.h"
#include "models/images/imagesmodels.h"
#include "models/store/database.h"
#include "postgrestestbed.h"
#include "services/servicehost.h"
#include "services/workspace/grantchanges.h"
#include "services/workspace/imagerecords.h"
#include "services/workspace/peoplechanges.h"
#include "services/workspace/workspaceservice.h"
#include "testutil.h"
#include "ui/panes/images/imagedialogs.h"
#include "ui/panes/images/imagespane.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestImageStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void recordsOnBothStores_data();
    void recordsOnBothStores();
    void whoMayAllowAskAndDecide();
    void copyFollowsTheStore();
    void changesFromThePane();
    void checkFromTheCommandLine();
    void allowAndImportFromTheCommandLine();
    void gateOnBothStores_data();
    void gateOnBothStores();
    void whoMaySetTheGate();
    void vulnerableFromTheCommandLine();
    void importFromThePane();

private:
    Result<WorkspaceStore> storeWithAlice(const QString &kind, const QString &name,
                                          QString *database = nullptr);
    static PersonChange add(const QString &login, const QString &role)
    {
        PersonChange c;
        c.kind = PersonChange::Kind::Add;
        c.login = login;
        c.role = role;
        return c;
    }

    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-images-XXXXXX")};
    PostgresTestbed m_pg;
};

void TestImageStore::initTestCase()
{
    QString why;
    const auto started = m_pg.start(m_dir.path(), &why);
    if (started == PostgresTestbed::Start::Missing) {
        OPSDECK_REQUIRE_COMPONENT(false, QStringLiteral("PostgreSQL 15"));
    }
    QVERIFY2(started == PostgresTestbed::Start::Ok, qPrintable(why));
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestImageStore::cleanupTestCase()
{
    m_pg.stop();
    Database::close();
}

Result<WorkspaceStore> TestImageStore::storeWithAlice(const QString &kind, const QString &name,
                                                      QString *database)
{
    return m_pg.storeWithSuperuser(kind, name, m_dir.path(), QStringLiteral("alice"), database);
}

void TestImageStore::recordsOnBothStores_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("local") << "local";
    QTest::newRow("team") << "team";
}

void TestImageStore::recordsOnBothStores()
{
    QFETCH(QString, kind);
    auto alice = storeWithAlice(kind, QStringLiteral("records-") + kind);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(*alice, add(QStringLiteral("bob"), QStringLiteral("user"))));
    QVERIFY(ImageRecords::saveProject(*alice, QStringLiteral("shop")));
    QCOMPARE(ImageRecords::saveProject(*alice, QStringLiteral("Shop!")).error().code,
             QStringLiteral("image.project"));
    QVERIFY(ImageRecords::setMember(*alice, QStringLiteral("shop"), QStringLiteral("bob"),
                                    QStringLiteral("manager")));
    QVERIFY(!ImageRecords::setMember(*alice, QStringLiteral("nope"), QStringLiteral("bob"),
                                     QStringLiteral("member")));
    const auto projects = ImageRecords::projects(*alice);
    QVERIFY(projects);
    QCOMPARE(projects->size(), 1);
    QCOMPARE(projects->first().managers, QStringList{QStringLiteral("bob")});

    // Entries: checked and normalised before the store sees them; one of each per project.
    const auto base =
        ImageRecords::allow(*alice, QStringLiteral("nginx:1.27-*"), {}, QStringLiteral("base image"),
                            QDateTime(QDate(2027, 6, 30), QTime(0, 0), Qt::UTC));
    QVERIFY2(base, base ? "" : qPrintable(base.message()));
    QCOMPARE(ImageRecords::allow(*alice, QStringLiteral("docker.io/library/nginx:1.27-*"), {},
                                 QStringLiteral("again"))
                 .error()
                 .code,
             QStringLiteral("workspace.exists"));
    QCOMPARE(ImageRecords::allow(*alice, QStringLiteral("ngi*x:1"), {}, QStringLiteral("x")).error().code,
             QStringLiteral("image.entry"));
    QCOMPARE(ImageRecords::allow(*alice, QStringLiteral("redis"), {}, QStringLiteral("  ")).error().code,
             QStringLiteral("image.reason"));
    QVERIFY(!ImageRecords::allow(*alice, QStringLiteral("redis"), QStringLiteral("nope"),
                                 QStringLiteral("cache")));
    QVERIFY(ImageRecords::allow(*alice, QStringLiteral("docker.io/library/nginx:1.27-*"),
                                QStringLiteral("shop"), QStringLiteral("the shop's too")));

    // A request, approved: the entry is added with the request's reason, and the request answered.
    const auto asked = ImageRecords::request(*alice, QStringLiteral("redis:7"), QStringLiteral("shop"),
                                             QStringLiteral("cache for the cart"));
    QVERIFY2(asked, asked ? "" : qPrintable(asked.message()));
    QCOMPARE(ImageRecords::decide(*alice, asked.value(), true, QStringLiteral("  ")).error().code,
             QStringLiteral("image.reason"));
    const QString approvedAs = QStringLiteral("sha256:") + QString(64, QLatin1Char('7'));
    const auto approved = ImageRecords::decide(*alice, asked.value(), true,
                                               QStringLiteral("fine for the shop"), {}, {}, approvedAs);
    QVERIFY2(approved, approved ? "" : qPrintable(approved.message()));
    QVERIFY(approved.value() > 0);
    const auto again = ImageRecords::decide(*alice, asked.value(), false, QStringLiteral("changed my mind"));
    QCOMPARE(again.error().code, QStringLiteral("workspace.exists"));
    const auto entries = ImageRecords::entries(*alice);
    QVERIFY(entries);
    QCOMPARE(entries->size(), 3);
    const ImageRecords::StoredEntry redis = entries->last();
    QCOMPARE(redis.entry, QStringLiteral("docker.io/library/redis:7"));
    QCOMPARE(redis.project, QStringLiteral("shop"));
    QVERIFY2(redis.reason.contains(QLatin1String("requested by alice")), qPrintable(redis.reason));
    QVERIFY(entries->first().expiresAt.startsWith(QLatin1String("2027-06-30T00:00:00")));
    QVERIFY(redis.expiresAt.isEmpty());
    QCOMPARE(redis.approvedDigest, approvedAs); // what the tag pointed to when approved
    const auto requests = ImageRecords::requests(*alice);
    QVERIFY(requests);
    QCOMPARE(requests->first().state, QStringLiteral("approved"));
    QCOMPARE(requests->first().decidedBy, QStringLiteral("alice"));
    QCOMPARE(requests->first().answer, QStringLiteral("fine for the shop"));
    QCOMPARE(requests->first().entryId, approved.value());

    // Removed, then removing again says so.
    QVERIFY(ImageRecords::revoke(*alice, redis.id));
    QCOMPARE(ImageRecords::revoke(*alice, redis.id).error().code, QStringLiteral("workspace.no-record"));
    QCOMPARE(ImageRecords::entries(*alice)->size(), 2);
}

void TestImageStore::whoMayAllowAskAndDecide()
{
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("who"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    for (const auto &[login, role] : {std::pair{"rita", "admin"}, std::pair{"pam", "user"},
                                      std::pair{"sam", "user"}, std::pair{"ned", "user"}})
        QVERIFY(PeopleChanges::apply(*alice, add(QLatin1String(login), QLatin1String(role))));
    QVERIFY(ImageRecords::saveProject(*alice, QStringLiteral("shop")));
    QVERIFY(ImageRecords::setMember(*alice, QStringLiteral("shop"), QStringLiteral("pam"),
                                    QStringLiteral("manager")));
    // Ned may not ask for images at all.
    GrantChange deny;
    deny.grant.subjectKind = QStringLiteral("person");
    deny.grant.subject = QStringLiteral("ned");
    deny.grant.action = QStringLiteral("image.request");
    deny.grant.allow = false;
    QVERIFY(GrantChanges::apply(*alice, deny));
    auto rita = m_pg.as(QStringLiteral("rita"), database, QStringLiteral("who-rita"));
    auto pam = m_pg.as(QStringLiteral("pam"), database, QStringLiteral("who-pam"));
    auto sam = m_pg.as(QStringLiteral("sam"), database, QStringLiteral("who-sam"));
    auto ned = m_pg.as(QStringLiteral("ned"), database, QStringLiteral("who-ned"));
    QVERIFY(rita && pam && sam && ned);

    // Only admins make projects; a user cannot allow anything, a manager only in their project.
    QCOMPARE(ImageRecords::saveProject(*sam, QStringLiteral("mine")).error().code,
             QStringLiteral("workspace.denied"));
    QCOMPARE(ImageRecords::allow(*sam, QStringLiteral("nginx"), {}, QStringLiteral("x")).error().code,
             QStringLiteral("workspace.denied"));
    QCOMPARE(ImageRecords::allow(*pam, QStringLiteral("nginx"), {}, QStringLiteral("x")).error().code,
             QStringLiteral("workspace.denied"));
    QVERIFY(ImageRecords::allow(*pam, QStringLiteral("shop/web:3"), QStringLiteral("shop"),
                                QStringLiteral("ours")));
    QVERIFY(ImageRecords::allow(*rita, QStringLiteral("postgres:15"), {}, QStringLiteral("the database")));

    // Sam asks twice; ned may not ask.
    const auto global =
        ImageRecords::request(*sam, QStringLiteral("nginx:1.28"), {}, QStringLiteral("new nginx"));
    const auto forShop = ImageRecords::request(*sam, QStringLiteral("shop/api:2"), QStringLiteral("shop"),
                                               QStringLiteral("the api"));
    QVERIFY(global && forShop);
    QCOMPARE(ImageRecords::request(*ned, QStringLiteral("nginx"), {}, QStringLiteral("please")).error().code,
             QStringLiteral("workspace.denied"));
    // Nobody decides their own request without the right; the manager decides the project's only.
    QCOMPARE(ImageRecords::decide(*sam, forShop.value(), true, QStringLiteral("me")).error().code,
             QStringLiteral("workspace.denied"));
    const auto pamGlobal = ImageRecords::decide(*pam, global.value(), true, QStringLiteral("sure"));
    QCOMPARE(pamGlobal.error().code, QStringLiteral("workspace.denied"));
    QVERIFY2(pamGlobal.message().contains(QLatin1String("global")), qPrintable(pamGlobal.message()));
    QVERIFY(ImageRecords::decide(*pam, forShop.value(), true, QStringLiteral("ok for the shop")));
    QVERIFY(ImageRecords::decide(*rita, global.value(), false, QStringLiteral("wait for 1.28.1")));
    // Straight into the tables: refused.
    QSqlQuery q(sam->db());
    QVERIFY(!q.exec(
        QStringLiteral("INSERT INTO image_allowlist (entry, reason, added_by) VALUES ('x', 'y', 'sam')")));
    QVERIFY(!q.exec(QStringLiteral("UPDATE image_requests SET state = 'approved'")));

    // What everyone reads: sam sees both answers.
    const auto requests = ImageRecords::requests(*sam);
    QVERIFY(requests);
    QCOMPARE(requests->size(), 2);
    QCOMPARE(requests->at(0).state, QStringLiteral("denied"));
    QCOMPARE(requests->at(0).answer, QStringLiteral("wait for 1.28.1"));
    QCOMPARE(requests->at(1).state, QStringLiteral("approved"));
    QCOMPARE(requests->at(1).decidedBy, QStringLiteral("pam"));
    QStringList entries;
    const auto read = ImageRecords::entries(*sam);
    QVERIFY(read);
    for (const auto &e : read.value())
        entries << e.entry + QLatin1Char('@') + (e.project.isEmpty() ? QStringLiteral("global") : e.project);
    QCOMPARE(entries, (QStringList{QStringLiteral("docker.io/shop/web:3@shop"),
                                   QStringLiteral("docker.io/library/postgres:15@global"),
                                   QStringLiteral("docker.io/shop/api:2@shop")}));
}

void TestImageStore::copyFollowsTheStore()
{
    // A desktop joined as sam: what rita allows and decides elsewhere reaches sam's cache through
    // the store's announcements, and the copy decides like the store's entries would.
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("copy"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    for (const auto &[login, role] : {std::pair{"rita", "admin"}, std::pair{"sam", "user"}})
        QVERIFY(PeopleChanges::apply(*alice, add(QLatin1String(login), QLatin1String(role))));
    QVERIFY(ImageRecords::saveProject(*alice, QStringLiteral("shop")));
    auto rita = m_pg.as(QStringLiteral("rita"), database, QStringLiteral("copy-rita"));
    QVERIFY(rita);

    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    service->setHealthInterval(60000); // only the announcements bring changes
    QSignalSpy joined(service, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("sam"), database);
    QMetaObject::invokeMethod(
        service, [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-sam"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));
    const auto cached = [](const QString &sql) {
        QSqlQuery q(Database::connection());
        return q.exec(sql) && q.next() ? q.value(0).toString() : QStringLiteral("<none>");
    };
    QTRY_COMPARE_WITH_TIMEOUT(cached(QStringLiteral("SELECT name FROM workspace_projects")),
                              QStringLiteral("shop"), 10000);

    QVERIFY(ImageRecords::allow(*rita, QStringLiteral("nginx:1.27-*"), {}, QStringLiteral("base image"),
                                QDateTime::currentDateTimeUtc().addDays(30)));
    QTRY_COMPARE_WITH_TIMEOUT(
        cached(QStringLiteral("SELECT entry || ' ' || added_by FROM workspace_image_allowlist")),
        QStringLiteral("docker.io/library/nginx:1.27-* rita"), 10000);
    const auto copy = readAllowlistCopy(Database::connection());
    QVERIFY2(copy, copy ? "" : qPrintable(copy.message()));
    QVERIFY(copy->problems.isEmpty());
    const Allowlist list(copy->entries);
    const auto image = [](const QString &ref) {
        return normalizeImage(parseImageReference(ref).value());
    };
    const AllowDecision yes =
        list.decide(image(QStringLiteral("nginx:1.27-alpine")), {}, QDateTime::currentDateTimeUtc());
    QVERIFY2(yes.allowed, qPrintable(yes.reason));
    QVERIFY2(yes.reason.contains(QLatin1String("rita: base image")), qPrintable(yes.reason));
    // The expiry came along: past it, the copy no longer allows.
    QVERIFY(!list.decide(image(QStringLiteral("nginx:1.27-alpine")), {},
                         QDateTime::currentDateTimeUtc().addDays(31))
                 .allowed);

    // Sam's request, answered by rita: sam's copy shows the answer.
    auto sam = m_pg.as(QStringLiteral("sam"), database, QStringLiteral("copy-sam"));
    QVERIFY(sam);
    const auto asked = ImageRecords::request(*sam, QStringLiteral("redis:7"), QStringLiteral("shop"),
                                             QStringLiteral("cache"));
    QVERIFY(asked);
    QTRY_COMPARE_WITH_TIMEOUT(cached(QStringLiteral("SELECT state FROM workspace_image_requests")),
                              QStringLiteral("pending"), 10000);
    QVERIFY(ImageRecords::decide(*rita, asked.value(), true, QStringLiteral("go ahead")));
    QTRY_COMPARE_WITH_TIMEOUT(cached(QStringLiteral("SELECT state || ' ' || decided_by || ' ' || answer FROM "
                                                    "workspace_image_requests")),
                              QStringLiteral("approved rita go ahead"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(cached(QStringLiteral("SELECT COUNT(*) FROM workspace_image_allowlist")),
                              QStringLiteral("2"), 10000);
    host.stopAll();
}

void TestImageStore::changesFromThePane()
{
    // The Images pane on sam's desktop (a user, member of shop): sam asks for an image, may not
    // approve it, and sees rita's approval arrive; every change audited, made or refused.
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("pane"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    for (const auto &[login, role] : {std::pair{"rita", "admin"}, std::pair{"sam", "user"}})
        QVERIFY(PeopleChanges::apply(*alice, add(QLatin1String(login), QLatin1String(role))));
    QVERIFY(ImageRecords::saveProject(*alice, QStringLiteral("shop")));
    QVERIFY(ImageRecords::setMember(*alice, QStringLiteral("shop"), QStringLiteral("sam"),
                                    QStringLiteral("member")));
    auto rita = m_pg.as(QStringLiteral("rita"), database, QStringLiteral("pane-rita"));
    QVERIFY(rita);

    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    service->setHealthInterval(60000);
    QSignalSpy joined(service, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("sam"), database);
    QMetaObject::invokeMethod(
        service, [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-pane"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));

    ConnectionsModel connections;
    ImagesPane pane(&connections, service, nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(pane.tabs()->isVisibleTo(&pane),
                             5000); // the workspace: the tabs, not the empty state
    QSignalSpy changed(service, &WorkspaceService::imagesChanged);
    ImageChange ask;
    ask.kind = ImageChange::Kind::Request;
    ask.text = QStringLiteral("redis:7.2");
    ask.project = QStringLiteral("shop");
    ask.reason = QStringLiteral("session cache");
    ImageChange bad = ask;
    bad.text = QStringLiteral("Redis:7.2!"); // not a reference: refused before the store is asked
    pane.apply({ask, bad});
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
    QCOMPARE(changed.first().at(1).toInt(), 1);
    QCOMPARE(changed.first().at(2).toStringList().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(pane.requests()->rowCount(), 1, 10000);
    // The spy hears the service at once; the pane's slot runs on this thread's next turn.
    QTRY_VERIFY2(pane.messageText().contains(QStringLiteral("Redis:7.2!")), qPrintable(pane.messageText()));
    const qint64 id = pane.requests()->index(0, 0).data(CacheTableModel::KeyRole).toLongLong();
    QCOMPARE(pane.requests()->index(0, ImageRequestsModel::State).data().toString(),
             QStringLiteral("waiting"));
    QCOMPARE(pane.requests()->index(0, ImageRequestsModel::RequestedBy).data().toString(),
             QStringLiteral("sam"));
    // The request selected: sam's buttons offer the decision, the store refuses it.
    pane.requestsView()->selectRow(0);
    QVERIFY(pane.approveButton()->isEnabled());
    ImageChange approve;
    approve.kind = ImageChange::Kind::Approve;
    approve.id = id;
    approve.reason = QStringLiteral("fine by me");
    pane.apply({approve});
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10000);
    QCOMPARE(changed.at(1).at(1).toInt(), 0);
    // As above: the pane takes the answer on this thread's next turn.
    QTRY_VERIFY2(pane.messageText().contains(QStringLiteral("sam may not decide")),
                 qPrintable(pane.messageText()));
    // Rita approves elsewhere: sam's pane follows.
    QVERIFY(ImageRecords::decide(*rita, id, true, QStringLiteral("go ahead")));
    QTRY_COMPARE_WITH_TIMEOUT(pane.requests()->index(0, ImageRequestsModel::State).data().toString(),
                              QStringLiteral("approved"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(pane.allowlist()->rowCount(), 1, 10000);
    QCOMPARE(pane.allowlist()->index(0, AllowlistModel::Scope).data().toString(),
             QStringLiteral("Project shop"));
    QCOMPARE(pane.allowlist()->index(0, AllowlistModel::Entry).data().toString(),
             QStringLiteral("docker.io/library/redis:7.2"));
    // Audited on this desktop: the request made, the bad one and the approval refused.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT action, outcome, target_name FROM audit_events WHERE action IN "
                                  "('image.request', 'image.approve') ORDER BY id")));
    QStringList events;
    while (q.next())
        events << q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString() + QLatin1Char(' ') +
                      q.value(2).toString();
    QCOMPARE(events, (QStringList{QStringLiteral("image.request success redis:7.2"),
                                  QStringLiteral("image.request failure Redis:7.2!"),
                                  QStringLiteral("image.approve failure ")}));
    host.stopAll();
}

void TestImageStore::checkFromTheCommandLine()
{
    // `opsdeck images check` on this cache's copy of the allowlist (as the workspace service writes
    // it): nginx:1.27-* global for 30 days, redis:7 for the shop, and an entry that expired.
    // Read-only and offline.
    {
        QSqlQuery q(Database::connection());
        QVERIFY(q.exec(QStringLiteral("DELETE FROM workspace_image_allowlist")));
        q.prepare(QStringLiteral(
            "INSERT INTO workspace_image_allowlist (id, entry, project, reason, added_by, added_at, "
            "expires_at) VALUES (?, ?, ?, ?, 'rita', '2026-01-01T00:00:00.000Z', ?)"));
        const QString soon = QDateTime::currentDateTimeUtc().addDays(30).toString(Qt::ISODateWithMs);
        for (const QStringList &row :
             {QStringList{QStringLiteral("1"), QStringLiteral("docker.io/library/nginx:1.27-*"), QString(),
                          QStringLiteral("base image"), soon},
              QStringList{QStringLiteral("2"), QStringLiteral("docker.io/library/redis:7"),
                          QStringLiteral("shop"), QStringLiteral("cache"), QString()},
              QStringList{QStringLiteral("990"), QStringLiteral("docker.io/library/old:1"), QString(),
                          QStringLiteral("legacy"), QStringLiteral("2021-01-01T00:00:00.000Z")}}) {
            for (const QString &v : row)
                q.addBindValue(v.isNull() ? QStringLiteral("") : v);
            QVERIFY(q.exec());
        }
    }
    const auto run = [this](const QStringList &args, QString *out = nullptr, QString *errors = nullptr) {
        QProcess cli;
        cli.start(QStringLiteral(OPSDECK_APP), QStringList{QStringLiteral("images")} + args +
                                                   QStringList{QStringLiteral("--data-dir"), m_dir.path()});
        if (!cli.waitForFinished(60000))
            return -1;
        if (out)
            *out = QString::fromLocal8Bit(cli.readAllStandardOutput());
        if (errors)
            *errors = QString::fromLocal8Bit(cli.readAllStandardError());
        return cli.exitCode();
    };
    QString out;
    QString errors;
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("nginx:1.27-alpine")}, &out), 0);
    QVERIFY2(out.startsWith(QLatin1String("allowed\tnginx:1.27-alpine\t")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("docker.io/library/nginx:1.27-*")), qPrintable(out));
    // Outside the shop, redis is not allowed: exit 1, each image on its line.
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("nginx:1.28"), QStringLiteral("redis:7")}, &out),
             1);
    QCOMPARE(out.count(QLatin1String("refused\t")), 2);
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("--project"), QStringLiteral("shop"),
                  QStringLiteral("redis:7"), QStringLiteral("index.docker.io/library/nginx:1.27-slim")},
                 &out),
             0);
    // Expired: refused, and the entry named.
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("old:1")}, &out), 1);
    QVERIFY2(out.contains(QLatin1String("expired")) && out.contains(QLatin1String("entry 990")),
             qPrintable(out));
    // Not a reference: refused with why.
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("Bad Ref")}, &out), 1);
    QVERIFY2(out.contains(QLatin1String("not an image reference")), qPrintable(out));
    // JSON: the same, for scripts.
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("--json"), QStringLiteral("nginx:1.27-alpine"),
                  QStringLiteral("old:1")},
                 &out),
             1);
    const QJsonArray results = QJsonDocument::fromJson(out.toUtf8()).array();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(0)[QStringLiteral("allowed")].toBool(), true);
    QCOMPARE(results.at(0)[QStringLiteral("normalized")].toString(),
             QStringLiteral("docker.io/library/nginx:1.27-alpine"));
    QCOMPARE(results.at(0)[QStringLiteral("entry")][QStringLiteral("added_by")].toString(),
             QStringLiteral("rita"));
    QVERIFY(!results.at(0)[QStringLiteral("entry")][QStringLiteral("expires_at")].toString().isEmpty());
    QCOMPARE(results.at(1)[QStringLiteral("allowed")].toBool(), false);
    QCOMPARE(results.at(1)[QStringLiteral("entry")][QStringLiteral("id")].toInt(), 990);
    // A compose file, as compose resolves it: interpolation from --env-file, profiles, built services.
    const QString composeDir = m_dir.filePath(QStringLiteral("compose-check"));
    QVERIFY(QDir().mkpath(composeDir));
    QFile compose(composeDir + QStringLiteral("/compose.yaml"));
    QVERIFY(compose.open(QIODevice::WriteOnly));
    compose.write("services:\n"
                  "  web:\n    image: nginx:1.27-${NGINX_FLAVOR}\n"
                  "  worker:\n    build: .\n"
                  "  cache:\n    image: redis:${REDIS:?set REDIS to the redis version}\n"
                  "  debug:\n    image: busybox:latest\n    profiles: [debug]\n");
    compose.close();
    QFile env(composeDir + QStringLiteral("/ci.env"));
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("NGINX_FLAVOR=alpine\nREDIS=7\n");
    env.close();
    const QStringList composeArgs{QStringLiteral("check"), QStringLiteral("--compose"),
                                  composeDir + QStringLiteral("/compose.yaml"), QStringLiteral("--env-file"),
                                  composeDir + QStringLiteral("/ci.env")};
    QCOMPARE(run(composeArgs + QStringList{QStringLiteral("--project"), QStringLiteral("shop")}, &out), 0);
    QVERIFY2(out.contains(QLatin1String("allowed\tweb=nginx:1.27-alpine\t")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("built\tworker=(build)\t")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("allowed\tcache=redis:7\t")), qPrintable(out));
    QVERIFY2(!out.contains(QLatin1String("debug")), qPrintable(out)); // its profile is not enabled
    QCOMPARE(run(composeArgs, &out), 1);                              // outside the shop, redis is refused
    QVERIFY2(out.contains(QLatin1String("refused\tcache=redis:7\t")), qPrintable(out));
    // A required variable left unset: a clear refusal, exit 2.
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("--compose"),
                  composeDir + QStringLiteral("/compose.yaml")},
                 &out, &errors),
             2);
    QVERIFY2(errors.contains(QLatin1String("set REDIS to the redis version")), qPrintable(errors));
    // Usage mistakes: 2.
    QCOMPARE(run({QStringLiteral("check")}, nullptr, &errors), 2);
    QVERIFY2(errors.contains(QLatin1String("one or more images")), qPrintable(errors));
    QCOMPARE(run({QStringLiteral("allow")}, nullptr, &errors), 2);
}

void TestImageStore::allowAndImportFromTheCommandLine()
{
    // A data directory that joined no team: allow and import change its local store, record each
    // entry in its audit log, and its copy follows at once, so that check sees them.
    const QString dir = m_dir.filePath(QStringLiteral("cli-local"));
    const auto run = [&dir](const QStringList &args, QString *out = nullptr, QString *errors = nullptr) {
        QProcess cli;
        cli.start(QStringLiteral(OPSDECK_APP), QStringList{QStringLiteral("images")} + args +
                                                   QStringList{QStringLiteral("--data-dir"), dir});
        if (!cli.waitForFinished(60000))
            return -1;
        if (out)
            *out = QString::fromLocal8Bit(cli.readAllStandardOutput());
        if (errors)
            *errors = QString::fromLocal8Bit(cli.readAllStandardError());
        return cli.exitCode();
    };
    QString out;
    QString errors;
    QCOMPARE(run({QStringLiteral("allow"), QStringLiteral("nginx:1.27-*")}, nullptr, &errors),
             2); // no reason
    QCOMPARE(run({QStringLiteral("allow"), QStringLiteral("nginx:1.27-*"), QStringLiteral("--reason"),
                  QStringLiteral("base image")},
                 &out, &errors),
             0);
    QVERIFY2(out.contains(QLatin1String("docker.io/library/nginx:1.27-*")), qPrintable(out + errors));
    QCOMPARE(run({QStringLiteral("allow"), QStringLiteral("nginx:1.27-*"), QStringLiteral("--reason"),
                  QStringLiteral("again")},
                 nullptr, &errors),
             1);
    QVERIFY2(errors.contains(QLatin1String("already")), qPrintable(errors));
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("nginx:1.27-alpine")}), 0);

    QFile list(m_dir.filePath(QStringLiteral("list.txt")));
    QVERIFY(list.open(QIODevice::WriteOnly));
    list.write("redis:7 # cache\nngi*x:1\nnginx:1.27-*\n");
    list.close();
    // A bad line: the plan says so and nothing is imported.
    QCOMPARE(run({QStringLiteral("import"), list.fileName()}, &out, &errors), 1);
    QVERIFY2(out.contains(QLatin1String("2\tinvalid")) && out.contains(QLatin1String("3\tallowed")),
             qPrintable(out));
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("redis:7")}), 1);
    QVERIFY(list.open(QIODevice::WriteOnly | QIODevice::Truncate));
    list.write("redis:7 # cache\nghcr.io/acme/api\nnginx:1.27-*\n");
    list.close();
    QCOMPARE(run({QStringLiteral("import"), list.fileName(), QStringLiteral("--reason"),
                  QStringLiteral("team list"), QStringLiteral("--dry-run")},
                 &out),
             0);
    QVERIFY2(out.contains(QLatin1String("2 entry(ies) would be added")) ||
                 out.contains(QLatin1String("2 entries")),
             qPrintable(out));
    QCOMPARE(run({QStringLiteral("check"), QStringLiteral("redis:7")}), 1); // a dry run changes nothing
    QCOMPARE(run({QStringLiteral("import"), list.fileName(), QStringLiteral("--reason"),
                  QStringLiteral("team list")},
                 &out, &errors),
             0);
    QCOMPARE(
        run({QStringLiteral("check"), QStringLiteral("redis:7"), QStringLiteral("ghcr.io/acme/api:2")}, &out),
        0);
    QVERIFY2(out.contains(QLatin1String("team list")), qPrintable(out));
    // Each entry in the data directory's audit log.
    {
        QSqlDatabase log = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("images-log"));
        log.setDatabaseName(dir + QStringLiteral("/cache.sqlite"));
        QVERIFY(log.open());
        QSqlQuery q(log);
        QVERIFY(q.exec(QStringLiteral(
                    "SELECT group_concat(outcome, ' ') FROM (SELECT outcome FROM audit_events WHERE "
                    "action = 'image.allow' ORDER BY id)")) &&
                q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("success failure success success"));
        q.finish();
        log.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("images-log"));
}

void TestImageStore::gateOnBothStores_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("local") << "local";
    QTest::newRow("team") << "team";
}

void TestImageStore::gateOnBothStores()
{
    QFETCH(QString, kind);
    auto alice = storeWithAlice(kind, QStringLiteral("gate-") + kind);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(ImageRecords::saveProject(*alice, QStringLiteral("shop")));
    GateSetting global;
    global.threshold = Severity::High;
    global.comment = QStringLiteral("after the openssl scare");
    QVERIFY(ImageRecords::setGate(*alice, global));
    GateSetting shop;
    shop.project = QStringLiteral("shop");
    shop.threshold = Severity::Medium;
    shop.blockUnscanned = true;
    QVERIFY(ImageRecords::setGate(*alice, shop));
    shop.project = QStringLiteral("nope");
    const auto noProject = ImageRecords::setGate(*alice, shop);
    QVERIFY(!noProject);
    QVERIFY2(noProject.message().contains(QLatin1String("nope")), qPrintable(noProject.message()));
    // Set again: replaced, not added.
    global.threshold = Severity::Critical;
    QVERIFY(ImageRecords::setGate(*alice, global));
    const auto settings = ImageRecords::gateSettings(*alice);
    QVERIFY2(settings, qPrintable(settings.message()));
    QCOMPARE(settings->size(), 2);
    QCOMPARE(settings->at(0).project, QString());
    QCOMPARE(*settings->at(0).threshold, Severity::Critical);
    QCOMPARE(settings->at(0).updatedBy, QStringLiteral("alice"));
    QVERIFY(settings->at(0).updatedAt.isValid());
    QCOMPARE(settings->at(1).project, QStringLiteral("shop"));
    QVERIFY(settings->at(1).blockUnscanned);

    // Exceptions: checked first, then kept with who granted them.
    CveException e;
    e.cve = QStringLiteral("cve-2024-6119");
    e.image = QStringLiteral("registry.acme.internal/shop/web:2.4.*");
    e.reason = QStringLiteral("fix ships in 2.4.2");
    e.expiresAt = QDateTime::currentDateTimeUtc().addDays(14);
    const auto granted = ImageRecords::grantException(*alice, e);
    QVERIFY2(granted, qPrintable(granted.message()));
    CveException bad = e;
    bad.expiresAt = QDateTime::currentDateTimeUtc().addSecs(-60);
    QCOMPARE(ImageRecords::grantException(*alice, bad).error().code, QStringLiteral("image.expiry"));
    bad = e;
    bad.image.clear();
    QCOMPARE(ImageRecords::grantException(*alice, bad).error().code, QStringLiteral("image.exception"));
    bad.project = QStringLiteral("nope");
    QVERIFY(!ImageRecords::grantException(*alice, bad));
    CveException forShop = e;
    forShop.image.clear();
    forShop.project = QStringLiteral("shop");
    forShop.cve = QStringLiteral("GHSA-jfh8-c2jp-5v3q");
    QVERIFY(ImageRecords::grantException(*alice, forShop));
    const auto exceptions = ImageRecords::exceptions(*alice);
    QVERIFY2(exceptions, qPrintable(exceptions.message()));
    QCOMPARE(exceptions->size(), 2);
    QCOMPARE(exceptions->at(0).cve, QStringLiteral("CVE-2024-6119"));
    QCOMPARE(exceptions->at(0).image, QStringLiteral("registry.acme.internal/shop/web:2.4.*"));
    QCOMPARE(exceptions->at(0).grantedBy, QStringLiteral("alice"));
    QCOMPARE(exceptions->at(0).expiresAt.toSecsSinceEpoch(), e.expiresAt.toSecsSinceEpoch());
    QCOMPARE(exceptions->at(1).project, QStringLiteral("shop"));
    QCOMPARE(exceptions->at(1).cve, QStringLiteral("GHSA-JFH8-C2JP-5V3Q"));
    QVERIFY(ImageRecords::revokeException(*alice, granted.value()));
    QCOMPARE(ImageRecords::revokeException(*alice, granted.value()).error().code,
             QStringLiteral("workspace.no-record"));
    QCOMPARE(ImageRecords::exceptions(*alice)->size(), 1);
}

void TestImageStore::whoMaySetTheGate()
{
    // The team store decides: the global gate and exceptions for every project are image.approve's
    // everywhere (an admin's); a project's are its manager's; a user has neither.
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("gatewho"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    for (const auto &[login, role] :
         {std::pair{"rita", "admin"}, std::pair{"pam", "user"}, std::pair{"sam", "user"}})
        QVERIFY(PeopleChanges::apply(*alice, add(QLatin1String(login), QLatin1String(role))));
    QVERIFY(ImageRecords::saveProject(*alice, QStringLiteral("shop")));
    QVERIFY(ImageRecords::setMember(*alice, QStringLiteral("shop"), QStringLiteral("pam"),
                                    QStringLiteral("manager")));
    auto rita = m_pg.as(QStringLiteral("rita"), database, QStringLiteral("gatewho-rita"));
    auto pam = m_pg.as(QStringLiteral("pam"), database, QStringLiteral("gatewho-pam"));
    auto sam = m_pg.as(QStringLiteral("sam"), database, QStringLiteral("gatewho-sam"));
    QVERIFY(rita && pam && sam);
    GateSetting global;
    global.threshold = Severity::High;
    GateSetting shop = global;
    shop.project = QStringLiteral("shop");
    QCOMPARE(ImageRecords::setGate(*sam, global).error().code, QStringLiteral("workspace.denied"));
    QCOMPARE(ImageRecords::setGate(*sam, shop).error().code, QStringLiteral("workspace.denied"));
    const auto pamGlobal = ImageRecords::setGate(*pam, global);
    QCOMPARE(pamGlobal.error().code, QStringLiteral("workspace.denied"));
    QVERIFY2(pamGlobal.message().contains(QLatin1String("of the workspace")),
             qPrintable(pamGlobal.message()));
    QVERIFY(ImageRecords::setGate(*pam, shop));
    QVERIFY(ImageRecords::setGate(*rita, global));
    CveException e;
    e.cve = QStringLiteral("CVE-2024-6119");
    e.project = QStringLiteral("shop");
    e.reason = QStringLiteral("fix next sprint");
    e.expiresAt = QDateTime::currentDateTimeUtc().addDays(7);
    QCOMPARE(ImageRecords::grantException(*sam, e).error().code, QStringLiteral("workspace.denied"));
    const auto pamShop = ImageRecords::grantException(*pam, e);
    QVERIFY2(pamShop, qPrintable(pamShop.message()));
    CveException everywhere = e;
    everywhere.project.clear();
    everywhere.image = QStringLiteral("nginx");
    QCOMPARE(ImageRecords::grantException(*pam, everywhere).error().code, QStringLiteral("workspace.denied"));
    QVERIFY(ImageRecords::grantException(*rita, everywhere));
    QCOMPARE(ImageRecords::revokeException(*sam, pamShop.value()).error().code,
             QStringLiteral("workspace.denied"));
    // Straight into the tables: refused; an expiry in the past: refused by the store too.
    QSqlQuery q(pam->db());
    QVERIFY(!q.exec(QStringLiteral("UPDATE image_gate SET threshold = ''")));
    QVERIFY(!q.exec(QStringLiteral("SELECT opsdeck_cve_exception_grant('CVE-2024-1', '', 'shop', 'x', "
                                   "now() - interval '1 day')")));
    const auto settings = ImageRecords::gateSettings(*sam);
    QVERIFY(settings);
    QCOMPARE(settings->size(), 2);
    QCOMPARE(settings->at(1).updatedBy, QStringLiteral("pam"));
}

void TestImageStore::vulnerableFromTheCommandLine()
{
    // The cache of a desktop that synced a Harbor: shop/web:2.4.1 scanned with a critical and a high
    // finding, shop/api:1.0 scanned clean, shop/tool:1 never scanned; the allowlist allows all of
    // shop/*, and the gate blocks High and above.
    const QString harbor = QStringLiteral("registry.acme.internal");
    const QString web = QStringLiteral("sha256:") + QString(64, QLatin1Char('1'));
    const QString api = QStringLiteral("sha256:") + QString(64, QLatin1Char('2'));
    const QString tool = QStringLiteral("sha256:") + QString(64, QLatin1Char('3'));
    const auto exec = [](const QString &sql, const QVariantList &values = {}) {
        QSqlQuery q(Database::connection());
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        return q.exec() ? QString() : q.lastError().text();
    };
    const QString stamp = QStringLiteral("2026-12-01T00:00:00.000Z");
    for (const QString &table :
         {QStringLiteral("workspace_image_allowlist"), QStringLiteral("workspace_image_gate"),
          QStringLiteral("workspace_cve_exceptions")})
        QCOMPARE(exec(QStringLiteral("DELETE FROM ") + table), QString());
    QCOMPARE(
        exec(QStringLiteral("INSERT INTO connections (id, uid, kind, name, endpoint, created_at, updated_at) "
                            "VALUES (77, 'harbor-cli', 'harbor', 'acme harbor', 'https://") +
                 harbor + QStringLiteral("', ?, ?)"),
             {stamp, stamp}),
        QString());
    QCOMPARE(exec(QStringLiteral("INSERT INTO sync_state (connection_id, scope, last_success_at) VALUES (77, "
                                 "'images', ?)"),
                  {stamp}),
             QString());
    QCOMPARE(
        exec(QStringLiteral("INSERT INTO registry_repositories (connection_id, name, project, synced_at) "
                            "VALUES (77, 'shop/web', 'shop', ?), (77, 'shop/api', 'shop', ?), "
                            "(77, 'shop/tool', 'shop', ?)"),
             {stamp, stamp, stamp}),
        QString());
    const QString tag = QStringLiteral(
        "INSERT INTO registry_tags (connection_id, repository, tag, digest, scan_status, severity, critical, "
        "high, medium, synced_at) VALUES (77, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    QCOMPARE(exec(tag, {QStringLiteral("shop/web"), QStringLiteral("2.4.1"), web, QStringLiteral("Success"),
                        QStringLiteral("Critical"), 1, 1, 0, stamp}),
             QString());
    QCOMPARE(exec(tag, {QStringLiteral("shop/api"), QStringLiteral("1.0"), api, QStringLiteral("Success"),
                        QStringLiteral("None"), 0, 0, 0, stamp}),
             QString());
    QCOMPARE(exec(tag, {QStringLiteral("shop/tool"), QStringLiteral("1"), tool, QString(""), QString(""), 0,
                        0, 0, stamp}),
             QString());
    const QString finding =
        QStringLiteral("INSERT INTO image_vulnerabilities (connection_id, repository, digest, cve, package, "
                       "version, fix_version, "
                       "severity, fetched_at) VALUES (77, 'shop/web', ?, ?, ?, ?, ?, ?, ?)");
    QCOMPARE(
        exec(finding, {web, QStringLiteral("CVE-2024-6119"), QStringLiteral("openssl"),
                       QStringLiteral("3.0.2"), QStringLiteral("3.0.15"), QStringLiteral("Critical"), stamp}),
        QString());
    QCOMPARE(exec(finding, {web, QStringLiteral("CVE-2023-45853"), QStringLiteral("zlib"),
                            QStringLiteral("1.2.13"), QString(""), QStringLiteral("High"), stamp}),
             QString());
    QCOMPARE(
        exec(QStringLiteral("INSERT INTO workspace_image_allowlist (id, entry, project, reason, added_by) "
                            "VALUES (1, ?, '', 'ours', 'rita')"),
             {harbor + QStringLiteral("/shop/*")}),
        QString());
    QCOMPARE(exec(QStringLiteral("INSERT INTO workspace_image_gate (project, threshold, block_unscanned, "
                                 "updated_by) VALUES ('', 'High', 0, 'rita'), ('shop', '', 1, 'pam')")),
             QString());
    const QString soon = QDateTime::currentDateTimeUtc().addDays(10).toString(Qt::ISODateWithMs);
    const QString past = QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODateWithMs);
    const QString exception = QStringLiteral("INSERT INTO workspace_cve_exceptions (id, cve, image, project, "
                                             "reason, granted_by, expires_at) VALUES "
                                             "(?, ?, ?, ?, 'vendor fix pending', 'rita', ?)");
    // In ml both findings are excepted; in lab both were, but one exception has expired.
    QCOMPARE(exec(exception, {5, QStringLiteral("CVE-2024-6119"), harbor + QStringLiteral("/shop/web:2.4.*"),
                              QStringLiteral("ml"), soon}),
             QString());
    QCOMPARE(exec(exception, {6, QStringLiteral("CVE-2023-45853"), QString(""), QStringLiteral("ml"), soon}),
             QString());
    QCOMPARE(exec(exception, {7, QStringLiteral("CVE-2023-45853"), QString(""), QStringLiteral("lab"), past}),
             QString());
    QCOMPARE(exec(exception, {8, QStringLiteral("CVE-2024-6119"), QString(""), QStringLiteral("lab"), soon}),
             QString());
    const auto run = [this](const QStringList &args, QString *out) {
        QProcess cli;
        cli.start(QStringLiteral(OPSDECK_APP),
                  QStringList{QStringLiteral("images"), QStringLiteral("check")} + args +
                      QStringList{QStringLiteral("--data-dir"), m_dir.path()});
        if (!cli.waitForFinished(60000))
            return -1;
        *out = QString::fromLocal8Bit(cli.readAllStandardOutput());
        return cli.exitCode();
    };
    QString out;
    // Vulnerable: refused, with the findings named.
    QCOMPARE(run({harbor + QStringLiteral("/shop/web:2.4.1")}, &out), 1);
    QVERIFY2(out.startsWith(QLatin1String("refused	")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("CVE-2024-6119 (Critical, openssl 3.0.2, fixed in 3.0.15)")),
             qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("CVE-2023-45853 (High, zlib 1.2.13, no fix yet)")), qPrintable(out));
    // Clean: allowed; never scanned: allowed globally, refused in shop (which blocks unscanned images).
    QCOMPARE(run({harbor + QStringLiteral("/shop/api:1.0"), harbor + QStringLiteral("/shop/tool:1")}, &out),
             0);
    QCOMPARE(out.count(QLatin1String("allowed	")), 2);
    QCOMPARE(
        run({QStringLiteral("--project"), QStringLiteral("shop"), harbor + QStringLiteral("/shop/tool:1")},
            &out),
        1);
    QVERIFY2(out.contains(QLatin1String("never scanned")), qPrintable(out));
    // Overridden: in ml, exceptions cover both findings.
    QCOMPARE(
        run({QStringLiteral("--project"), QStringLiteral("ml"), harbor + QStringLiteral("/shop/web:2.4.1")},
            &out),
        0);
    QVERIFY2(out.startsWith(QLatin1String("overridden	")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("covered by exceptions 5, 6")), qPrintable(out));
    // Expired: in lab the second exception no longer counts.
    QCOMPARE(
        run({QStringLiteral("--project"), QStringLiteral("lab"), harbor + QStringLiteral("/shop/web:2.4.1")},
            &out),
        1);
    QVERIFY2(out.contains(QLatin1String("CVE-2023-45853")) && !out.contains(QLatin1String("CVE-2024-6119 (")),
             qPrintable(out));
    // JSON: the findings and the exceptions, for scripts.
    QCOMPARE(run({QStringLiteral("--json"), QStringLiteral("--project"), QStringLiteral("lab"),
                  harbor + QStringLiteral("/shop/web:2.4.1")},
                 &out),
             1);
    const QJsonObject r = QJsonDocument::fromJson(out.toUtf8()).array().at(0).toObject();
    QCOMPARE(r[QStringLiteral("allowed")].toBool(), false);
    const QJsonObject gate = r[QStringLiteral("gate")].toObject();
    QCOMPARE(gate[QStringLiteral("blocked")].toBool(), true);
    QCOMPARE(gate[QStringLiteral("vulnerabilities")].toArray().size(), 1);
    QCOMPARE(gate[QStringLiteral("vulnerabilities")][0][QStringLiteral("package")].toString(),
             QStringLiteral("zlib"));
    QCOMPARE(gate[QStringLiteral("exceptions")].toArray().size(), 1);
    QCOMPARE(gate[QStringLiteral("exceptions")][0][QStringLiteral("id")].toInt(), 8);
    // The gate switched off: the allowlist alone decides again.
    QCOMPARE(exec(QStringLiteral("UPDATE workspace_image_gate SET threshold = '', block_unscanned = 0")),
             QString());
    QCOMPARE(run({harbor + QStringLiteral("/shop/web:2.4.1")}, &out), 0);
    for (const QString &table :
         {QStringLiteral("workspace_image_gate"), QStringLiteral("workspace_cve_exceptions"),
          QStringLiteral("image_vulnerabilities"), QStringLiteral("registry_tags"),
          QStringLiteral("registry_repositories"), QStringLiteral("sync_state"),
          QStringLiteral("connections")})
        QCOMPARE(exec(QStringLiteral("DELETE FROM ") + table), QString());
}

void TestImageStore::importFromThePane()
{
    // Rita's desktop (an admin): a pasted list previewed line by line, refused while a line is
    // invalid, then imported in one transaction; each entry audited with where it came from.
    QString database;
    auto alice = storeWithAlice(QStringLiteral("team"), QStringLiteral("import"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(*alice, add(QStringLiteral("rita"), QStringLiteral("admin"))));
    QVERIFY(ImageRecords::saveProject(*alice, QStringLiteral("shop")));
    QVERIFY(ImageRecords::allow(*alice, QStringLiteral("redis:7"), QStringLiteral("shop"),
                                QStringLiteral("cache")));
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    service->setHealthInterval(60000);
    QSignalSpy joined(service, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("rita"), database);
    QMetaObject::invokeMethod(
        service, [service, url] { service->joinTeam(url, {}, QStringLiteral("desk-import"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));
    ConnectionsModel connections;
    ImagesPane pane(&connections, service, nullptr);
    QTRY_COMPARE_WITH_TIMEOUT(pane.allowlist()->rowCount(), 1, 10000);
    QVERIFY(pane.importButton()->isEnabled());

    // The dialog's preview: every line's state, and no import while a line is wrong.
    ImportDialog dialog({QStringLiteral("shop")},
                        {{QStringLiteral("shop"), {QStringLiteral("docker.io/library/redis:7")}}});
    dialog.setProject(QStringLiteral("shop"));
    QTRY_VERIFY(!dialog.registriesPending());
    dialog.setContent(QStringLiteral("nginx:1.27-*   # the web tier\n"
                                     "\n"
                                     "# comments are skipped\n"
                                     "redis:7\n"
                                     "Bad Ref!\n"
                                     "docker.io/library/nginx:1.27-*\n"
                                     "postgres:16"));
    QStringList states;
    for (int r = 0; r < dialog.previewTable()->rowCount(); ++r)
        states << dialog.previewTable()->item(r, 0)->text() + QLatin1Char(' ') +
                      dialog.previewTable()->item(r, 1)->text();
    QCOMPARE(states,
             (QStringList{QStringLiteral("1 new"), QStringLiteral("4 allowed"), QStringLiteral("5 invalid"),
                          QStringLiteral("6 duplicate"), QStringLiteral("7 invalid")})); // no reason
    QVERIFY2(dialog.summaryLabel()->text().contains(QStringLiteral("2 invalid")),
             qPrintable(dialog.summaryLabel()->text()));
    QVERIFY(!dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    // Sent anyway (as a script would): the service plans again and refuses it whole.
    QSignalSpy changed(service, &WorkspaceService::imagesChanged);
    pane.importEntries(dialog.content(), dialog.project(), QString(), {}, QStringLiteral("pasted"));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
    QCOMPARE(changed.first().at(1).toInt(), 0);
    QVERIFY2(
        changed.first().at(2).toStringList().join(QString()).contains(QStringLiteral("nothing was changed")),
        qPrintable(changed.first().at(2).toStringList().join(QString())));
    QCOMPARE(ImageRecords::entries(*alice)->size(), 1);
    // The bad line gone, a reason for postgres missing: still no import until one is given.
    dialog.setContent(QStringLiteral("nginx:1.27-*   # the web tier\nredis:7\npostgres:16"));
    QVERIFY(!dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    QTest::keyClicks(dialog.reasonEdit(), QStringLiteral("shop stack"));
    QVERIFY(dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    QCOMPARE(dialog.buttons()->button(QDialogButtonBox::Ok)->text(), QStringLiteral("&Import 2 entry(ies)"));
    pane.importEntries(dialog.content(), dialog.project(), dialog.reason(), {}, QStringLiteral("stack.txt"));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10000);
    QCOMPARE(changed.at(1).at(1).toInt(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(pane.allowlist()->rowCount(), 3, 10000);
    const auto stored = ImageRecords::entries(*alice);
    QVERIFY(stored);
    QCOMPARE(stored->at(1).entry, QStringLiteral("docker.io/library/nginx:1.27-*"));
    QCOMPARE(stored->at(1).reason, QStringLiteral("the web tier"));
    QCOMPARE(stored->at(2).reason, QStringLiteral("shop stack"));
    QCOMPARE(stored->at(2).addedBy, QStringLiteral("rita"));
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(
        QStringLiteral("SELECT target_name, outcome, json_extract(details, '$.import') FROM audit_events "
                       "WHERE action = 'image.allow' AND json_extract(details, '$.import') IS NOT NULL "
                       "ORDER BY id")));
    QStringList events;
    while (q.next())
        events << q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString() + QLatin1Char(' ') +
                      q.value(2).toString();
    QCOMPARE(events.size(), 3);
    QVERIFY2(events.at(0).endsWith(QStringLiteral("failure pasted")), qPrintable(events.at(0)));
    QCOMPARE(events.at(1), QStringLiteral("docker.io/library/nginx:1.27-* success stack.txt"));
    QCOMPARE(events.at(2), QStringLiteral("docker.io/library/postgres:16 success stack.txt"));
    host.stopAll();
}

QTEST_MAIN(TestImageStore)
#include "tst_imagestore.moc"
