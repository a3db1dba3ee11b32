// The compose reader (models/deploy/composefile.h) on files shaped like public projects: YAML 1.2
// scalars, anchors and merges, interpolation, .env and env_file, profiles, every port syntax, and
// the choice of the service and port a tunnel route points to.
#include "models/deploy/composefile.h"

#include <QTest>

using namespace opsdeck;

namespace {
ComposeInput input(const QString &text, const QHash<QString, QString> &files = {},
                   const QHash<QString, QString> &environment = {})
{
    ComposeInput in;
    in.text = text;
    in.environment = environment;
    in.readFile = [files](const QString &path) -> Result<QString> {
        if (files.contains(path))
            return files.value(path);
        return makeError("file.missing", QStringLiteral("%1 does not exist").arg(path));
    };
    return in;
}

ComposeProject read(const QString &text, const QHash<QString, QString> &files = {},
                    const QHash<QString, QString> &environment = {})
{
    auto p = readComposeProject(input(text, files, environment));
    if (!p)
        qWarning("%s", qPrintable(p.message()));
    return p ? p.value() : ComposeProject{};
}
} // namespace

class TestCompose : public QObject
{
    Q_OBJECT
private slots:
    void yaml12Scalars();
    void anchorsAndMerges();
    void interpolation_data();
    void interpolation();
    void interpolationInTheFile();
    void dotEnv();
    void envFiles();
    void profiles();
    void ports_data();
    void ports();
    void badFiles_data();
    void badFiles();
    void v2OnlyFeatures();
    void routeChoice_data();
    void routeChoice();
    void explicitRoute();
    void composeFileCandidates();
};

void TestCompose::yaml12Scalars()
{
    // Gitea's compose publishes SSH as 22222:22: YAML 1.1 would read a base-60 number (1333342).
    const auto p = read(QStringLiteral("services:\n"
                                       "  gitea:\n"
                                       "    image: gitea/gitea:1.22\n"
                                       "    ports:\n"
                                       "      - 22222:22\n"
                                       "      - 3000:3000\n"
                                       "      - 8080\n"
                                       "    labels:\n"
                                       "      backup: yes\n"
                                       "      replicas: 0o17\n"
                                       "      enabled: true\n"
                                       "      empty:\n"));
    QCOMPARE(p.services.size(), 1);
    const ComposeService &s = p.services.first();
    QCOMPARE(s.ports.size(), 3);
    QCOMPARE(s.ports.at(0).published, QStringLiteral("22222"));
    QCOMPARE(s.ports.at(0).target, 22);
    QCOMPARE(s.ports.at(2).published, QString());
    QCOMPARE(s.ports.at(2).target, 8080);
    QCOMPARE(s.labels.value("backup"), QStringLiteral("yes")); // a string in YAML 1.2, not true
    QCOMPARE(s.labels.value("replicas"), QStringLiteral("15"));
    QCOMPARE(s.labels.value("enabled"), QStringLiteral("true"));
    QCOMPARE(s.labels.value("empty"), QString());
}

void TestCompose::anchorsAndMerges()
{
    const auto p = read(QStringLiteral("x-common: &common\n"
                                       "  image: busybox:1.36\n"
                                       "  labels: &labels\n"
                                       "    team: platform\n"
                                       "  environment:\n"
                                       "    LEVEL: info\n"
                                       "x-ports: &web-ports\n"
                                       "  ports: [\"127.0.0.1:8080:80\"]\n"
                                       "services:\n"
                                       "  web:\n"
                                       "    <<: [*common, *web-ports]\n"
                                       "    environment:\n"
                                       "      LEVEL: debug\n"
                                       "  worker:\n"
                                       "    <<: *common\n"
                                       "    labels: *labels\n"));
    QCOMPARE(p.services.size(), 2);
    const ComposeService *web = p.service(QStringLiteral("web"));
    QVERIFY(web);
    QCOMPARE(web->image, QStringLiteral("busybox:1.36"));
    QCOMPARE(web->labels.value("team"), QStringLiteral("platform"));
    QCOMPARE(web->environment.value("LEVEL"), QStringLiteral("debug")); // own keys win over merged ones
    QCOMPARE(web->ports.size(), 1);
    QCOMPARE(p.service(QStringLiteral("worker"))->labels.value("team"), QStringLiteral("platform"));
    QVERIFY(p.service(QStringLiteral("worker"))->ports.isEmpty());
}

void TestCompose::interpolation_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected"); // "!" + code: an error
    QTest::newRow("braced") << "${SET}"
                            << "value";
    QTest::newRow("plain") << "$SET/x"
                           << "value/x";
    QTest::newRow("unset: empty") << "a${UNSET}b"
                                  << "ab";
    QTest::newRow(":- unset") << "${UNSET:-d}"
                              << "d";
    QTest::newRow(":- empty") << "${EMPTY:-d}"
                              << "d";
    QTest::newRow(":- set") << "${SET:-d}"
                            << "value";
    QTest::newRow("- unset") << "${UNSET-d}"
                             << "d";
    QTest::newRow("- empty stays empty") << "${EMPTY-d}"
                                         << "";
    QTest::newRow(":? set") << "${SET:?needed}"
                            << "value";
    QTest::newRow(":? unset") << "${UNSET:?needed}"
                              << "!compose.variable";
    QTest::newRow(":? empty") << "${EMPTY:?needed}"
                              << "!compose.variable";
    QTest::newRow("? empty is fine") << "${EMPTY?needed}"
                                     << "";
    QTest::newRow("? unset") << "${UNSET?needed}"
                             << "!compose.variable";
    QTest::newRow(":+ set") << "${SET:+alt}"
                            << "alt";
    QTest::newRow(":+ empty") << "${EMPTY:+alt}"
                              << "";
    QTest::newRow("+ empty") << "${EMPTY+alt}"
                             << "alt";
    QTest::newRow("+ unset") << "${UNSET+alt}"
                             << "";
    QTest::newRow("$$") << "$$HOME and $${SET}"
                        << "$HOME and ${SET}";
    QTest::newRow("nested default") << "${UNSET:-${SET}-x}"
                                    << "value-x";
    QTest::newRow("default with colon") << "${UNSET:-127.0.0.1:8080}"
                                        << "127.0.0.1:8080";
    QTest::newRow("lone $") << "cost: 5$"
                            << "cost: 5$";
    QTest::newRow("$ then digit") << "$5"
                                  << "$5";
    QTest::newRow("unclosed") << "${SET"
                              << "!compose.interpolation";
    QTest::newRow("bad name") << "${1X}"
                              << "!compose.interpolation";
    QTest::newRow("bad operator") << "${SET/x}"
                                  << "!compose.interpolation";
}

void TestCompose::interpolation()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const QHash<QString, QString> vars{{"SET", "value"}, {"EMPTY", ""}};
    const auto r = interpolateCompose(value, vars);
    if (expected.startsWith(QLatin1Char('!'))) {
        QVERIFY(!r);
        QCOMPARE(r.error().code, expected.mid(1));
        if (expected == QLatin1String("!compose.variable"))
            QVERIFY2(r.message().contains(QLatin1String("needed")), qPrintable(r.message()));
    } else {
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
        QCOMPARE(r.value(), expected);
    }
}

void TestCompose::interpolationInTheFile()
{
    const QString text = QStringLiteral("services:\n"
                                        "  app:\n"
                                        "    image: \"ghcr.io/acme/app:${TAG:-latest}\"\n"
                                        "    ports:\n"
                                        "      - \"${BIND:-127.0.0.1}:${PORT:?set PORT}:8080\"\n"
                                        "    environment:\n"
                                        "      PRICE: \"$$5\"\n"
                                        "      HOME_DIR: ${NOT_SET_ANYWHERE}\n");
    auto refused = readComposeProject(input(text));
    QVERIFY(!refused);
    QVERIFY2(refused.message().contains(QLatin1String("PORT")) &&
                 refused.message().contains(QLatin1String("set PORT")) &&
                 refused.message().contains(QLatin1String("services.app.ports")),
             qPrintable(refused.message()));
    const auto p = read(text, {}, {{"PORT", "8081"}});
    const ComposeService &s = p.services.first();
    QCOMPARE(s.image, QStringLiteral("ghcr.io/acme/app:latest"));
    QCOMPARE(s.ports.first().hostIp, QStringLiteral("127.0.0.1"));
    QCOMPARE(s.ports.first().publishedPort(), 8081);
    QCOMPARE(s.environment.value("PRICE"), QStringLiteral("$5"));
    QCOMPARE(p.warnings.size(), 1);
    QVERIFY(p.warnings.first().contains(QLatin1String("NOT_SET_ANYWHERE")));
}

void TestCompose::dotEnv()
{
    const QString text = QStringLiteral("name: ${PROJECT}\n"
                                        "services:\n"
                                        "  web:\n"
                                        "    image: nginx:${TAG}\n"
                                        "    ports: [\"${PORT}:80\"]\n"
                                        "    environment:\n"
                                        "      - GREETING=${GREETING}\n"
                                        "      - QUOTED=${QUOTED}\n");
    const QString dotenv = QStringLiteral("# the project's defaults\n"
                                          "PROJECT=shop\n"
                                          "export TAG=1.27\n"
                                          "PORT=8080 # the host port\n"
                                          "GREETING='hello ${PROJECT} # literally'\n"
                                          "QUOTED=\"line\\nnext ${PROJECT}\"\n"
                                          "\r\n");
    auto p = read(text, {{".env", dotenv}});
    QCOMPARE(p.name, QStringLiteral("shop"));
    QCOMPARE(p.services.first().image, QStringLiteral("nginx:1.27"));
    QCOMPARE(p.services.first().ports.first().publishedPort(), 8080);
    QCOMPARE(p.services.first().environment.value("GREETING"),
             QStringLiteral("hello ${PROJECT} # literally"));
    QCOMPARE(p.services.first().environment.value("QUOTED"), QStringLiteral("line\nnext shop"));
    // The environment compose runs with wins over .env.
    p = read(text, {{".env", dotenv}}, {{"TAG", "1.28"}});
    QCOMPARE(p.services.first().image, QStringLiteral("nginx:1.28"));
    // A broken .env is named.
    auto broken = readComposeProject(input(text, {{".env", QStringLiteral("PORT=8080\nBAD KEY=1\n")}}));
    QVERIFY(!broken);
    QVERIFY2(broken.message().contains(QLatin1String(".env, line 2")), qPrintable(broken.message()));
}

void TestCompose::envFiles()
{
    const QString text = QStringLiteral("services:\n"
                                        "  app:\n"
                                        "    image: app\n"
                                        "    env_file: [common.env, app.env]\n"
                                        "    environment:\n"
                                        "      MODE: production\n"
                                        "  optional:\n"
                                        "    image: app\n"
                                        "    env_file:\n"
                                        "      - path: ./missing.env\n"
                                        "        required: false\n");
    const auto p = read(text, {{"common.env", "MODE=dev\nREGION=eu\n"}, {"app.env", "REGION=us\nTOKEN\n"}},
                        {{"TOKEN", "from-env"}});
    const ComposeService *app = p.service(QStringLiteral("app"));
    QVERIFY(app);
    QCOMPARE(app->environment.value("MODE"), QStringLiteral("production")); // environment: wins
    QCOMPARE(app->environment.value("REGION"), QStringLiteral("us"));       // later files win
    QCOMPARE(app->environment.value("TOKEN"), QStringLiteral("from-env"));
    QVERIFY(p.v2Only.join(' ').contains(QLatin1String("env_file")));
    auto missing = readComposeProject(input(text, {{"common.env", "A=1\n"}}));
    QVERIFY(!missing);
    QVERIFY2(missing.message().contains(QLatin1String("app.env")), qPrintable(missing.message()));
}

void TestCompose::profiles()
{
    const QString text = QStringLiteral("services:\n"
                                        "  web:\n"
                                        "    image: web\n"
                                        "  debug:\n"
                                        "    image: busybox\n"
                                        "    profiles: [debug]\n"
                                        "    ports: [\"127.0.0.1:9000:9000\"]\n");
    auto p = read(text);
    QVERIFY(p.service(QStringLiteral("web"))->active);
    QVERIFY(!p.service(QStringLiteral("debug"))->active);
    QVERIFY(routeCandidates(p).isEmpty()); // the debug service would not start
    p = read(text, {{".env", "COMPOSE_PROFILES=debug,other\n"}});
    QVERIFY(p.service(QStringLiteral("debug"))->active);
    QCOMPARE(routeCandidates(p).size(), 1);
}

void TestCompose::ports_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("hostIp");
    QTest::addColumn<QString>("published");
    QTest::addColumn<int>("target");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<bool>("fixed");
    QTest::newRow("container only") << "\"80\""
                                    << ""
                                    << "" << 80 << "tcp" << false;
    QTest::newRow("integer") << "80"
                             << ""
                             << "" << 80 << "tcp" << false;
    QTest::newRow("host:container") << "\"8080:80\""
                                    << ""
                                    << "8080" << 80 << "tcp" << true;
    QTest::newRow("ip:host:container") << "\"127.0.0.1:8080:80\""
                                       << "127.0.0.1"
                                       << "8080" << 80 << "tcp" << true;
    QTest::newRow("ip, random host port") << "\"127.0.0.1::80\""
                                          << "127.0.0.1"
                                          << "" << 80 << "tcp" << false;
    QTest::newRow("range") << "\"8000-8010:80\""
                           << ""
                           << "8000-8010" << 80 << "tcp" << false;
    QTest::newRow("ranges both") << "\"9090-9091:8080-8081\""
                                 << ""
                                 << "9090-9091" << 8080 << "tcp" << false;
    QTest::newRow("udp") << "\"53:53/udp\""
                         << ""
                         << "53" << 53 << "udp" << true;
    QTest::newRow("ipv6") << "\"[::1]:8080:80\""
                          << "::1"
                          << "8080" << 80 << "tcp" << true;
    QTest::newRow("long") << "{target: 80, published: \"8080\", host_ip: 127.0.0.1}"
                          << "127.0.0.1"
                          << "8080" << 80 << "tcp" << true;
    QTest::newRow("long, integer published") << "{target: 80, published: 8080, protocol: tcp}"
                                             << ""
                                             << "8080" << 80 << "tcp" << true;
    QTest::newRow("long, no published") << "{target: 3000}"
                                        << ""
                                        << "" << 3000 << "tcp" << false;
}

void TestCompose::ports()
{
    QFETCH(QString, yaml);
    QFETCH(QString, hostIp);
    QFETCH(QString, published);
    QFETCH(int, target);
    QFETCH(QString, protocol);
    QFETCH(bool, fixed);
    const auto p = readComposeProject(
        input(QStringLiteral("services:\n  s:\n    image: x\n    ports:\n      - %1\n").arg(yaml)));
    QVERIFY2(p, p ? "" : qPrintable(p.message()));
    const ComposePort &port = p->services.first().ports.first();
    QCOMPARE(port.hostIp, hostIp);
    QCOMPARE(port.published, published);
    QCOMPARE(port.target, target);
    QCOMPARE(port.protocol, protocol);
    QCOMPARE(port.fixedHostPort(), fixed);
}

void TestCompose::badFiles_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("not YAML") << "services: [unclosed"
                              << "compose.yaml"
                              << "line";
    QTest::newRow("a list") << "- a\n- b\n"
                            << "compose.schema"
                            << "services";
    QTest::newRow("no services") << "version: '3'\n"
                                 << "compose.schema"
                                 << "no services";
    QTest::newRow("empty services") << "services: {}\n"
                                    << "compose.schema"
                                    << "no services";
    QTest::newRow("service not a mapping") << "services:\n  web: [1]\n"
                                           << "compose.schema"
                                           << "services.web";
    QTest::newRow("port too big") << "services:\n  web:\n    ports: [\"99999:80\"]\n"
                                  << "compose.ports"
                                  << "99999";
    QTest::newRow("port words") << "services:\n  web:\n    ports: [\"a:b\"]\n"
                                << "compose.ports"
                                << "services.web.ports";
    QTest::newRow("too many colons") << "services:\n  web:\n    ports: [\"1:2:3:4\"]\n"
                                     << "compose.ports"
                                     << "1:2:3:4";
    QTest::newRow("bad protocol") << "services:\n  web:\n    ports: [\"80/http\"]\n"
                                  << "compose.ports"
                                  << "protocol";
    QTest::newRow("ports not a list") << "services:\n  web:\n    ports: \"80\"\n"
                                      << "compose.ports"
                                      << "list";
    QTest::newRow("merge of a scalar") << "services:\n  web:\n    <<: 5\n"
                                       << "compose.yaml"
                                       << "<<";
    QTest::newRow("alias bomb") << "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                                   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                                   "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                                   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                                   "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                                   "services:\n  web:\n    image: x\n"
                                << "compose.yaml"
                                << "more than Opsdeck reads";
}

void TestCompose::badFiles()
{
    QFETCH(QString, text);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    const auto p = readComposeProject(input(text));
    QVERIFY(!p);
    QCOMPARE(p.error().code, code);
    QVERIFY2(p.message().contains(mentions), qPrintable(p.message()));
    QVERIFY2(p.message().contains(QLatin1String("compose.yaml")), qPrintable(p.message()));
}

void TestCompose::v2OnlyFeatures()
{
    const auto p = read(QStringLiteral("name: shop\n"
                                       "services:\n"
                                       "  web:\n"
                                       "    image: x\n"
                                       "    develop:\n"
                                       "      watch: []\n"
                                       "    depends_on:\n"
                                       "      db: {condition: service_started, required: false}\n"
                                       "  db:\n"
                                       "    image: postgres:16\n"));
    const QString all = p.v2Only.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QLatin1String("name: shop")) &&
                 all.contains(QLatin1String("services.web.develop")) &&
                 all.contains(QLatin1String("depends_on")),
             qPrintable(all));
    QVERIFY(read(QStringLiteral("services:\n  web:\n    image: x\n")).v2Only.isEmpty());
}

void TestCompose::routeChoice_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("service"); // "!" + code: refused
    QTest::addColumn<int>("target");
    QTest::addColumn<int>("hostPort");
    QTest::newRow("database and web app")
        << "services:\n  db:\n    image: postgres:16\n    ports: [\"127.0.0.1:5432:5432\"]\n"
           "  app:\n    image: ghcr.io/acme/app:1\n    ports: [\"127.0.0.1:8080:8080\"]\n"
        << "app" << 8080 << 8080;
    QTest::newRow("SSH and HTTP (gitea)") << "services:\n  gitea:\n    image: gitea/gitea:1.22\n    ports:\n "
                                             "     - 22222:22\n      - 3000:3000\n"
                                          << "gitea" << 3000 << 3000;
    QTest::newRow("only SSH")
        << "services:\n  ssh:\n    image: linuxserver/openssh-server\n    ports: [\"2222:2222\"]\n"
        << "!compose.route-port" << 0 << 0;
    QTest::newRow("random host port") << "services:\n  web:\n    image: nginx\n    ports: [\"80\"]\n"
                                      << "!compose.route-port" << 0 << 0;
    QTest::newRow("host port range") << "services:\n  web:\n    image: nginx\n    ports: [\"8000-8005:80\"]\n"
                                     << "!compose.route-port" << 0 << 0;
    QTest::newRow("label picks")
        << "services:\n  api:\n    image: a\n    ports: [\"8000:8000\"]\n"
           "  admin:\n    image: b\n    ports: [\"9999:9999\"]\n    labels:\n      opsdeck.route: \"9999\"\n"
        << "admin" << 9999 << 9999;
    QTest::newRow("label true on a one-port service")
        << "services:\n  web:\n    image: a\n    ports: [\"8080:80\"]\n"
           "  other:\n    image: b\n    ports: [\"8081:8081\"]\n    labels: [opsdeck.route=true]\n"
        << "other" << 8081 << 8081;
    QTest::newRow("two web apps: ambiguous") << "services:\n  a:\n    image: a\n    ports: [\"8080:80\"]\n  "
                                                "b:\n    image: b\n    ports: [\"8081:80\"]\n"
                                             << "!compose.route-ambiguous" << 0 << 0;
    QTest::newRow("nothing published") << "services:\n  worker:\n    image: a\n"
                                       << "!compose.route-port" << 0 << 0;
}

void TestCompose::routeChoice()
{
    QFETCH(QString, text);
    QFETCH(QString, service);
    QFETCH(int, target);
    QFETCH(int, hostPort);
    const auto p = readComposeProject(input(text));
    QVERIFY2(p, p ? "" : qPrintable(p.message()));
    const auto chosen = chooseRoute(p.value(), QString(), 0);
    if (service.startsWith(QLatin1Char('!'))) {
        QVERIFY(!chosen);
        QCOMPARE(chosen.error().code, service.mid(1));
        return;
    }
    QVERIFY2(chosen, chosen ? "" : qPrintable(chosen.message()));
    QCOMPARE(chosen->service, service);
    QCOMPARE(chosen->target, target);
    QCOMPARE(chosen->port.publishedPort(), hostPort);
}

void TestCompose::explicitRoute()
{
    const auto p = read(QStringLiteral("services:\n"
                                       "  web:\n"
                                       "    image: nginx\n"
                                       "    ports: [\"127.0.0.1:8080:80\", \"443\"]\n"
                                       "  db:\n"
                                       "    image: postgres:16\n"
                                       "    expose: [5432]\n"));
    auto r = chooseRoute(p, QStringLiteral("web"), 80);
    QVERIFY2(r, r ? "" : qPrintable(r.message()));
    QCOMPARE(r->port.publishedPort(), 8080);
    // Not on a fixed host port: refused with the fix in words.
    r = chooseRoute(p, QStringLiteral("web"), 443);
    QVERIFY(!r);
    QVERIFY2(r.message().contains(QLatin1String("fixed host port")) &&
                 r.message().contains(QLatin1String("127.0.0.1:8080:443")),
             qPrintable(r.message()));
    r = chooseRoute(p, QStringLiteral("db"), 5432); // exposed only
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("compose.route-port"));
    r = chooseRoute(p, QStringLiteral("web"), 0); // two ports: say which
    QCOMPARE(r.error().code, QStringLiteral("compose.route-ambiguous"));
    r = chooseRoute(p, QStringLiteral("cache"), 80);
    QCOMPARE(r.error().code, QStringLiteral("compose.route-service"));
    r = chooseRoute(p, QStringLiteral("web"), 9999);
    QCOMPARE(r.error().code, QStringLiteral("compose.route-port"));
    // The candidates for the dialog: web's 80 first; the database's last.
    const auto all = routeCandidates(p);
    QCOMPARE(all.first().service, QStringLiteral("web"));
    QCOMPARE(all.first().target, 80);
    QCOMPARE(all.last().service, QStringLiteral("db"));
}

void TestCompose::composeFileCandidates()
{
    QCOMPARE(opsdeck::composeFileCandidates({"README.md", "docker-compose-dev.yml", "docker-compose.yml",
                                             "compose.yaml", "prod.yaml", ".gitlab-ci.yml", "Dockerfile"}),
             (QStringList{"compose.yaml", "docker-compose.yml", "docker-compose-dev.yml", "prod.yaml"}));
}

QTEST_GUILESS_MAIN(TestCompose)
#include "tst_compose.moc"
