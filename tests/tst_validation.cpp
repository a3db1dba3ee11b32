// The validation rules for what an admin types, data-driven: each refusal names its rule.
#include "runner.h"
#include "validation.h"

#include <QTest>

using namespace opsdeck;

class TestValidation : public QObject
{
    Q_OBJECT
private slots:
    void repositoryIds_data();
    void repositoryIds();
    void repositoryList();
    void runnerScopes_data();
    void runnerScopes();
};

void TestValidation::repositoryIds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::newRow("plain") << "acme/app"
                           << "";
    QTest::newRow("dots and underscores") << "acme/my_app.v2"
                                          << "";
    QTest::newRow("hyphenated owner") << "acme-corp/app"
                                      << "";
    QTest::newRow("39-char owner") << QString(39, QLatin1Char('a')) + "/x"
                                   << "";
    QTest::newRow("40-char owner") << QString(40, QLatin1Char('a')) + "/x"
                                   << "github.owner";
    QTest::newRow("owner starts with hyphen") << "-acme/app"
                                              << "github.owner";
    QTest::newRow("owner ends with hyphen") << "acme-/app"
                                            << "github.owner";
    QTest::newRow("double hyphen") << "ac--me/app"
                                   << "github.owner";
    QTest::newRow("owner with dot") << "ac.me/app"
                                    << "github.owner";
    QTest::newRow("no slash") << "acme"
                              << "github.repository";
    QTest::newRow("two slashes") << "acme/app/x"
                                 << "github.repository";
    QTest::newRow("dot dot") << "acme/.."
                             << "github.repository";
    QTest::newRow("space in name") << "acme/my app"
                                   << "github.repository";
    QTest::newRow("101-char name") << "acme/" + QString(101, QLatin1Char('r')) << "github.repository";
    QTest::newRow("empty name") << "acme/"
                                << "github.repository";
    QTest::newRow("unicode") << "acme/äpp"
                             << "github.repository";
}

void TestValidation::repositoryIds()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto r = parseRepositoryId(text);
    QCOMPARE(r.ok(), error.isEmpty());
    if (!r.ok()) {
        QCOMPARE(r.error().code, error);
        QVERIFY2(!r.message().isEmpty(), "a refusal says why");
    } else {
        QCOMPARE(r->fullName(), text);
    }
}

void TestValidation::repositoryList()
{
    const auto list = parseRepositoryList(" acme/app,acme/web\nacme/APP ;  other/x ");
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 3); // acme/APP is acme/app again
    QCOMPARE(list->at(2).fullName(), QStringLiteral("other/x"));
    QVERIFY(parseRepositoryList(QString())->isEmpty());
    const auto bad = parseRepositoryList("acme/app, acme/bad name");
    QVERIFY(!bad.ok());
    QVERIFY2(bad.message().contains("\"name\" is not a repository"),
             qPrintable(bad.message())); // spaces separate
}

void TestValidation::runnerScopes_data()
{
    QTest::addColumn<QString>("org");
    QTest::addColumn<QString>("repos");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QStringList>("paths");
    QTest::newRow("org only") << "acme"
                              << "" << QStringList{"org:acme"} << QStringList{"/orgs/acme"};
    QTest::newRow("repos only") << ""
                                << "acme/app, acme/web" << QStringList{"repo:acme/app", "repo:acme/web"}
                                << QStringList{"/repos/acme/app", "/repos/acme/web"};
    QTest::newRow("both") << "acme"
                          << "other/x" << QStringList{"org:acme", "repo:other/x"}
                          << QStringList{"/orgs/acme", "/repos/other/x"};
    QTest::newRow("invalid list ignored")
        << "acme"
        << "not a repo" << QStringList{"org:acme"} << QStringList{"/orgs/acme"};
}

void TestValidation::runnerScopes()
{
    QFETCH(QString, org);
    QFETCH(QString, repos);
    QFETCH(QStringList, ids);
    QFETCH(QStringList, paths);
    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.options.insert("org", org);
    c.options.insert("repos", repos);
    QStringList gotIds, gotPaths;
    for (const RunnerScope &s : opsdeck::runnerScopes(c)) {
        gotIds << s.id();
        gotPaths << s.apiPath();
        QCOMPARE(RunnerScope::fromId(s.id()), std::optional<RunnerScope>(s)); // round trip
    }
    QCOMPARE(gotIds, ids);
    QCOMPARE(gotPaths, paths);
    QVERIFY(!RunnerScope::fromId("repo:acme").has_value());
    QVERIFY(!RunnerScope::fromId("team:x").has_value());
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
