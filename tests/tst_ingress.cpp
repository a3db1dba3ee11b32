// cloudflared's config.yml: validation by cloudflared's own table of valid and invalid ingress
// configurations (shared/specs/cloudflare/cloudflared-2026.8.2.ingress.excerpt.md, TestParseIngress),
// and route edits that keep comments, layout and unrelated keys.
#include "models/tunnel/ingress.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestIngress : public QObject
{
    Q_OBJECT
private slots:
    void cloudflaredTable_data();
    void cloudflaredTable();
    void addKeepsCommentsAndCatchAllLast();
    void updateAndRemove();
    void refusals_data();
    void refusals();
    void diffShowsTheChange();
    void commentsBelongToTheRuleBelow();
    void blankLineSeparatedRules();
    void wildcardRoutes();
    void wildcardRefusals_data();
    void wildcardRefusals();
    void diffRemovedBeforeAdded();
    void diffMatchesDiffU_data();
    void diffMatchesDiffU();
    void atomicWriteWithBackup();
};

void TestIngress::cloudflaredTable_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<bool>("valid");
    // The cases of cloudflared's TestParseIngress, with its YAML.
    QTest::newRow("Empty file") << "" << false;
    QTest::newRow("Multiple rules")
        << "ingress:\n - hostname: tunnel1.example.com\n   service: https://localhost:8000\n"
           " - hostname: \"*\"\n   service: https://localhost:8001\n"
        << true;
    QTest::newRow("Extra keys")
        << "ingress:\n - hostname: \"*\"\n   service: https://localhost:8000\nextraKey: extraValue\n"
        << true;
    QTest::newRow("ws service") << "ingress:\n - hostname: \"*\"\n   service: wss://localhost:8000\n" << true;
    QTest::newRow("Hostname can be omitted") << "ingress:\n - service: https://localhost:8000\n" << true;
    QTest::newRow("Unicode domain")
        << "ingress:\n - hostname: môô.cloudflare.com\n   service: https://localhost:8000\n"
           " - service: https://localhost:8001\n"
        << true;
    QTest::newRow("Invalid unicode domain")
        << "ingress:\n - hostname: \xef\xbf\xbd.cloudflare.com\n   service: https://localhost:8000\n"
        << false;
    QTest::newRow("Invalid service") << "ingress:\n - hostname: \"*\"\n   service: https://local host:8000\n"
                                     << false;
    QTest::newRow("Last rule isn't catchall")
        << "ingress:\n - hostname: example.com\n   service: https://localhost:8000\n"
        << false;
    QTest::newRow("First rule is catchall")
        << "ingress:\n - service: https://localhost:8000\n - hostname: example.com\n"
           "   service: https://localhost:8000\n"
        << false;
    QTest::newRow("Catch-all rule can't have a path")
        << "ingress:\n - service: https://localhost:8001\n   path: /subpath1/(.*)/subpath2\n"
        << false;
    QTest::newRow("Invalid regex")
        << "ingress:\n - hostname: example.com\n   service: https://localhost:8000\n"
           "   path: \"*/subpath2\"\n - service: https://localhost:8001\n"
        << false;
    QTest::newRow("Service must have a scheme") << "ingress:\n - service: localhost:8000\n" << false;
    QTest::newRow("Wildcard not at start")
        << "ingress:\n - hostname: \"test.*.example.com\"\n   service: https://localhost:8000\n"
        << false;
    QTest::newRow("Service can't have a path") << "ingress:\n - service: https://localhost:8000/static/\n"
                                               << false;
    QTest::newRow("Invalid HTTP status") << "ingress:\n - service: http_status:asdf\n" << false;
    QTest::newRow("Invalid HTTP status code") << "ingress:\n - service: http_status:8080\n" << false;
    QTest::newRow("Valid HTTP status") << "ingress:\n - service: http_status:404\n" << true;
    QTest::newRow("Valid hello world service") << "ingress:\n - service: hello_world\n" << true;
    QTest::newRow("TCP services")
        << "ingress:\n- hostname: tcp.foo.com\n  service: tcp://127.0.0.1\n"
           "- hostname: tcp2.foo.com\n  service: tcp://localhost:8000\n- service: http_status:404\n"
        << true;
    QTest::newRow("SSH services") << "ingress:\n- service: ssh://127.0.0.1\n" << true;
    QTest::newRow("RDP services") << "ingress:\n- service: rdp://127.0.0.1\n" << true;
    QTest::newRow("SMB services") << "ingress:\n- service: smb://127.0.0.1\n" << true;
    QTest::newRow("Other TCP services") << "ingress:\n- service: ftp://127.0.0.1\n" << true;
    QTest::newRow("SOCKS services") << "ingress:\n- hostname: socks.foo.com\n  service: socks-proxy\n"
                                       "- service: http_status:404\n"
                                    << true;
    QTest::newRow("URL isn't necessary if using bastion")
        << "ingress:\n- hostname: bastion.foo.com\n  originRequest:\n    bastionMode: true\n- service: "
           "http_status:404\n"
        << true;
    QTest::newRow("Bastion service") << "ingress:\n- hostname: bastion.foo.com\n  service: bastion\n"
                                        "- service: http_status:404\n"
                                     << true;
    QTest::newRow("Hostname contains port") << "ingress:\n - hostname: \"test.example.com:443\"\n"
                                               "   service: https://localhost:8000\n - hostname: \"*\"\n"
                                               "   service: https://localhost:8001\n"
                                            << false;
    QTest::newRow("Not YAML") << "ingress: [unclosed\n" << false;
}

void TestIngress::cloudflaredTable()
{
    QFETCH(QString, yaml);
    QFETCH(bool, valid);
    const auto r = checkTunnelConfig(yaml);
    QVERIFY2(r.ok() == valid, qPrintable(r.ok() ? QStringLiteral("accepted") : r.message()));
    if (!valid)
        QVERIFY(!r.message().isEmpty());
}

static const char *sample = R"(# Opsdeck test tunnel
tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
credentials-file: /etc/cloudflared/6ff42ae2.json

ingress:
  # the wiki, for the whole company
  - hostname: wiki.example.com
    service: http://localhost:3000   # keep this comment
    originRequest:
      connectTimeout: 10s
  - hostname: grafana.example.com
    service: http://localhost:3001
  # everything else
  - service: http_status:404

warp-routing:
  enabled: false
)";

void TestIngress::addKeepsCommentsAndCatchAllLast()
{
    const auto added = addRoute(QString::fromUtf8(sample), QStringLiteral("excalidraw.example.com"), 8090);
    QVERIFY2(added.ok(), qPrintable(added.message()));
    const QString text = added.value();
    // Every original line is still there, in order.
    const QStringList before = QString::fromUtf8(sample).split('\n');
    QStringList after = text.split('\n');
    for (const QString &line : {QStringLiteral("  - hostname: excalidraw.example.com"),
                                QStringLiteral("    service: http://localhost:8090")})
        QVERIFY(after.removeOne(line));
    QCOMPARE(after, before);
    const auto config = checkTunnelConfig(text).value();
    QCOMPARE(config.rules.size(), 4);
    QCOMPARE(config.rules.at(2).hostname, QStringLiteral("excalidraw.example.com"));
    QCOMPARE(config.rules.at(2).service, QStringLiteral("http://localhost:8090"));
    QCOMPARE(config.rules.last().service, QStringLiteral("http_status:404")); // the catch-all stays last
    QCOMPARE(config.tunnel, QStringLiteral("6ff42ae2-765d-4adf-8112-31c55c1551ef"));
    QVERIFY(text.contains(QStringLiteral("warp-routing:\n  enabled: false")));
}

void TestIngress::updateAndRemove()
{
    auto updated = updateRoute(QString::fromUtf8(sample), QStringLiteral("wiki.example.com"), 3005);
    QVERIFY2(updated.ok(), qPrintable(updated.message()));
    QVERIFY(updated->contains(QStringLiteral("    service: http://localhost:3005   # keep this comment")));
    QVERIFY(updated->contains(QStringLiteral("      connectTimeout: 10s"))); // the rule's other keys stay
    QCOMPARE(updated->split('\n').size(), QString::fromUtf8(sample).split('\n').size());

    auto removed = removeRoute(QString::fromUtf8(sample), QStringLiteral("wiki.example.com"));
    QVERIFY2(removed.ok(), qPrintable(removed.message()));
    const auto config = checkTunnelConfig(removed.value()).value();
    QCOMPARE(config.rules.size(), 2);
    QCOMPARE(config.rules.first().hostname, QStringLiteral("grafana.example.com"));
    QVERIFY(!removed->contains(QStringLiteral("connectTimeout")));
    QVERIFY(removed->contains(QStringLiteral("# everything else")));
    QVERIFY(removed->contains(QStringLiteral("# Opsdeck test tunnel")));
}

void TestIngress::refusals_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("hostname");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("code");
    QTest::newRow("duplicate") << "add"
                               << "grafana.example.com" << 9000 << "ingress.duplicate";
    QTest::newRow("duplicate, other case") << "add"
                                           << "Grafana.Example.com" << 9000 << "ingress.duplicate";
    QTest::newRow("bad hostname") << "add"
                                  << "bad_host.example.com" << 9000 << "dns.hostname";
    QTest::newRow("port zero") << "add"
                               << "new.example.com" << 0 << "port.range";
    QTest::newRow("update missing") << "update"
                                    << "nope.example.com" << 9000 << "ingress.missing";
    QTest::newRow("remove missing") << "remove"
                                    << "nope.example.com" << 0 << "ingress.missing";
}

void TestIngress::refusals()
{
    QFETCH(QString, op);
    QFETCH(QString, hostname);
    QFETCH(int, port);
    QFETCH(QString, code);
    const QString text = QString::fromUtf8(sample);
    const Result<QString> r = op == "add"      ? addRoute(text, hostname, port)
                              : op == "update" ? updateRoute(text, hostname, port)
                                               : removeRoute(text, hostname);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, code);
    // A broken file is refused as it is, not "fixed".
    QVERIFY(
        !addRoute(QStringLiteral("ingress:\n - hostname: a.example.com\n   service: http://localhost:1\n"),
                  QStringLiteral("b.example.com"), 2)
             .ok());
}

void TestIngress::diffShowsTheChange()
{
    const QString before = QString::fromUtf8(sample);
    const QString after = addRoute(before, QStringLiteral("excalidraw.example.com"), 8090).value();
    const QString diff = unifiedDiff(before, after, QStringLiteral("config.yml"));
    QVERIFY(diff.startsWith(QStringLiteral("--- config.yml\n+++ config.yml (new)\n@@ ")));
    QVERIFY(diff.contains(
        QStringLiteral("\n+  - hostname: excalidraw.example.com\n+    service: http://localhost:8090\n")));
    QCOMPARE(diff.count(QStringLiteral("\n+")), 3); // the "+++" header and two added lines
    QCOMPARE(diff.count(QStringLiteral("\n-")), 0);
    QVERIFY(diff.contains(QStringLiteral("\n   - service: http_status:404"))); // context
}

void TestIngress::commentsBelongToTheRuleBelow()
{
    // Removing the wiki takes its own comment along; the catch-all keeps its comment.
    const auto removed = removeRoute(QString::fromUtf8(sample), QStringLiteral("wiki.example.com"));
    QVERIFY2(removed.ok(), qPrintable(removed.message()));
    QVERIFY2(!removed->contains(QStringLiteral("the wiki, for the whole company")),
             qPrintable(removed.value()));
    QVERIFY(removed->contains(QStringLiteral("  # everything else\n  - service: http_status:404")));
    QVERIFY(removed->contains(QStringLiteral("ingress:\n  - hostname: grafana.example.com")));

    // An added rule goes above the catch-all's comment, not between the comment and its rule.
    const auto added = addRoute(QString::fromUtf8(sample), QStringLiteral("new.example.com"), 8090);
    QVERIFY2(added.ok(), qPrintable(added.message()));
    QVERIFY2(added->contains(QStringLiteral("    service: http://localhost:3001\n"
                                            "  - hostname: new.example.com\n"
                                            "    service: http://localhost:8090\n"
                                            "  # everything else\n"
                                            "  - service: http_status:404\n")),
             qPrintable(added.value()));
    // Removing it again gives the file back, byte for byte.
    QCOMPARE(removeRoute(added.value(), QStringLiteral("new.example.com")).value(),
             QString::fromUtf8(sample));
}

void TestIngress::blankLineSeparatedRules()
{
    const QString text = QStringLiteral("ingress:\n"
                                        "  # Wiki\n"
                                        "  - hostname: wiki.example.com\n"
                                        "    service: http://localhost:3000\n"
                                        "\n"
                                        "  # Grafana, for the on-call\n"
                                        "  # (read-only)\n"
                                        "  - hostname: grafana.example.com\n"
                                        "    service: http://localhost:3001\n"
                                        "\n"
                                        "  # Everything else\n"
                                        "  - service: http_status:404\n");
    const auto added = addRoute(text, QStringLiteral("new.example.com"), 8090);
    QVERIFY2(added.ok(), qPrintable(added.message()));
    QVERIFY2(added->contains(QStringLiteral("    service: http://localhost:3001\n"
                                            "\n"
                                            "  - hostname: new.example.com\n"
                                            "    service: http://localhost:8090\n"
                                            "\n"
                                            "  # Everything else\n")),
             qPrintable(added.value()));
    const auto removed = removeRoute(text, QStringLiteral("grafana.example.com"));
    QVERIFY2(removed.ok(), qPrintable(removed.message()));
    QCOMPARE(removed.value(), QStringLiteral("ingress:\n"
                                             "  # Wiki\n"
                                             "  - hostname: wiki.example.com\n"
                                             "    service: http://localhost:3000\n"
                                             "\n"
                                             "  # Everything else\n"
                                             "  - service: http_status:404\n"));
    QCOMPARE(removeRoute(added.value(), QStringLiteral("new.example.com")).value(), text);
}

void TestIngress::wildcardRoutes()
{
    // cloudflared accepts "*.example.com" (a '*' first only): added, updated and removed alike.
    const QString text = QStringLiteral("ingress:\n"
                                        "  - hostname: \"*.apps.example.com\"\n"
                                        "    service: http://localhost:3000\n"
                                        "  - service: http_status:404\n");
    const auto updated = updateRoute(text, QStringLiteral("*.apps.example.com"), 3100);
    QVERIFY2(updated.ok(), qPrintable(updated.message()));
    QCOMPARE(checkTunnelConfig(updated.value())->rules.first().service,
             QStringLiteral("http://localhost:3100"));
    const auto added = addRoute(updated.value(), QStringLiteral("*.example.org"), 3200);
    QVERIFY2(added.ok(), qPrintable(added.message()));
    const auto rules = checkTunnelConfig(added.value())->rules;
    QCOMPARE(rules.size(), 3);
    QCOMPARE(rules.at(1).hostname, QStringLiteral("*.example.org"));
    const auto removed = removeRoute(added.value(), QStringLiteral("*.apps.example.com"));
    QVERIFY2(removed.ok(), qPrintable(removed.message()));
    QCOMPARE(checkTunnelConfig(removed.value())->rules.size(), 2);
}

void TestIngress::wildcardRefusals_data()
{
    QTest::addColumn<QString>("hostname");
    QTest::newRow("the catch-all") << "*";
    QTest::newRow("inside") << "test.*.example.com";
    QTest::newRow("two") << "*.*.example.com";
    QTest::newRow("part of a label") << "*app.example.com";
    QTest::newRow("nothing after") << "*.";
    QTest::newRow("bad rest") << "*.bad_host.example.com";
}

void TestIngress::wildcardRefusals()
{
    QFETCH(QString, hostname);
    const QString text = QString::fromUtf8(sample);
    for (const Result<QString> &r : {addRoute(text, hostname, 9000), updateRoute(text, hostname, 9000)}) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("dns.hostname"));
    }
}

void TestIngress::diffRemovedBeforeAdded()
{
    const QString before = QString::fromUtf8(sample);
    const QString after = updateRoute(before, QStringLiteral("wiki.example.com"), 3005).value();
    const QString diff = unifiedDiff(before, after, QStringLiteral("config.yml"));
    const qsizetype minus = diff.indexOf(QStringLiteral("\n-    service: http://localhost:3000"));
    const qsizetype plus = diff.indexOf(QStringLiteral("\n+    service: http://localhost:3005"));
    QVERIFY2(minus > 0 && plus > minus, qPrintable(diff));
}

void TestIngress::diffMatchesDiffU_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    const QString base = QString::fromUtf8(sample);
    QTest::newRow("update") << base << updateRoute(base, QStringLiteral("wiki.example.com"), 3005).value();
    QTest::newRow("add") << base << addRoute(base, QStringLiteral("n.example.com"), 1).value();
    QTest::newRow("remove") << base << removeRoute(base, QStringLiteral("wiki.example.com")).value();
    QTest::newRow("block replaced") << "a\nb\nc\nd\ne\nf\ng\nh\ni\n"
                                    << "a\nB\nC\nd\ne\nf\ng\nh\nI\n";
    QTest::newRow("far apart") << "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n"
                               << "1\nx\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\ny\n15\n";
    QTest::newRow("interleaved") << "k\na\nk\nb\nk\nc\n"
                                 << "k\nA\nk\nB\nk\nC\n";
    QTest::newRow("newline added at the end") << "a\nb"
                                              << "a\nb\nc\n";
    QTest::newRow("newline dropped at the end") << "a\nb\n"
                                                << "a\nb";
    QTest::newRow("from nothing") << ""
                                  << "ingress:\n  - service: http_status:404\n";
    QTest::newRow("one line changed") << "x\n"
                                      << "y\n";
}

void TestIngress::diffMatchesDiffU()
{
    // The hunks are what GNU diff -u writes: headers, context, every '-' before the '+' of its change.
    QFETCH(QString, before);
    QFETCH(QString, after);
    const QString diffTool = QStandardPaths::findExecutable(QStringLiteral("diff"));
    if (diffTool.isEmpty())
        QSKIP("diff (diffutils) is not installed");
    QTemporaryDir dir;
    const auto write = [&dir](const QString &name, const QString &text) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text.toUtf8());
    };
    write(QStringLiteral("a"), before);
    write(QStringLiteral("b"), after);
    QProcess diff;
    diff.start(diffTool,
               {QStringLiteral("-u"), dir.filePath(QStringLiteral("a")), dir.filePath(QStringLiteral("b"))});
    QVERIFY(diff.waitForFinished(10000));
    QStringList expected = QString::fromUtf8(diff.readAllStandardOutput()).split(QLatin1Char('\n'));
    expected = expected.mid(2); // the file headers name the temporary files
    QStringList ours =
        unifiedDiff(before, after, QStringLiteral("config.yml")).split(QLatin1Char('\n')).mid(2);
    QCOMPARE(ours, expected);
}

void TestIngress::atomicWriteWithBackup()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.yml"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(sample);
    f.close();
    const QString after = addRoute(QString::fromUtf8(sample), QStringLiteral("x.example.com"), 8000).value();
    const auto backup = writeTunnelConfig(path, after);
    QVERIFY2(backup.ok(), qPrintable(backup.message()));
    QVERIFY(QFile::exists(backup.value()));
    QFile b(backup.value());
    QVERIFY(b.open(QIODevice::ReadOnly));
    QCOMPARE(b.readAll(), QByteArray(sample));
    QFile now(path);
    QVERIFY(now.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(now.readAll()), after);
    // An invalid text is never written.
    QVERIFY(!writeTunnelConfig(path, QStringLiteral("ingress:\n - hostname: a.example.com\n   service: x\n"))
                 .ok());
    QVERIFY(now.seek(0));
    QCOMPARE(QString::fromUtf8(now.readAll()), after);
    // A directory that cannot be written leaves nothing behind.
    QVERIFY(!writeTunnelConfig(QStringLiteral("/proc/opsdeck-config.yml"), after).ok());
}

QTEST_GUILESS_MAIN(TestIngress)
#include "tst_ingress.moc"
