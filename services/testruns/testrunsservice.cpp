#include "services/testruns/testrunsservice.h"
#include "services/testruns/teamsettings.h"

#include "models/audit/auditevent.h"
#include "models/core/jsonschema.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/net/httpclient.h"
#include "services/store/auditlog.h"
#include "services/testruns/runsigningkey.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunsService)
};
} // namespace

TestRunsService::TestRunsService()
{
    qRegisterMetaType<ImportJob>();
    qRegisterMetaType<QList<opsdeck::TeamRunRecord>>();
    qRegisterMetaType<ImportedRun>();
    qRegisterMetaType<NotifySettings>();
    qRegisterMetaType<GoldenSuiteSettings>();
    qRegisterMetaType<MockServer>();
    qRegisterMetaType<RetentionRules>();
    qRegisterMetaType<RetentionSummary>();
}

void TestRunsService::initialize()
{
    m_http = new HttpClient(this);
}

QString TestRunsService::slackSecretKey(const QString &source)
{
    return QStringLiteral("testruns/slack-webhook/") + source;
}

QString TestRunsService::jiraSecretKey(const QString &source)
{
    return QStringLiteral("testruns/jira-token/") + source;
}

TestRunsService::~TestRunsService() = default;

void TestRunsService::setDemoMode(bool demo)
{
    m_demo = demo;
    if (demo)
        m_key = RunSigningKey::demoKey();
}

void TestRunsService::cancel(quint64 job)
{
    m_cancelled = job;
    // A golden run is stopped on this service's thread, where its requests live.
    QMetaObject::invokeMethod(this, [this, job] { cancelGolden(job); });
}

void TestRunsService::withKey(std::function<void()> then)
{
    if (m_key)
        return then();
    m_waiting << std::move(then);
    if (m_obtaining)
        return;
    m_obtaining = true;
    RunSigningKey::obtain(this, [this](const Result<QByteArray> &key) {
        const auto release = [this] {
            m_obtaining = false;
            const auto waiting = std::exchange(m_waiting, {});
            for (const auto &f : waiting)
                f();
        };
        m_key = key ? key.value() : QByteArray();
        if (!key) {
            emit signingUnavailable(
                Tr::tr("Runs are imported unsigned: the run-signing key is not available (%1)")
                    .arg(key.message()));
            return release();
        }
        // The keys it signed with before, for its older runs.
        RunSigningKey::obtainPrevious(
            this, [this, release](const Result<QHash<QString, QByteArray>> &previous) {
                if (previous)
                    m_previousKeys = previous.value();
                else
                    qWarning("testruns: the previous run-signing keys cannot be read: %s",
                             qPrintable(previous.message()));
                release();
            });
    });
}

void TestRunsService::importReports(quint64 job, const ImportJob &what)
{
    withKey([this, job, what] { runImport(job, what); });
}

void TestRunsService::runImport(quint64 job, const ImportJob &what)
{
    const auto files = TestRunStore::reportFiles(what.paths);
    if (!files) {
        emit reportRefused(job, what.paths.join(QStringLiteral(", ")), files.error().code, files.message());
        emit importFinished(job, 0, 0, 1, false);
        return;
    }
    int imported = 0, already = 0, refused = 0;
    bool cancelled = false;
    for (int i = 0; i < files->size() && !cancelled; ++i) {
        const QString &path = files->at(i);
        RunImport request;
        request.source = what.source;
        request.branch = what.branch;
        request.commit = what.commit;
        emit importProgress(job, i, int(files->size()), 0, QFileInfo(path).size());
        const auto run = TestRunStore::importFile(
            path, request, m_key.value_or(QByteArray()), [&](qint64 bytes, qint64 total) {
                emit importProgress(job, i, int(files->size()), bytes, total);
                return m_cancelled.load() != job;
            });
        if (run) {
            run->alreadyImported ? ++already : ++imported;
            emit reportImported(job, path, run.value());
            if (!run->alreadyImported) {
                notifyFor(run->runId);
                postTelemetry(run->runId);
                publishRun(run->runId);
            }
            continue;
        }
        if (run.error().code == QLatin1String("testrun.cancelled")) {
            cancelled = true;
            break;
        }
        ++refused;
        // The refusal in the audit log, with why.
        const AuditEvent e = TestRunStore::refusalEvent(path, what.source, run.error());
        if (auto r = AuditLog::record(e); !r)
            qWarning("testruns: a refused report was not audited: %s", qPrintable(r.message()));
        emit reportRefused(job, path, run.error().code, run.message());
    }
    emit importFinished(job, imported, already, refused, cancelled);
    if (imported > 0)
        retainSoon();
}

void TestRunsService::saveNotifySettings(quint64 job, qint64 sourceId, const QString &source,
                                         const NotifySettings &settings, const QString &slackWebhook,
                                         const QString &jiraToken)
{
    if (auto checked = checkNotifySettings(settings); !checked)
        return emit notifySettingsSaved(job, false, checked.message());
    if (auto allowed =
            TeamSettings::mayChange(QStringLiteral("testrun.source"), source, AuditAction::testrunNotifySet);
        !allowed)
        return emit notifySettingsSaved(job, false, allowed.message());
    if (!slackWebhook.isEmpty())
        if (auto url = checkSlackWebhook(slackWebhook); !url)
            return emit notifySettingsSaved(job, false, url.message());
    // The secrets first, one after the other; the settings only once the keychain holds them.
    auto secrets = std::make_shared<QList<std::pair<QString, QString>>>();
    if (!slackWebhook.isEmpty())
        secrets->append({slackSecretKey(source), slackWebhook.trimmed()});
    if (!jiraToken.isEmpty())
        secrets->append({jiraSecretKey(source), jiraToken.trimmed()});
    auto next = std::make_shared<std::function<void()>>();
    *next = [this, job, sourceId, settings, secrets, next] {
        if (secrets->isEmpty()) {
            const auto saved = TestRunStore::setNotifySettings(sourceId, settings);
            *next = nullptr; // the chain ends: no cycle left behind
            emit notifySettingsSaved(job, saved.ok(), saved ? QString() : saved.message());
            if (saved)
                shareSource(sourceId);
            return;
        }
        const auto [key, secret] = secrets->takeFirst();
        SecretStore::instance()->write(key, secret, this, [this, job, next](const Result<void> &written) {
            if (!written) {
                emit notifySettingsSaved(job, false, tr("Nothing was saved: %1").arg(written.message()));
                *next = nullptr;
                return;
            }
            (*next)();
        });
    };
    (*next)();
}

void TestRunsService::notifyFor(qint64 runId)
{
    if (m_demo || !m_http)
        return; // the demo tells no one
    QSqlDatabase db = Database::connection();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT source_id FROM test_runs WHERE id = ?"));
    q.addBindValue(runId);
    if (!q.exec() || !q.next())
        return;
    const auto notice = TestRunStore::noticeFor(db, runId);
    if (!notice) {
        qWarning("testruns: no notification for run %lld: %s", runId, qPrintable(notice.message()));
        return;
    }
    if (!notice->newFailures.isEmpty()) // the person at this desktop hears of it too
        emit newFailures(runId, notice->source, notice->run, notice->newFailures);
    const auto settings = TestRunStore::notifySettings(db, q.value(0).toLongLong());
    if (!settings || (settings->slack == NotifyWhen::Off && settings->jira == NotifyWhen::Off))
        return;
    for (const auto &[channel, when] : {std::pair{QStringLiteral("slack"), settings->slack},
                                        std::pair{QStringLiteral("jira"), settings->jira}}) {
        if (!shouldNotify(when, notice.value()))
            continue;
        const QString key = channel == QLatin1String("slack") ? slackSecretKey(notice->source)
                                                              : jiraSecretKey(notice->source);
        SecretStore::instance()->read(
            key, this,
            [this, n = notice.value(), c = channel, s = settings.value()](const Result<QString> &secret) {
                if (!secret) {
                    const Error e = makeError(
                        "testrun.notify",
                        tr("The %1 secret is not in the keychain: %2")
                            .arg(c == QLatin1String("slack") ? tr("Slack webhook") : tr("Jira API token"),
                                 secret.message()));
                    if (auto recorded = TestRunStore::recordNotification(n, c, e); !recorded)
                        qWarning("testruns: a notification was not recorded: %s",
                                 qPrintable(recorded.message()));
                    return emit notified(n.runId, c, false, e.message);
                }
                send(n, c, s, secret.value());
            });
    }
}

void TestRunsService::send(const RunNotice &notice, const QString &channel, const NotifySettings &settings,
                           const QString &secret)
{
    HttpRequest request;
    request.method = "POST";
    request.timeoutMs = m_notifyTimeoutMs;
    request.maxRetries = 0;
    request.withHeader("Content-Type", "application/json");
    const bool slack = channel == QLatin1String("slack");
    if (slack) {
        request.url = QUrl(secret);
        request.body = slackMessage(notice);
        request.expectJson = false; // Slack answers in plain text: "ok"
        request.secretUrl = true;   // the webhook's path is its secret
        request.what = tr("Posting the run to Slack");
    } else {
        request.url = QUrl(settings.jiraSite + QStringLiteral("/rest/api/3/issue"));
        request.body = jiraIssue(notice, settings);
        request.withHeader("Accept", "application/json");
        request.withHeader("Authorization",
                           "Basic " + (settings.jiraAccount + QLatin1Char(':') + secret).toUtf8().toBase64());
        request.what = tr("Creating a Jira issue for the run");
    }
    m_http->send(request, this, [this, notice, channel, slack](const HttpResponse &response) {
        Result<QString> outcome = QString();
        if (response.status == 0 && response.error) {
            outcome = *response.error; // no answer: refused, timed out, TLS
        } else if (slack) {
            const auto answered = slackAnswer(response.status, response.body);
            outcome = answered ? Result<QString>(QString()) : Result<QString>(answered.error());
        } else {
            outcome = jiraAnswer(response.status, response.body);
        }
        if (auto recorded = TestRunStore::recordNotification(notice, channel, outcome); !recorded)
            qWarning("testruns: a notification was not recorded: %s", qPrintable(recorded.message()));
        if (!outcome)
            qWarning("testruns: %s notification for run %lld failed: %s", qPrintable(channel), notice.runId,
                     qPrintable(outcome.message()));
        emit notified(notice.runId, channel, outcome.ok(), outcome ? outcome.value() : outcome.message());
    });
}

void TestRunsService::setTelemetryUrl(const QUrl &url)
{
    m_telemetry = url;
}

void TestRunsService::postTelemetry(qint64 runId)
{
    if (m_demo || !m_http || m_telemetry.isEmpty())
        return;
    if (!m_key) // a run signed elsewhere (a GitHub artifact's): the key is asked for first
        return withKey([this, runId] { postTelemetry(runId); });
    if (m_key->isEmpty())
        return;
    const auto audit = [this, runId](const Result<void> &outcome) {
        AuditEvent e;
        e.system = QStringLiteral("testruns");
        e.action = AuditAction::testrunTelemetry;
        e.targetKind = QStringLiteral("run");
        e.targetId = QString::number(runId);
        e.targetName = m_telemetry.host();
        e.outcome = outcome ? AuditOutcome::Success : AuditOutcome::Failure;
        if (!outcome)
            e.comment = outcome.message();
        if (auto r = AuditLog::record(e); !r)
            qWarning("testruns: a telemetry post was not audited: %s", qPrintable(r.message()));
        if (!outcome)
            qWarning("testruns: telemetry for run %lld: %s", runId, qPrintable(outcome.message()));
        emit telemetrySent(runId, outcome.ok(), outcome ? QString() : outcome.message());
    };
    const auto record = TestRunStore::signedRecord(Database::connection(), runId, m_key.value());
    if (!record)
        return audit(record.error());
    if (record->body.size() > 64 * 1024 * 1024)
        return audit(
            makeError("testrun.telemetry", tr("The run's record is larger than 64 MiB; it was not posted.")));
    // What leaves the desktop matches the published schema, or does not leave.
    QFile schemaFile(QStringLiteral(":/schemas/opsdeck-run-1.schema.json"));
    if (!schemaFile.open(QIODevice::ReadOnly))
        return audit(makeError("testrun.telemetry", tr("The record's schema is missing from this build.")));
    const QJsonObject schema = QJsonDocument::fromJson(schemaFile.readAll()).object();
    if (auto valid = validateJson(QJsonDocument::fromJson(record->body).object(), schema); !valid)
        return audit(valid.error());
    HttpRequest request;
    request.method = "POST";
    request.url = m_telemetry;
    request.body = record->body;
    request.timeoutMs = m_notifyTimeoutMs;
    request.maxRetries = 0;
    request.expectJson = false;
    request.maxBytes = 1024 * 1024;
    request.what = tr("Posting the run's signed record");
    request.withHeader("Content-Type", "application/json");
    request.withHeader("X-Opsdeck-Signature", "sha256=" + record->signature);
    m_http->send(request, this, [audit](const HttpResponse &response) {
        if (response.error)
            return audit(*response.error);
        audit(Result<void>());
    });
}

void TestRunsService::verifyRuns(const QList<qint64> &runIds)
{
    m_toVerify = runIds;
    if (m_toVerify.isEmpty())
        return;
    withKey([this] {
        if (!m_verifyQueued) {
            m_verifyQueued = true;
            QMetaObject::invokeMethod(this, &TestRunsService::verifyNext, Qt::QueuedConnection);
        }
    });
}

void TestRunsService::verifyNext()
{
    m_verifyQueued = false;
    if (m_toVerify.isEmpty())
        return;
    const qint64 run = m_toVerify.takeFirst();
    const QByteArray key = m_key.value_or(QByteArray());
    if (key.isEmpty()) {
        // Without the key nothing can be checked: the runs stay "checking…" no longer, but unverifiable.
        emit verifyFailed(Tr::tr("Signatures cannot be checked: the run-signing key is not available."));
        m_toVerify.clear();
        return;
    }
    const auto state = TestRunStore::verifyRun(Database::connection(), run, key, m_previousKeys);
    if (state)
        emit runVerified(run, int(state.value()));
    else if (state.error().code != QLatin1String("testrun.missing"))
        emit verifyFailed(state.message());
    if (!m_toVerify.isEmpty()) {
        m_verifyQueued = true;
        QMetaObject::invokeMethod(this, &TestRunsService::verifyNext, Qt::QueuedConnection);
    }
}

} // namespace opsdeck
