// The validation rules for what an admin types, data-driven: each refusal names its rule. Also the
// checks on what a server sends that Opsdeck then acts on (clone addresses, DNS records).
#include "models/core/validation.h"
#include "models/docker/container.h"
#include "models/docker/imagereference.h"
#include "models/github/githubanswers.h"
#include "models/github/githubrepository.h"
#include "models/github/runner.h"
#include "models/tunnel/cloudflareapi.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
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
    void imageReferences_data();
    void imageReferences();
    void imageDigests_data();
    void imageDigests();
    void imageRegistryHosts_data();
    void imageRegistryHosts();
    void imageIdsRefused_data();
    void imageIdsRefused();
    void containerNames();
    void names_data();
    void names();
    void paths();
    void cloneUrls_data();
    void cloneUrls();
    void repositoryAnswers();
    void cloudflareAnswers();
    void githubAnswers();
    void dockerAnswers();
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

void TestValidation::imageReferences_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("registry"); // "!" = invalid
    QTest::addColumn<QString>("repository");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("digest");
    const QString digest = "sha256:" + QString(64, QLatin1Char('a'));
    QTest::newRow("hub short") << "nginx"
                               << ""
                               << "nginx"
                               << ""
                               << "";
    QTest::newRow("hub with tag") << "excalidraw/excalidraw:latest"
                                  << ""
                                  << "excalidraw/excalidraw"
                                  << "latest"
                                  << "";
    QTest::newRow("registry with port") << "127.0.0.1:5000/team/busybox:1.0"
                                        << "127.0.0.1:5000"
                                        << "team/busybox"
                                        << "1.0"
                                        << "";
    QTest::newRow("localhost") << "localhost/busybox:test"
                               << "localhost"
                               << "busybox"
                               << "test"
                               << "";
    QTest::newRow("ghcr") << "ghcr.io/actions/actions-runner:2.321.0"
                          << "ghcr.io"
                          << "actions/actions-runner"
                          << "2.321.0"
                          << "";
    QTest::newRow("digest") << "alpine@" + digest << ""
                            << "alpine"
                            << "" << digest;
    QTest::newRow("tag and digest") << "alpine:3.20@" + digest << ""
                                    << "alpine"
                                    << "3.20" << digest;
    QTest::newRow("separators") << "a/b__c.d-e--f:x"
                                << ""
                                << "a/b__c.d-e--f"
                                << "x"
                                << "";
    QTest::newRow("upper case repo") << "Nginx"
                                     << "!"
                                     << ""
                                     << ""
                                     << "";
    QTest::newRow("empty") << ""
                           << "!"
                           << ""
                           << ""
                           << "";
    QTest::newRow("bad tag") << "nginx:-1"
                             << "!"
                             << ""
                             << ""
                             << "";
    QTest::newRow("long tag") << "nginx:" + QString(129, QLatin1Char('a')) << "!"
                              << ""
                              << ""
                              << "";
    QTest::newRow("short digest") << "nginx@sha256:abc"
                                  << "!"
                                  << ""
                                  << ""
                                  << "";
    QTest::newRow("trailing slash") << "team/"
                                    << "!"
                                    << ""
                                    << ""
                                    << "";
    QTest::newRow("double dot") << "a..b"
                                << "!"
                                << ""
                                << ""
                                << "";
    QTest::newRow("shell") << "nginx;rm -rf /"
                           << "!"
                           << ""
                           << ""
                           << "";
    QTest::newRow("bad registry") << "-bad.example/app"
                                  << "!"
                                  << ""
                                  << ""
                                  << "";
}

void TestValidation::imageDigests_data()
{
    // go-digest: sha256, sha384 and sha512 only, each with its exact length of lower-case hex.
    QTest::addColumn<QString>("digest");
    QTest::addColumn<bool>("valid");
    const auto hex = [](int n, char c = 'a') {
        return QString(n, QLatin1Char(c));
    };
    QTest::newRow("sha256, 64") << "sha256:" + hex(64) << true;
    QTest::newRow("sha384, 96") << "sha384:" + hex(96, '0') << true;
    QTest::newRow("sha512, 128") << "sha512:" + hex(128, '9') << true;
    QTest::newRow("sha256, 63") << "sha256:" + hex(63) << false;
    QTest::newRow("sha256, 65") << "sha256:" + hex(65) << false;
    QTest::newRow("sha256, 96") << "sha256:" + hex(96) << false;
    QTest::newRow("sha384, 64") << "sha384:" + hex(64) << false;
    QTest::newRow("sha512, 64") << "sha512:" + hex(64) << false;
    QTest::newRow("upper-case hex") << "sha256:" + hex(64, 'A') << false;
    QTest::newRow("unknown algorithm, 32") << "md5:" + hex(32) << false;
    QTest::newRow("unknown algorithm, 64") << "sha3:" + hex(64) << false;
    QTest::newRow("grammar-valid algorithm") << "sha256+b64u:" + hex(64) << false;
    QTest::newRow("upper-case algorithm") << "SHA256:" + hex(64) << false;
    QTest::newRow("no algorithm") << ":" + hex(64) << false;
    QTest::newRow("not hex") << "sha256:" + hex(64, 'g') << false;
}

void TestValidation::imageDigests()
{
    QFETCH(QString, digest);
    QFETCH(bool, valid);
    const auto r = parseImageReference("registry.example.com/team/app@" + digest);
    QCOMPARE(r.ok(), valid);
    if (valid)
        QCOMPARE(r->digest, digest);
    else
        QVERIFY2(r.message().contains(QLatin1String("sha256")), qPrintable(r.message()));
}

void TestValidation::imageRegistryHosts_data()
{
    // distribution/reference's splitDockerDomain: which first component is a registry host.
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("repository");
    QTest::newRow("dot") << "registry.example.com/app"
                         << "registry.example.com"
                         << "app";
    QTest::newRow("port") << "myhost:5000/app"
                          << "myhost:5000"
                          << "app";
    QTest::newRow("localhost") << "localhost/app"
                               << "localhost"
                               << "app";
    QTest::newRow("localhost with port") << "localhost:5000/team/app"
                                         << "localhost:5000"
                                         << "team/app";
    QTest::newRow("upper case") << "MyRegistry/app"
                                << "MyRegistry"
                                << "app";
    QTest::newRow("one upper-case letter") << "Team/app"
                                           << "Team"
                                           << "app";
    QTest::newRow("IPv6") << "[::1]:5000/app"
                          << "[::1]:5000"
                          << "app";
    QTest::newRow("plain: Docker Hub") << "team/app"
                                       << ""
                                       << "team/app";
    QTest::newRow("three plain components") << "a/b/c"
                                            << ""
                                            << "a/b/c";
    QTest::newRow("localhost alone is a name") << "localhost"
                                               << ""
                                               << "localhost";
    QTest::newRow("localhostx is a name") << "localhostx/app"
                                          << ""
                                          << "localhostx/app";
    QTest::newRow("dot in a later component") << "team/app.v2"
                                              << ""
                                              << "team/app.v2";
}

void TestValidation::imageRegistryHosts()
{
    QFETCH(QString, text);
    QFETCH(QString, registry);
    QFETCH(QString, repository);
    const auto r = parseImageReference(text);
    QVERIFY2(r.ok(), qPrintable(r.message()));
    QCOMPARE(r->registry, registry);
    QCOMPARE(r->repository, repository);
    QCOMPARE(r->toString(), text);
}

void TestValidation::imageIdsRefused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    const QString id = QString(64, QLatin1Char('f'));
    QTest::newRow("bare 64 hex") << id << false;
    QTest::newRow("63 hex: a name") << QString(63, QLatin1Char('f')) << true;
    QTest::newRow("65 hex: a name") << QString(65, QLatin1Char('f')) << true;
    QTest::newRow("64 hex with a tag") << id + ":1" << true;
    QTest::newRow("64 hex in a path") << "team/" + id << true;
}

void TestValidation::imageIdsRefused()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const auto r = parseImageReference(text);
    QCOMPARE(r.ok(), valid);
    if (!valid)
        QVERIFY2(r.message().contains(QLatin1String("image ID")), qPrintable(r.message()));
}

void TestValidation::imageReferences()
{
    QFETCH(QString, text);
    QFETCH(QString, registry);
    QFETCH(QString, repository);
    QFETCH(QString, tag);
    QFETCH(QString, digest);
    const auto r = parseImageReference(text);
    if (registry == QLatin1String("!")) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("image.reference"));
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.message()));
    QCOMPARE(r->registry, registry);
    QCOMPARE(r->repository, repository);
    QCOMPARE(r->tag, tag);
    QCOMPARE(r->digest, digest);
    QCOMPARE(r->toString(), text);
}

void TestValidation::containerNames()
{
    QCOMPARE(containerNameFor(parseImageReference("excalidraw/excalidraw:latest").value()),
             QStringLiteral("excalidraw"));
    QCOMPARE(containerNameFor(
                 parseImageReference("127.0.0.1:5000/team/my_app@sha256:" + QString(64, '0')).value()),
             QStringLiteral("my_app"));
    QCOMPARE(uniqueName("excalidraw", {}), QStringLiteral("excalidraw"));
    QCOMPARE(uniqueName("excalidraw", {"Excalidraw"}), QStringLiteral("excalidraw-2"));
    QCOMPARE(uniqueName("excalidraw", {"excalidraw", "excalidraw-2", "excalidraw-4"}),
             QStringLiteral("excalidraw-3"));
}

void TestValidation::names_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::newRow("container ok") << "container"
                                  << "web-1.prod_a"
                                  << "";
    QTest::newRow("container leading dash") << "container"
                                            << "-web"
                                            << "docker.name";
    QTest::newRow("container slash") << "container"
                                     << "a/b"
                                     << "docker.name";
    QTest::newRow("container too long") << "container" << QString(129, 'a') << "docker.name";
    QTest::newRow("port ok") << "port"
                             << "8080"
                             << "";
    QTest::newRow("port zero") << "port"
                               << "0"
                               << "port.range";
    QTest::newRow("port too big") << "port"
                                  << "65536"
                                  << "port.range";
    QTest::newRow("port text") << "port"
                               << "http"
                               << "port.range";
    QTest::newRow("host ok") << "host"
                             << "app.example.com"
                             << "";
    QTest::newRow("host digits") << "host"
                                 << "1.example.com"
                                 << "";
    QTest::newRow("host underscore") << "host"
                                     << "my_app.example.com"
                                     << "dns.hostname";
    QTest::newRow("host trailing hyphen") << "host"
                                          << "app-.example.com"
                                          << "dns.hostname";
    QTest::newRow("host empty label") << "host"
                                      << "app..example.com"
                                      << "dns.hostname";
    QTest::newRow("host 64-char label") << "host" << QString(64, 'a') + ".example.com"
                                        << "dns.hostname";
    QTest::newRow("host too long") << "host" << (QString(60, 'a') + ".").repeated(5) + "com"
                                   << "dns.hostname";
    QTest::newRow("subdomain ok") << "subdomain"
                                  << "grafana-2"
                                  << "";
    QTest::newRow("subdomain dot") << "subdomain"
                                   << "a.b"
                                   << "dns.label";
    QTest::newRow("env ok") << "env"
                            << "DATABASE_URL"
                            << "";
    QTest::newRow("env underscore first") << "env"
                                          << "_X1"
                                          << "";
    QTest::newRow("env digit first") << "env"
                                     << "1X"
                                     << "env.name";
    QTest::newRow("env dash") << "env"
                              << "MY-VAR"
                              << "env.name";
    QTest::newRow("env equals") << "env"
                                << "A=B"
                                << "env.name";
}

void TestValidation::names()
{
    QFETCH(QString, kind);
    QFETCH(QString, text);
    QFETCH(QString, error);
    Error got;
    if (kind == "container") {
        if (auto r = validateContainerName(text); !r)
            got = r.error();
    } else if (kind == "port") {
        if (auto r = parsePort(text, "host port"); !r)
            got = r.error();
        else
            QCOMPARE(r.value(), text.toInt());
    } else if (kind == "host") {
        if (auto r = validateHostname(text); !r)
            got = r.error();
    } else if (kind == "subdomain") {
        if (auto r = validateSubdomain(text); !r)
            got = r.error();
    } else if (kind == "env") {
        if (auto r = validateEnvName(text); !r)
            got = r.error();
    }
    QCOMPARE(got.code, error);
    if (!error.isEmpty())
        QVERIFY2(got.message.contains(text.left(20)), qPrintable(got.message)); // names what it refused
}

void TestValidation::paths()
{
    QTemporaryDir dir;
    const QString root = QDir(dir.path()).canonicalPath();
    QVERIFY(QDir(root).mkpath("work/app"));
    QCOMPARE(pathInside(root, "work/app").value(), root + "/work/app");
    QCOMPARE(pathInside(root, "work/new/dir").value(), root + "/work/new/dir"); // need not exist yet
    QCOMPARE(pathInside(root, "../etc").error().code, QStringLiteral("path.outside"));
    QCOMPARE(pathInside(root, "work/../../etc").error().code, QStringLiteral("path.outside"));
    QCOMPARE(pathInside(root, "/etc/passwd").error().code, QStringLiteral("path.outside"));
    QCOMPARE(pathInside(root, "").error().code, QStringLiteral("path.outside"));
    // A symbolic link inside that points outside is refused too.
    QVERIFY(QFile::link("/etc", root + "/work/escape"));
    QCOMPARE(pathInside(root, "work/escape/passwd").error().code, QStringLiteral("path.outside"));
    QCOMPARE(pathInside(root + "/missing", "x").error().code, QStringLiteral("path.root"));
}

void TestValidation::cloneUrls_data()
{
    QTest::addColumn<QString>("clone");
    QTest::addColumn<QString>("api");
    QTest::addColumn<bool>("ok");
    QTest::newRow("github.com") << "https://github.com/acme/app.git"
                                << "https://api.github.com" << true;
    QTest::newRow("host case") << "https://GitHub.com/acme/app.git"
                               << "https://api.github.com" << true;
    QTest::newRow("data residency") << "https://acme.ghe.com/acme/app.git"
                                    << "https://api.acme.ghe.com" << true;
    QTest::newRow("enterprise server") << "https://git.corp/acme/app.git"
                                       << "https://git.corp/api/v3" << true;
    QTest::newRow("local git daemon") << "git://127.0.0.1:9418/app.git"
                                      << "http://127.0.0.1:8080" << true;
    QTest::newRow("another host") << "https://evil.example/acme/app.git"
                                  << "https://api.github.com" << false;
    QTest::newRow("look-alike suffix") << "https://github.com.evil.example/a.git"
                                       << "https://api.github.com" << false;
    QTest::newRow("parent domain") << "https://ghe.com/acme/app.git"
                                   << "https://api.acme.ghe.com" << false;
    QTest::newRow("plain http from https api") << "http://github.com/acme/app.git"
                                               << "https://api.github.com" << false;
    QTest::newRow("git from https api") << "git://github.com/acme/app.git"
                                        << "https://api.github.com" << false;
    QTest::newRow("file") << "file:///etc/app.git"
                          << "http://127.0.0.1:8080" << false;
    QTest::newRow("ssh") << "ssh://git@github.com/acme/app.git"
                         << "https://api.github.com" << false;
    QTest::newRow("credentials") << "https://x:y@github.com/acme/app.git"
                                 << "https://api.github.com" << false;
    QTest::newRow("empty") << ""
                           << "https://api.github.com" << false;
}

void TestValidation::cloneUrls()
{
    QFETCH(QString, clone);
    QFETCH(QString, api);
    QFETCH(bool, ok);
    const auto r = checkCloneUrl(clone, api);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QCOMPARE(r.error().code, QStringLiteral("github.clone_url"));
        QVERIFY2(r.message().contains("not cloned"), qPrintable(r.message()));
    }
}

void TestValidation::repositoryAnswers()
{
    const auto repo =
        parseRepository(R"({"full_name":"acme/app","clone_url":"https://github.com/acme/app.git",
        "html_url":"https://github.com/acme/app","default_branch":"main","size":12})");
    QVERIFY2(repo.ok(), qPrintable(repo.message()));
    QCOMPARE(repo->fullName, QStringLiteral("acme/app"));
    QCOMPARE(repo->cloneUrl, QStringLiteral("https://github.com/acme/app.git"));
    QVERIFY(repo->hasDefaultBranch());
    // Still being created: no default branch yet.
    QVERIFY(!parseRepository(R"({"full_name":"a/b","clone_url":"https://github.com/a/b.git",
        "html_url":"https://github.com/a/b","default_branch":"","size":3})")
                 ->hasDefaultBranch());
    // GitHub says size 0 for small repositories long after they are filled: size says nothing.
    QVERIFY(parseRepository(R"({"full_name":"a/b","clone_url":"https://github.com/a/b.git",
        "html_url":"https://github.com/a/b","default_branch":"main","size":0})")
                ->hasDefaultBranch());
    const auto fails = [](const QByteArray &body) {
        return parseRepository(body).error();
    };
    QCOMPARE(fails("{\"full_name\":\"a/b\"").code, QStringLiteral("json.malformed"));
    QCOMPARE(fails("[1]").code, QStringLiteral("github.schema"));
    const Error noClone = fails(R"({"full_name":"a/b","html_url":"https://github.com/a/b","clone_url":""})");
    QCOMPARE(noClone.code, QStringLiteral("github.schema"));
    QVERIFY2(noClone.message.contains("clone_url"), qPrintable(noClone.message));
    // "size" is not read, so an odd one is no reason to refuse the answer.
    QVERIFY(parseRepository(R"({"full_name":"a/b","clone_url":"https://github.com/a/b.git",
        "html_url":"https://github.com/a/b","size":"big"})")
                .ok());
}

void TestValidation::cloudflareAnswers()
{
    const auto refused = cloudflareEnvelope(
        R"({"success":false,"errors":[{"code":9109,"message":"Invalid access token"},{"message":"and more"}]})");
    QCOMPARE(refused.error().code, QStringLiteral("cloudflare.error"));
    QCOMPARE(refused.message(),
             QStringLiteral("Cloudflare refused: Invalid access token (code 9109); and more"));
    QCOMPARE(cloudflareEnvelope(R"({"success":false,"errors":[]})").message(),
             QStringLiteral("Cloudflare refused the request and gave no reason."));
    QCOMPARE(cloudflareEnvelope("<html>").error().code, QStringLiteral("json.malformed"));
    QCOMPARE(cloudflareEnvelope(R"({"result":[]})").error().code, QStringLiteral("cloudflare.schema"));

    const auto list = cloudflareEnvelope(R"({"success":true,"errors":[],"result":[
        {"id":"a1","type":"A","name":"app.example.com","content":"t.cfargotunnel.com"},
        {"id":"c-other","type":"CNAME","name":"other.example.com","content":"t.cfargotunnel.com"},
        {"id":"c-elsewhere","type":"CNAME","name":"app.example.com","content":"lb.example.net"},
        {"id":"c1","type":"CNAME","name":"APP.example.com.","content":"t.cfargotunnel.com"}]})");
    QVERIFY2(list.ok(), qPrintable(list.message()));
    QCOMPARE(cnameRecordId(list.value(), "app.example.com", "t.cfargotunnel.com"), QStringLiteral("c1"));
    QCOMPARE(cnameRecordId(list.value(), "new.example.com", "t.cfargotunnel.com"), QString());
    QCOMPARE(cnameRecordId(list.value(), "app.example.com", "u.cfargotunnel.com"), QString());
}

void TestValidation::githubAnswers()
{
    const QByteArray runner =
        R"({"id":23,"name":"r","os":"linux","status":"offline","busy":false,"labels":[]})";
    const auto jit = parseJitConfigAnswer(R"({"runner":)" + runner + R"(,"encoded_jit_config":"abc"})");
    QVERIFY2(jit.ok(), qPrintable(jit.message()));
    QCOMPARE(jit->runner.id, 23);
    QCOMPARE(jit->encodedJitConfig, QStringLiteral("abc"));
    QVERIFY(parseJitConfigAnswer(R"({"runner":)" + runner + "}").message().contains("encoded_jit_config"));
    QVERIFY(parseJitConfigAnswer(R"({"encoded_jit_config":"abc"})").message().contains("runner"));
    QVERIFY(
        parseJitConfigAnswer(R"({"runner":{"id":"x"},"encoded_jit_config":"abc"})").message().contains("id"));

    const auto token = parseTokenAnswer(R"({"token":"t0k","expires_at":"2020-01-22T12:13:35.123-08:00"})");
    QVERIFY2(token.ok(), qPrintable(token.message()));
    QCOMPARE(token->expiresAt, QDateTime(QDate(2020, 1, 22), QTime(20, 13, 35, 123), Qt::UTC));
    QVERIFY(
        parseTokenAnswer(R"({"token":"","expires_at":"2020-01-22T12:13:35Z"})").message().contains("token"));
    QVERIFY(parseTokenAnswer(R"({"token":"t0k","expires_at":"soon"})").message().contains("expires_at"));
    QCOMPARE(parseTokenAnswer("{\"token\":").error().code, QStringLiteral("json.malformed"));

    QCOMPARE(
        parseRunnerLabels(R"({"total_count":2,"labels":[{"name":"self-hosted"},{"name":"gpu"}]})").value(),
        QStringList({"self-hosted", "gpu"}));
    QVERIFY(parseRunnerLabels(R"({"labels":[{"id":1}]})").message().contains("without a name"));
    QVERIFY(parseRunnerLabels(R"({"total_count":0})").message().contains("labels"));
}

void TestValidation::dockerAnswers()
{
    const QString id = QStringLiteral("e90e34656806d2e1c2c1b4f2d3a6f1f5b9a3c1d2e3f4a5b6c7d8e9f0a1b2c3d4");
    QCOMPARE(parseCreatedContainer(QStringLiteral(R"({"Id":"%1","Warnings":[]})").arg(id).toUtf8()).value(),
             id);
    // An id that would change the path of the next request (start, remove) is refused.
    for (const QByteArray &bad : {QByteArray(R"({"Id":"../images/busybox"})"), QByteArray(R"({"Id":"abc"})"),
                                  QByteArray(R"({"Warnings":[]})"), QByteArray("[]")}) {
        const auto r = parseCreatedContainer(bad);
        QVERIFY2(!r.ok(), bad.constData());
        QCOMPARE(r.error().code, QStringLiteral("docker.schema"));
    }
    const auto info = parseContainerLogInfo(R"({"Name":"/web-1","Config":{"Tty":true}})");
    QVERIFY2(info.ok(), qPrintable(info.message()));
    QVERIFY(info->tty);
    QCOMPARE(info->name, QStringLiteral("web-1"));
    QVERIFY(!parseContainerLogInfo(R"({"Name":"/web-1"})")->tty); // no Config: not a TTY
    QCOMPARE(parseContainerLogInfo(R"({"Config":{"Tty":"yes"}})").error().code,
             QStringLiteral("docker.schema"));
    QCOMPARE(parseContainerLogInfo("<html>").error().code, QStringLiteral("json.malformed"));
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
