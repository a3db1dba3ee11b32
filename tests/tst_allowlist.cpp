// The image allowlist's rules (models/images/allowlist.h): references normalised as the engine
// pulls them, entries of every kind, and decisions by components, with expiry at its boundary.
#include "models/images/allowimport.h"
#include "models/images/allowlist.h"
#include "models/images/imagepolicy.h"

#include <QTest>

using namespace opsdeck;

class TestAllowlist : public QObject
{
    Q_OBJECT
private slots:
    void normalised_data();
    void normalised();
    void entries_data();
    void entries();
    void decisions_data();
    void decisions();
    void expiryAtTheBoundary();
    void projectEntryNamedFirst();
    void importPlanned();
    void importNotFound();
    void deployPolicy_data();
    void deployPolicy();
};

void TestAllowlist::normalised_data()
{
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("normalised");
    QTest::newRow("familiar name") << "nginx"
                                   << "docker.io/library/nginx:latest";
    QTest::newRow("familiar with tag") << "nginx:1.27"
                                       << "docker.io/library/nginx:1.27";
    QTest::newRow("docker.io") << "docker.io/nginx:1.27"
                               << "docker.io/library/nginx:1.27";
    QTest::newRow("index.docker.io") << "index.docker.io/library/nginx:1.27"
                                     << "docker.io/library/nginx:1.27";
    QTest::newRow("registry-1") << "registry-1.docker.io/bitnami/redis:7"
                                << "docker.io/bitnami/redis:7";
    QTest::newRow("hub namespace") << "bitnami/redis"
                                   << "docker.io/bitnami/redis:latest";
    QTest::newRow("host with port") << "Registry.Example.com:5000/team/app:1.2"
                                    << "registry.example.com:5000/team/app:1.2";
    QTest::newRow("localhost") << "localhost:5000/app"
                               << "localhost:5000/app:latest";
    QTest::newRow("digest only") << "nginx@sha256:" + QString(64, QLatin1Char('a'))
                                 << "docker.io/library/nginx@sha256:" + QString(64, QLatin1Char('a'));
    QTest::newRow("one component elsewhere") << "ghcr.io/app:1"
                                             << "ghcr.io/app:1";
}

void TestAllowlist::normalised()
{
    QFETCH(QString, reference);
    QFETCH(QString, normalised);
    const auto parsed = parseImageReference(reference);
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.message()));
    QCOMPARE(normalizeImage(parsed.value()).toString(), normalised);
}

void TestAllowlist::entries_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");        // -1: refused
    QTest::addColumn<QString>("written"); // normalised, or what the refusal says
    const QString digest = QStringLiteral("sha256:") + QString(64, QLatin1Char('b'));
    QTest::newRow("tag") << "nginx:1.27" << int(AllowEntry::Kind::Tag) << "docker.io/library/nginx:1.27";
    QTest::newRow("tag pattern") << "nginx:1.27-*" << int(AllowEntry::Kind::TagPattern)
                                 << "docker.io/library/nginx:1.27-*";
    QTest::newRow("repository") << "ghcr.io/acme/api" << int(AllowEntry::Kind::Repository)
                                << "ghcr.io/acme/api";
    QTest::newRow("digest") << "nginx@" + digest << int(AllowEntry::Kind::Digest)
                            << "docker.io/library/nginx@" + digest;
    QTest::newRow("namespace") << "registry.example.com/team/*" << int(AllowEntry::Kind::Namespace)
                               << "registry.example.com/team/*";
    QTest::newRow("whole registry") << "Registry.Example.com:5000/*" << int(AllowEntry::Kind::Namespace)
                                    << "registry.example.com:5000/*";
    QTest::newRow("hub namespace") << "bitnami/*" << int(AllowEntry::Kind::Namespace)
                                   << "docker.io/bitnami/*";
    QTest::newRow("star in the name") << "ngi*x:1" << -1 << "'*' goes in a tag pattern";
    QTest::newRow("star mid-path") << "registry.example.com/*/app" << -1 << "'*' goes in a tag pattern";
    QTest::newRow("tag on namespace") << "registry.example.com/team:1/*" << -1 << "a namespace has no tag";
    QTest::newRow("only star tag") << "nginx:*" << -1 << "any tag";
    QTest::newRow("bad pattern") << "nginx:-1*" << -1 << "tag pattern";
    QTest::newRow("tag and digest") << "nginx:1@" + digest << -1 << "without a tag";
    QTest::newRow("upper case") << "Team/App:1" << -1 << "not an allowlist entry";
    QTest::newRow("empty") << "  " << -1 << "Enter an image";
    QTest::newRow("capital host") << "Cache/app:1" << -1 << "needs its full name";
    QTest::newRow("capital host, all") << "Cache/*" << -1 << "needs its full name";
    QTest::newRow("all of Docker Hub") << "docker.io/*" << -1 << "all of Docker Hub";
    QTest::newRow("too long in full")
        << QString(250, QLatin1Char('a')) + QStringLiteral(":1") << -1 << "longer than 255";
    QTest::newRow("bad host") << "bad_host.example:99999/app:1" << -1 << "not an allowlist entry";
}

void TestAllowlist::entries()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, written);
    const auto e = parseAllowEntry(text);
    if (kind < 0) {
        QVERIFY(!e);
        QCOMPARE(e.error().code, QStringLiteral("image.entry"));
        QVERIFY2(e.message().contains(written), qPrintable(e.message()));
        return;
    }
    QVERIFY2(e, e ? "" : qPrintable(e.message()));
    QCOMPARE(int(e->kind), kind);
    QCOMPARE(e->text(), written);
    // Written back, it reads as the same entry.
    const auto again = parseAllowEntry(e->text());
    QVERIFY(again);
    QCOMPARE(again->text(), written);
}

void TestAllowlist::decisions_data()
{
    QTest::addColumn<QStringList>("entries"); // "TEXT" global, or "TEXT@@PROJECT"
    QTest::addColumn<QString>("image");
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("resolved"); // the tag's digest in a synced registry
    QTest::addColumn<bool>("allowed");
    const QString a = QStringLiteral("sha256:") + QString(64, QLatin1Char('a'));
    const QString b = QStringLiteral("sha256:") + QString(64, QLatin1Char('b'));
    QTest::newRow("exact tag") << QStringList{"nginx:1.27"} << "nginx:1.27"
                               << ""
                               << "" << true;
    QTest::newRow("exact tag, other tag") << QStringList{"nginx:1.27"} << "nginx:1.28"
                                          << ""
                                          << "" << false;
    QTest::newRow("hub spellings") << QStringList{"docker.io/library/nginx:1.27"}
                                   << "index.docker.io/nginx:1.27"
                                   << ""
                                   << "" << true;
    QTest::newRow("no tag is latest") << QStringList{"nginx:latest"} << "nginx"
                                      << ""
                                      << "" << true;
    QTest::newRow("pattern") << QStringList{"nginx:1.27-*"} << "nginx:1.27-alpine"
                             << ""
                             << "" << true;
    QTest::newRow("pattern, other") << QStringList{"nginx:1.27-*"} << "nginx:1.28-alpine"
                                    << ""
                                    << "" << false;
    QTest::newRow("pattern is whole") << QStringList{"nginx:1.27*"} << "nginx:11.27"
                                      << ""
                                      << "" << false;
    QTest::newRow("repository") << QStringList{"ghcr.io/acme/api"} << "ghcr.io/acme/api:any"
                                << ""
                                << "" << true;
    QTest::newRow("repository, not its child") << QStringList{"ghcr.io/acme/api"} << "ghcr.io/acme/api/v2:1"
                                               << ""
                                               << "" << false;
    QTest::newRow("another registry") << QStringList{"nginx:1.27"} << "ghcr.io/library/nginx:1.27"
                                      << ""
                                      << "" << false;
    QTest::newRow("port matters") << QStringList{"registry.example.com:5000/app:1"}
                                  << "registry.example.com/app:1"
                                  << ""
                                  << "" << false;
    QTest::newRow("host case") << QStringList{"registry.example.com:5000/app:1"}
                               << "REGISTRY.example.com:5000/app:1"
                               << ""
                               << "" << true;
    QTest::newRow("namespace") << QStringList{"registry.example.com/team/*"}
                               << "registry.example.com/team/x:1"
                               << ""
                               << "" << true;
    QTest::newRow("namespace, deeper")
        << QStringList{"registry.example.com/team/*"} << "registry.example.com/team/sub/x"
        << ""
        << "" << true;
    QTest::newRow("namespace, evil host")
        << QStringList{"registry.example.com/team/*"} << "registry.example.com.evil.net/team/x"
        << ""
        << "" << false;
    QTest::newRow("namespace, prefix of a name")
        << QStringList{"registry.example.com/team/*"} << "registry.example.com/teamx/y"
        << ""
        << "" << false;
    QTest::newRow("namespace, itself")
        << QStringList{"registry.example.com/team/*"} << "registry.example.com/team"
        << ""
        << "" << false;
    QTest::newRow("whole registry") << QStringList{"registry.example.com/*"}
                                    << "registry.example.com/any/thing:1"
                                    << ""
                                    << "" << true;
    QTest::newRow("whole registry, evil")
        << QStringList{"registry.example.com/*"} << "registry.example.com.evil.net/x"
        << ""
        << "" << false;
    QTest::newRow("digest pin") << QStringList{"nginx@" + a} << "nginx@" + a << ""
                                << "" << true;
    QTest::newRow("digest pin, other") << QStringList{"nginx@" + a} << "nginx@" + b << ""
                                       << "" << false;
    QTest::newRow("digest pin, resolved tag") << QStringList{"nginx@" + a} << "nginx:1.27"
                                              << "" << a << true;
    QTest::newRow("digest pin, moved tag") << QStringList{"nginx@" + a} << "nginx:1.27"
                                           << "" << b << false;
    QTest::newRow("digest pin, unresolved") << QStringList{"nginx@" + a} << "nginx:1.27"
                                            << ""
                                            << "" << false;
    QTest::newRow("project entry in project") << QStringList{"shop/api:2@@shop"} << "shop/api:2"
                                              << "shop"
                                              << "" << true;
    QTest::newRow("project entry elsewhere") << QStringList{"shop/api:2@@shop"} << "shop/api:2"
                                             << "blog"
                                             << "" << false;
    QTest::newRow("project entry outside") << QStringList{"shop/api:2@@shop"} << "shop/api:2"
                                           << ""
                                           << "" << false;
    QTest::newRow("global in a project") << QStringList{"nginx:1.27"} << "nginx:1.27"
                                         << "shop"
                                         << "" << true;
}

void TestAllowlist::decisions()
{
    QFETCH(QStringList, entries);
    QFETCH(QString, image);
    QFETCH(QString, project);
    QFETCH(QString, resolved);
    QFETCH(bool, allowed);
    QList<AllowEntry> list;
    for (const QString &text : entries) {
        const auto parsed = parseAllowEntry(text.section(QStringLiteral("@@"), 0, 0));
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.message()));
        AllowEntry e = parsed.value();
        e.id = list.size() + 1;
        e.project = text.section(QStringLiteral("@@"), 1, 1);
        e.addedBy = QStringLiteral("alice");
        list << e;
    }
    const auto ref = parseImageReference(image);
    QVERIFY2(ref, ref ? "" : qPrintable(ref.message()));
    const AllowDecision d = Allowlist(list).decide(normalizeImage(ref.value()), project,
                                                   QDateTime::currentDateTimeUtc(), resolved);
    QVERIFY2(d.allowed == allowed, qPrintable(d.reason));
    QCOMPARE(d.entry.has_value(), allowed);
    QVERIFY2(d.reason.contains(allowed ? QLatin1String("is allowed by") : QLatin1String("is not allowed")),
             qPrintable(d.reason));
}

void TestAllowlist::expiryAtTheBoundary()
{
    AllowEntry e = parseAllowEntry(QStringLiteral("nginx:1.27")).value();
    e.id = 7;
    const QDateTime expiry(QDate(2026, 12, 31), QTime(12, 0), Qt::UTC);
    e.expiresAt = expiry;
    const Allowlist list({e});
    const NormalizedImage image = normalizeImage(parseImageReference(QStringLiteral("nginx:1.27")).value());
    QVERIFY(list.decide(image, {}, expiry.addMSecs(-1)).allowed);
    const AllowDecision at = list.decide(image, {}, expiry);
    QVERIFY(!at.allowed);
    QVERIFY2(at.reason.contains(QLatin1String("expired")), qPrintable(at.reason));
    QCOMPARE(at.entry->id, 7); // named, though it no longer allows
    QVERIFY(!list.decide(image, {}, expiry.addDays(1)).allowed);
}

void TestAllowlist::projectEntryNamedFirst()
{
    AllowEntry global = parseAllowEntry(QStringLiteral("nginx")).value();
    AllowEntry mine = parseAllowEntry(QStringLiteral("nginx:1.27")).value();
    global.id = 1;
    mine.id = 2;
    mine.project = QStringLiteral("shop");
    const AllowDecision d =
        Allowlist({global, mine})
            .decide(normalizeImage(parseImageReference(QStringLiteral("nginx:1.27")).value()),
                    QStringLiteral("shop"), QDateTime::currentDateTimeUtc());
    QVERIFY(d.allowed);
    QCOMPARE(d.entry->id, 2);
    QVERIFY2(d.reason.contains(QLatin1String("project shop")), qPrintable(d.reason));
}

void TestAllowlist::importPlanned()
{
    // Every line checked before anything is applied: valid, invalid with the rule, a repeat of an
    // earlier line (however it was written), already on the list; comments and blank lines skipped.
    const QString file = QStringLiteral("# base images for the shop\n"
                                        "nginx:1.27-*   # web front\n"
                                        "\n"
                                        "docker.io/library/nginx:1.27-*\n"
                                        "ngi*x:1 # typo\r\n"
                                        "redis:7\n"
                                        "registry.example.com/team/*   # everything of the team\n");
    const QList<ImportLine> plan =
        planImport(file, {QStringLiteral("docker.io/library/redis:7")}, QStringLiteral("imported"));
    QCOMPARE(plan.size(), 5);
    QCOMPARE(plan.at(0).line, 2);
    QCOMPARE(plan.at(0).state, ImportLine::State::New);
    QCOMPARE(plan.at(0).entry, QStringLiteral("docker.io/library/nginx:1.27-*"));
    QCOMPARE(plan.at(0).reason, QStringLiteral("web front"));
    QCOMPARE(plan.at(1).state, ImportLine::State::Duplicate);
    QVERIFY2(plan.at(1).problem.contains(QLatin1String("line 2")), qPrintable(plan.at(1).problem));
    QCOMPARE(plan.at(2).state, ImportLine::State::Invalid);
    QVERIFY2(plan.at(2).problem.contains(QLatin1String("'*' goes in a tag pattern")),
             qPrintable(plan.at(2).problem));
    QCOMPARE(plan.at(3).state, ImportLine::State::AlreadyAllowed);
    QCOMPARE(plan.at(3).reason, QStringLiteral("imported"));
    QCOMPARE(plan.at(4).state, ImportLine::State::New);
    QCOMPARE(importStateName(plan.at(4).state), QStringLiteral("new"));
    // No reason anywhere: that line cannot be applied.
    const QList<ImportLine> bare = planImport(QStringLiteral("nginx:1\n"), {}, {});
    QCOMPARE(bare.size(), 1);
    QCOMPARE(bare.first().state, ImportLine::State::Invalid);
    QVERIFY(bare.first().problem.contains(QLatin1String("no reason")));
}

void TestAllowlist::importNotFound()
{
    // Lines for a synced registry: a tag it has, a tag it lacks, a repository it lacks; another
    // registry's line is not checked.
    RegistryIndex index;
    index.registries.insert(QStringLiteral("registry.example.com"));
    index.repositories.insert(QStringLiteral("registry.example.com/team/app"));
    index.tagDigests.insert(QStringLiteral("registry.example.com/team/app:1.0"),
                            QStringLiteral("sha256:") + QString(64, QLatin1Char('a')));
    const QList<ImportLine> plan = planImport(QStringLiteral("registry.example.com/team/app:1.0\n"
                                                             "registry.example.com/team/app:9.9\n"
                                                             "registry.example.com/team/gone:1\n"
                                                             "ghcr.io/other/app:1\n"),
                                              {}, QStringLiteral("imported"), &index);
    QCOMPARE(plan.size(), 4);
    QCOMPARE(plan.at(0).state, ImportLine::State::New);
    QCOMPARE(plan.at(1).state, ImportLine::State::NotFound);
    QVERIFY2(plan.at(1).problem.contains(QStringLiteral("9.9")), qPrintable(plan.at(1).problem));
    QCOMPARE(plan.at(2).state, ImportLine::State::NotFound);
    QCOMPARE(plan.at(3).state, ImportLine::State::New);
    QCOMPARE(importStateName(plan.at(1).state), QStringLiteral("not-found"));
}

void TestAllowlist::deployPolicy_data()
{
    // A compose project's images against the policy: entries, the project, the synced digest of a
    // tag for a pin, services built locally, and a workspace with no allowlist at all.
    QTest::addColumn<QStringList>("entries"); // "text|project"
    QTest::addColumn<QString>("project");
    QTest::addColumn<QStringList>("images");       // "service=reference", or "service=build"
    QTest::addColumn<QStringList>("refusedNames"); // the services refused
    QTest::addColumn<bool>("enforced");
    const QString pin = QStringLiteral("sha256:") + QString(64, QLatin1Char('e'));
    QTest::newRow("all allowed") << QStringList{"nginx:1.27|", "registry.example.com/team/*|"} << ""
                                 << QStringList{"web=nginx:1.27", "api=registry.example.com/team/api:3"}
                                 << QStringList{} << true;
    QTest::newRow("one refused") << QStringList{"nginx:1.27|"} << ""
                                 << QStringList{"web=nginx:1.27", "db=postgres:16"} << QStringList{"db"}
                                 << true;
    QTest::newRow("built locally") << QStringList{"nginx:1.27|"} << ""
                                   << QStringList{"web=nginx:1.27", "worker=build"} << QStringList{} << true;
    QTest::newRow("project entry applies in its project")
        << QStringList{"postgres:16|shop"} << "shop" << QStringList{"db=postgres:16"} << QStringList{}
        << true;
    QTest::newRow("project entry not elsewhere")
        << QStringList{"postgres:16|shop"} << "ml" << QStringList{"db=postgres:16"} << QStringList{"db"}
        << true;
    QTest::newRow("pin through the synced tag")
        << QStringList{QStringLiteral("registry.example.com/team/app@%1|").arg(pin)} << ""
        << QStringList{"app=registry.example.com/team/app:2"} << QStringList{} << true;
    QTest::newRow("pin, tag moved")
        << QStringList{QStringLiteral("registry.example.com/team/app@%1|").arg(pin)} << ""
        << QStringList{"app=registry.example.com/team/app:3"} << QStringList{"app"} << true;
    QTest::newRow("not a reference") << QStringList{"nginx:1.27|"} << "" << QStringList{"web=Bad Ref"}
                                     << QStringList{"web"} << true;
    QTest::newRow("no allowlist") << QStringList{} << "" << QStringList{"web=anything:1", "db=Bad Ref"}
                                  << QStringList{} << false;
}

void TestAllowlist::deployPolicy()
{
    QFETCH(QStringList, entries);
    QFETCH(QString, project);
    QFETCH(QStringList, images);
    QList<AllowEntry> list;
    for (const QString &e : entries) {
        auto entry = parseAllowEntry(e.section(QLatin1Char('|'), 0, 0));
        QVERIFY2(entry, entry ? "" : qPrintable(entry.message()));
        AllowEntry one = entry.value();
        one.id = list.size() + 1;
        one.project = e.section(QLatin1Char('|'), 1);
        list << one;
    }
    ImagePolicy policy;
    policy.allowlist = Allowlist(list);
    policy.enforced = !list.isEmpty();
    policy.registries.registries.insert(QStringLiteral("registry.example.com"));
    policy.registries.tagDigests.insert(QStringLiteral("registry.example.com/team/app:2"),
                                        QStringLiteral("sha256:") + QString(64, QLatin1Char('e')));
    policy.registries.tagDigests.insert(QStringLiteral("registry.example.com/team/app:3"),
                                        QStringLiteral("sha256:") + QString(64, QLatin1Char('f')));
    QList<PolicyImage> wanted;
    for (const QString &i : images) {
        const QString service = i.section(QLatin1Char('='), 0, 0);
        const QString reference = i.section(QLatin1Char('='), 1);
        wanted << PolicyImage{service, reference == QLatin1String("build") ? QString() : reference,
                              reference == QLatin1String("build")};
    }
    const PolicyCheck check = checkImages(policy, wanted, project, QDateTime::currentDateTimeUtc());
    QTEST(check.enforced, "enforced");
    QStringList refused;
    for (const PolicyVerdict &v : check.verdicts)
        if (!v.allowed)
            refused << v.image.service;
    QTEST(refused, "refusedNames");
    QCOMPARE(check.allowed(), refused.isEmpty());
    QCOMPARE(check.refusals().size(), refused.size());
    for (const QString &line : check.refusals())
        QVERIFY2(line.contains(QStringLiteral("refused")), qPrintable(line));
    for (const PolicyVerdict &v : check.verdicts)
        if (v.image.builtLocally)
            QVERIFY(v.line().contains(QStringLiteral("built locally")));
}

QTEST_GUILESS_MAIN(TestAllowlist)
#include "tst_allowlist.moc"
