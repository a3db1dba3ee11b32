// The Test runs pane's demo: four weeks of nightly runs of an API suite on main with a feature
// branch beside it, and two weeks of a web suite's runs, written as the runners write their JUnit
// reports and imported through the same path as real ones. In them: a case that flips between runs,
// one that passes only on a rerun, a new failure in the latest run on main, an errored run of the
// web suite, one older record edited after it was signed (tampered), the first run kept through
// cleanups (a release baseline), and a teammate's run from the team workspace signed with their key.
#include "services/store/demoworkspace.h"

#include "models/store/database.h"
#include "models/testruns/goldensuite.h"
#include "models/testruns/teamrecords.h"
#include "models/testruns/workflowruns.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunstore.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

namespace opsdeck::DemoWorkspace {

namespace {

// A small deterministic generator, so that the demo is the same on every machine.
struct Dice
{
    quint32 state;
    double next()
    {
        state = state * 1664525u + 1013904223u;
        return double(state >> 8) / double(1u << 24);
    }
};

struct DemoCase
{
    const char *classname;
    const char *name;
    int baseMs;
};

const DemoCase apiCases[] = {
    {"tests.api.test_users", "test_list_users", 120},
    {"tests.api.test_users", "test_create_user", 240},
    {"tests.api.test_users", "test_delete_user", 180},
    {"tests.api.test_users", "test_user_roles", 90},
    {"tests.api.test_invoices", "test_create_invoice", 310},
    {"tests.api.test_invoices", "test_invoice_pdf", 880},
    {"tests.api.test_invoices", "test_refund", 260},
    {"tests.api.test_auth", "test_login", 150},
    {"tests.api.test_auth", "test_token_refresh", 140},
    {"tests.api.test_auth", "test_retry_on_timeout", 1900},
    {"tests.api.test_auth", "test_lockout_after_failures", 420},
    {"tests.api.test_search", "test_search_by_name", 95},
    {"tests.api.test_search", "test_search_pagination", 210},
    {"tests.api.test_search", "test_search_unicode_名前", 60},
    {"tests.api.test_webhooks", "test_webhook_delivery", 1250},
    {"tests.api.test_webhooks", "test_webhook_signature", 75},
};

const DemoCase webCases[] = {
    {"checkout.spec.ts", "adds an item to the cart", 2100},
    {"checkout.spec.ts", "pays with a saved card", 4300},
    {"checkout.spec.ts", "shows the receipt", 1800},
    {"login.spec.ts", "signs in with SSO", 3900},
    {"login.spec.ts", "remembers the last tenant", 1200},
    {"search.spec.ts", "filters by price", 2600},
};

QString escaped(const QString &s)
{
    return s.toHtmlEscaped();
}

// One pytest report of the API suite, day `day` (0: oldest).
QByteArray apiReport(int day, int days, bool feature, const QDateTime &started, Dice &dice)
{
    QString cases;
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    double total = 0;
    const bool latest = day == days - 1 && !feature;
    for (const DemoCase &c : apiCases) {
        const QString name = QString::fromUtf8(c.name);
        const double seconds = c.baseMs * (0.85 + 0.3 * dice.next()) / 1000.0 *
                               (name == QLatin1String("test_invoice_pdf") && day > days - 8 ? 1.8 : 1.0);
        total += seconds;
        ++tests;
        QString body;
        if (name == QLatin1String("test_retry_on_timeout") && dice.next() < 0.3) {
            body = QStringLiteral(
                "<failure message=\"TimeoutError: token endpoint did not answer within 2 s\">"
                "Traceback (most recent call last):\n  File \"tests/api/test_auth.py\", line 88, in "
                "test_retry_on_timeout\n    resp = client.post(\"/token\", timeout=2)\n"
                "TimeoutError: token endpoint did not answer within 2 s</failure>");
            ++failures;
        } else if (name == QLatin1String("test_webhook_delivery") && dice.next() < 0.25) {
            body = QStringLiteral(
                "<flakyFailure message=\"ConnectionResetError: peer closed\" type=\"ConnectionResetError\">"
                "first attempt reset by the receiver; passed on the rerun</flakyFailure>");
        } else if (name == QLatin1String("test_create_invoice") && (latest || (feature && day >= days - 3))) {
            body = QStringLiteral(
                "<failure message=\"assert 500 == 201\">tests/api/test_invoices.py:42: in "
                "test_create_invoice\n    assert resp.status_code == 201\nE   assert 500 == 201\n"
                "</failure><system-out>POST /v1/invoices -> 500 Internal Server Error\n"
                "{\"error\": \"tax_rate is required\"}</system-out>");
            ++failures;
        } else if (name == QLatin1String("test_lockout_after_failures") && day % 9 == 4) {
            body = QStringLiteral("<skipped message=\"rate limiter disabled on this runner\"/>");
            ++skipped;
        }
        cases +=
            QStringLiteral(
                "<testcase classname=\"%1\" name=\"%2\" file=\"%3\" line=\"%4\" time=\"%5\">%6</testcase>\n")
                .arg(escaped(QString::fromUtf8(c.classname)), escaped(name),
                     QString::fromUtf8(c.classname).replace(QLatin1Char('.'), QLatin1Char('/')) +
                         QStringLiteral(".py"))
                .arg(10 + tests * 7)
                .arg(seconds, 0, 'f', 3)
                .arg(body);
    }
    return QStringLiteral(
               "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites><testsuite name=\"pytest\" "
               "errors=\"%1\" failures=\"%2\" skipped=\"%3\" tests=\"%4\" time=\"%5\" timestamp=\"%6\" "
               "hostname=\"ci-runner-3\">\n%7</testsuite></testsuites>\n")
        .arg(errors)
        .arg(failures)
        .arg(skipped)
        .arg(tests)
        .arg(total, 0, 'f', 3)
        .arg(started.toString(Qt::ISODate), cases)
        .toUtf8();
}

// One jest-junit report of the web suite.
QByteArray webReport(int day, const QDateTime &started, Dice &dice)
{
    QString cases;
    int tests = 0, failures = 0;
    double total = 0;
    for (const DemoCase &c : webCases) {
        const QString name = QString::fromUtf8(c.name);
        const double seconds = c.baseMs * (0.8 + 0.4 * dice.next()) / 1000.0;
        total += seconds;
        ++tests;
        QString body;
        if (day == 9 && name.startsWith(QLatin1String("pays"))) {
            body = QStringLiteral(
                "<error message=\"page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:4173/checkout\" "
                "type=\"Error\">The preview server was not up.</error>");
            ++failures;
        } else if (name == QLatin1String("signs in with SSO") && dice.next() < 0.2) {
            body = QStringLiteral(
                "<failure message=\"expect(received).toBeVisible() — the tenant picker did not appear "
                "in 5000 ms\"/>");
            ++failures;
        }
        cases += QStringLiteral("<testcase classname=\"%1\" name=\"%2\" time=\"%3\">%4</testcase>\n")
                     .arg(escaped(QString::fromUtf8(c.classname)), escaped(name))
                     .arg(seconds, 0, 'f', 3)
                     .arg(body);
    }
    return QStringLiteral(
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"jest tests\" tests=\"%1\" "
               "failures=\"%2\" time=\"%3\">\n<testsuite name=\"web e2e\" timestamp=\"%4\" tests=\"%1\">\n%5"
               "</testsuite>\n</testsuites>\n")
        .arg(tests)
        .arg(failures)
        .arg(total, 0, 'f', 3)
        .arg(started.toString(Qt::ISODate), cases)
        .toUtf8();
}

Result<qint64> importDemo(QSqlDatabase db, const QByteArray &xml, const RunImport &request)
{
    QBuffer buffer;
    buffer.setData(xml);
    buffer.open(QIODevice::ReadOnly);
    const auto run = TestRunStore::importReportIn(db, buffer, request, RunSigningKey::demoKey());
    if (!run)
        return run.error();
    return run->runId;
}
} // namespace

// The web suite as a GitHub source: acme/web's nightly workflow runs with their artifacts, recorded
// as a sync leaves them (the JUnit artifact imported, the coverage report passed over by the pattern,
// one artifact that expired before it was read).
class DemoWorkflows
{
public:
    DemoWorkflows(QSqlDatabase db, qint64 connectionId) : m_db(db), m_connection(connectionId) {}

    Result<void> addSource(const QString &name)
    {
        GitHubTestSource settings;
        settings.repo = QStringLiteral("acme/web");
        settings.artifacts = QStringLiteral("junit-*");
        QSqlQuery q(m_db);
        q.prepare(
            QStringLiteral("INSERT INTO test_sources (name, kind, connection_id, detail, created_at) VALUES "
                           "(?, 'github', ?, ?, ?)"));
        q.addBindValue(name);
        q.addBindValue(m_connection);
        q.addBindValue(QString::fromUtf8(QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact)));
        q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
        if (!q.exec())
            return Database::describe(q.lastError(), QStringLiteral("Writing the demo's test runs"));
        m_source = q.lastInsertId().toLongLong();
        return {};
    }

    // The workflow run of a night, and the request importing its JUnit artifact.
    RunImport workflowRun(const RunImport &base, int n, const QDateTime &started, const QString &conclusion)
    {
        m_run.id = 7100000000LL + n;
        m_run.name = QStringLiteral("e2e");
        m_run.displayTitle = QStringLiteral("Nightly end-to-end tests");
        m_run.runNumber = 300 + n;
        m_run.branch = base.branch;
        m_run.commit = QString::number(0x7e0b000 + n * 0x2a1, 16) + QStringLiteral("d15ea5e0a1");
        m_run.event = QStringLiteral("schedule");
        m_run.status = QStringLiteral("completed");
        m_run.conclusion = conclusion;
        m_run.createdAt = started;
        RunImport r = base;
        r.sourceKind = TestSourceKind::GitHub;
        r.connectionId = m_connection;
        r.runKey = artifactRunKey(m_run.id * 10 + 1);
        r.title = artifactRunTitle(m_run, QStringLiteral("junit-e2e"));
        r.origin = QStringLiteral("github:acme/web/actions/artifacts/%1").arg(m_run.id * 10 + 1);
        r.commit = m_run.commit;
        r.event = m_run.event;
        return r;
    }

    // Records the workflow run and its artifacts: the JUnit one imported as testRunId.
    Result<void> record(qint64 testRunId, bool expiredExtra)
    {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("INSERT INTO test_workflow_runs (source_id, gh_run_id, workflow, title, "
                                 "run_number, branch, commit_sha, "
                                 "event, status, conclusion, html_url, created_at, artifacts_done) VALUES "
                                 "(?,?,?,?,?,?,?,?,?,?,?,?,1)"));
        for (const QVariant &v :
             {QVariant(m_source), QVariant(m_run.id), QVariant(m_run.name), QVariant(m_run.displayTitle),
              QVariant(m_run.runNumber), QVariant(m_run.branch), QVariant(m_run.commit),
              QVariant(m_run.event), QVariant(m_run.status), QVariant(m_run.conclusion),
              QVariant(QStringLiteral("https://github.com/acme/web/actions/runs/%1").arg(m_run.id)),
              QVariant(m_run.createdAt.toString(Qt::ISODateWithMs))})
            q.addBindValue(v);
        if (!q.exec())
            return Database::describe(q.lastError(), QStringLiteral("Writing the demo's test runs"));
        struct Artifact
        {
            qint64 id;
            const char *name;
            const char *state;
            QString detail;
        };
        QList<Artifact> artifacts{{m_run.id * 10 + 1, "junit-e2e", "imported", {}},
                                  {m_run.id * 10 + 2, "coverage-lcov", "skipped",
                                   QStringLiteral("The name does not match the pattern junit-*.")}};
        if (expiredExtra)
            artifacts.append({m_run.id * 10 + 3, "junit-visual", "expired",
                              QStringLiteral("GitHub no longer keeps this artifact.")});
        q.prepare(
            QStringLiteral("INSERT INTO test_artifacts (source_id, artifact_id, gh_run_id, name, size_bytes, "
                           "state, test_run_id, detail, checked_at) VALUES (?,?,?,?,?,?,?,?,?)"));
        for (const Artifact &a : std::as_const(artifacts)) {
            const bool imported = QLatin1String(a.state) == QLatin1String("imported");
            for (const QVariant &v :
                 {QVariant(m_source), QVariant(a.id), QVariant(m_run.id),
                  QVariant(QString::fromLatin1(a.name)), QVariant(imported ? 48213 : 1203344),
                  QVariant(QString::fromLatin1(a.state)),
                  imported ? QVariant(testRunId) : QVariant(QMetaType(QMetaType::LongLong)),
                  QVariant(a.detail.isNull() ? QStringLiteral("") : a.detail),
                  QVariant(m_run.createdAt.addSecs(1800).toString(Qt::ISODateWithMs))})
                q.addBindValue(v);
            if (!q.exec())
                return Database::describe(q.lastError(), QStringLiteral("Writing the demo's test runs"));
        }
        return {};
    }

private:
    QSqlDatabase m_db;
    qint64 m_connection;
    qint64 m_source = 0;
    WorkflowRun m_run;
};

// A golden suite against the payments mock: two weeks of nightly runs, a case that started to fail
// after a change to the mock, and the night the mock was down (no case answered).
Result<void> seedGolden(QSqlDatabase db, const QDateTime &today, Dice &dice)
{
    // The mock, checked every ten minutes for two weeks; down for an hour on the night of day 9.
    QSqlQuery m(db);
    m.prepare(
        QStringLiteral("INSERT INTO test_mocks (name, url, health_path, interval_s, container, created_at) "
                       "VALUES ('payments mock', 'http://payments-mock.internal:8080', '/health', 600, "
                       "'payments-mock', ?)"));
    m.addBindValue(today.addDays(-20).toString(Qt::ISODateWithMs));
    if (!m.exec())
        return Database::describe(m.lastError(), QStringLiteral("Writing the demo's mocks"));
    const qint64 mockId = m.lastInsertId().toLongLong();
    const QDateTime outage = today.addDays(9 - 14 + 1).addSecs(2 * 3600 + 40 * 60);
    m.prepare(
        QStringLiteral("INSERT INTO test_mock_health (mock_id, checked_at, up, status, latency_ms, detail) "
                       "VALUES (?,?,?,?,?,?)"));
    for (QDateTime t = today.addDays(-14); t < QDateTime::currentDateTimeUtc(); t = t.addSecs(600)) {
        const bool down = t >= outage && t < outage.addSecs(3600);
        for (const QVariant &v :
             {QVariant(mockId), QVariant(t.toString(Qt::ISODateWithMs)), QVariant(down ? 0 : 1),
              QVariant(down ? 0 : 200), QVariant(down ? 10000 : 8 + int(dice.next() * 20)),
              QVariant(down ? QStringLiteral("Health check of payments mock: cannot reach "
                                             "payments-mock.internal: Connection refused.")
                            : QStringLiteral("payments mock answered 200."))})
            m.addBindValue(v);
        if (!m.exec())
            return Database::describe(m.lastError(), QStringLiteral("Writing the demo's mocks"));
    }

    GoldenSuiteSettings settings;
    settings.mockId = mockId;
    settings.folder = QStringLiteral("/srv/qa/golden/payments");
    settings.baseUrl = QStringLiteral("http://payments-mock.internal:8080/v1");
    settings.concurrency = 4;
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO test_sources (name, kind, detail, created_at) VALUES (?, 'golden', ?, ?)"));
    q.addBindValue(QStringLiteral("payments (golden)"));
    q.addBindValue(QString::fromUtf8(QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact)));
    q.addBindValue(today.addDays(-20).toString(Qt::ISODateWithMs));
    if (!q.exec())
        return Database::describe(q.lastError(), QStringLiteral("Writing the demo's test runs"));
    struct Case
    {
        const char *file;
        const char *name;
        int status;
        int baseMs;
    };
    static const Case cases[] = {{"payments/create.json", "creates a payment", 201, 42},
                                 {"payments/list.json", "lists payments by date", 200, 35},
                                 {"payments/refund.json", "refunds a payment", 200, 58},
                                 {"cards/declined.json", "declines an expired card", 402, 30},
                                 {"webhooks/signature.json", "signs webhook deliveries", 200, 25},
                                 {"payments/idempotency.json", "repeats an idempotent request", 200, 47}};
    const int days = 14;
    for (int day = 0; day < days; ++day) {
        const QDateTime started = today.addDays(day - days + 1).addSecs(3 * 3600 + int(dice.next() * 300));
        QList<GoldenResult> results;
        for (const Case &c : cases) {
            GoldenResult r;
            r.goldenCase.file = QString::fromLatin1(c.file);
            r.goldenCase.name = QString::fromLatin1(c.name);
            r.durationMs = qint64(c.baseMs * (0.8 + 0.5 * dice.next()));
            if (day == 9) {
                // The mock was down for an hour that night: nothing answered.
                r.sendError =
                    QStringLiteral("Golden case %1: cannot reach payments-mock.internal: Connection refused.")
                        .arg(r.goldenCase.name);
                r.durationMs = 2;
            } else {
                r.status = c.status;
                r.headers = {{QStringLiteral("Content-Type"), QStringLiteral("application/json")}};
                r.body = "{}";
                if (day >= 11 && QLatin1String(c.file) == QLatin1String("payments/refund.json"))
                    r.mismatches = {{QStringLiteral("body /refund/status"), QStringLiteral("\"pending\""),
                                     QStringLiteral("\"queued\"")}};
            }
            results << r;
        }
        RunImport request;
        request.source = QStringLiteral("payments (golden)");
        request.sourceKind = TestSourceKind::Golden;
        request.runKey = QStringLiteral("golden:") + started.toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
        request.title = QStringLiteral("Golden run %1").arg(started.date().toString(Qt::ISODate));
        request.origin = QStringLiteral("/var/lib/opsdeck/golden/demo/%1").arg(day);
        request.event = QStringLiteral("golden");
        request.startedAt = started;
        if (auto r = importDemo(db, goldenJUnitReport(request.source, results, started), request); !r)
            return r.error();
    }
    return {};
}

Result<void> seedTestRuns(QSqlDatabase db, const QDateTime &now, qint64 githubConnectionId)
{
    Dice dice{20261204};
    const int days = 28;
    // The nightly runs start at 02:00 UTC and the last ones end past 05:00: before 06:00 the latest
    // night is yesterday's, so that no run starts in the future.
    QDateTime today(now.toUTC().date(), QTime(2, 0), QTimeZone::utc());
    if (now.toUTC() < today.addSecs(4 * 3600))
        today = today.addDays(-1);
    qint64 tamperedRun = 0;
    qint64 keptRun = 0;
    DemoWorkflows workflows(db, githubConnectionId);
    const QString webSource =
        githubConnectionId ? QStringLiteral("acme/web (GitHub)") : QStringLiteral("web-e2e");
    if (githubConnectionId)
        if (auto r = workflows.addSource(webSource); !r)
            return r;
    for (int day = 0; day < days; ++day) {
        const QDateTime started = today.addDays(day - days + 1).addSecs(int(dice.next() * 900));
        RunImport request;
        request.source = QStringLiteral("api-tests");
        request.branch = QStringLiteral("main");
        request.commit = QString::number(0x9f3a000 + day * 0x1337, 16) + QStringLiteral("c0ffee42d1");
        request.title = QStringLiteral("nightly %1.xml").arg(started.date().toString(Qt::ISODate));
        request.origin = QStringLiteral("/srv/ci/api/%1/junit.xml").arg(started.date().toString(Qt::ISODate));
        const auto run = importDemo(db, apiReport(day, days, false, started, dice), request);
        if (!run)
            return run.error();
        if (day == 12)
            tamperedRun = run.value();
        if (day == 0)
            keptRun = run.value(); // the release baseline, kept through cleanups
        if (day >= days - 6 && day % 2 == 0) {
            RunImport branch = request;
            branch.branch = QStringLiteral("feature/tax-rates");
            branch.commit = QString::number(0x4b1d000 + day * 0x101, 16) + QStringLiteral("feedbead77");
            branch.title = QStringLiteral("tax-rates %1.xml").arg(started.date().toString(Qt::ISODate));
            branch.origin = QStringLiteral("/srv/ci/api-branches/tax-rates/%1/junit.xml").arg(day);
            if (auto r = importDemo(db, apiReport(day, days, true, started.addSecs(5400), dice), branch); !r)
                return r.error();
        }
        if (day >= days - 14) {
            RunImport web;
            web.source = webSource;
            web.branch = QStringLiteral("main");
            web.title = QStringLiteral("playwright %1").arg(started.date().toString(Qt::ISODate));
            web.origin = QStringLiteral("/srv/ci/web/%1/junit.xml").arg(started.date().toString(Qt::ISODate));
            const int n = day - (days - 14);
            const QByteArray xml = webReport(n, started.addSecs(-3600), dice);
            const bool failed = xml.contains("<failure") || xml.contains("<error");
            if (githubConnectionId)
                web = workflows.workflowRun(web, n, started.addSecs(-3600),
                                            failed ? QStringLiteral("failure") : QStringLiteral("success"));
            const auto webRun = importDemo(db, xml, web);
            if (!webRun)
                return webRun.error();
            if (githubConnectionId)
                if (auto r = workflows.record(webRun.value(), n == 3); !r)
                    return r;
        }
    }
    if (auto r = seedGolden(db, today, dice); !r)
        return r;
    // A teammate's run from the team workspace: bob's desktop signs with his own key, which this one
    // does not hold, so it shows "another key" rather than verified or tampered.
    RunImport bobs;
    bobs.source = QStringLiteral("api-tests");
    bobs.branch = QStringLiteral("feature/retries");
    bobs.commit = QStringLiteral("b0b5c0ffee0d15ea5e1234567890abcdef012345");
    bobs.runKey = QStringLiteral("sha256:b0b5c0ffee");
    const QDateTime bobStarted = today.addDays(-1).addSecs(7 * 3600);
    const auto bobRun = importDemo(db, apiReport(days - 2, days, true, bobStarted, dice), bobs);
    if (!bobRun)
        return bobRun.error();
    const QByteArray bobKey(runSigningKeyBytes, 'b');
    const auto bobSigned = TestRunStore::signedRecord(db, bobRun.value(), bobKey);
    if (!bobSigned)
        return bobSigned.error();
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("UPDATE test_runs SET signature = ?, key_id = ?, published_by = 'bob', title = 'from "
                       "bob', origin = 'team workspace, published by bob from desk-bob' WHERE id = ?"));
    q.addBindValue(QString::fromLatin1(bobSigned->signature));
    q.addBindValue(runSigningKeyId(bobKey));
    q.addBindValue(bobRun.value());
    if (!q.exec())
        return Database::describe(q.lastError(), QStringLiteral("Writing the demo's test runs"));
    q.prepare(QStringLiteral("UPDATE test_runs SET pinned = 1 WHERE id = ?"));
    q.addBindValue(keptRun);
    if (!q.exec())
        return Database::describe(q.lastError(), QStringLiteral("Writing the demo's test runs"));
    // Someone made an old failure look like a pass in the cache: its signature no longer matches.
    q.prepare(QStringLiteral("UPDATE test_cases SET outcome = 0 WHERE run_id = ? AND outcome = 1"));
    q.addBindValue(tamperedRun);
    if (!q.exec())
        return Database::describe(q.lastError(), QStringLiteral("Writing the demo's test runs"));
    if (q.numRowsAffected() == 0) {
        // That night had no failure: a duration changed instead.
        q.prepare(QStringLiteral("UPDATE test_cases SET duration_ms = duration_ms / 2 WHERE run_id = ?"));
        q.addBindValue(tamperedRun);
        if (!q.exec())
            return Database::describe(q.lastError(), QStringLiteral("Writing the demo's test runs"));
    }
    return {};
}

} // namespace opsdeck::DemoWorkspace
