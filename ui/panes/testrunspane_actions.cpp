// The Test runs pane's actions that open a dialog or start an import: notifications, telemetry,
// flaky rules, File › Import Test Results… and drops.
#include "ui/panes/testrunspane.h"

#include "services/github/githubservice.h"
#include "ui/panes/testruns/githubsourcesdialog.h"
#include "ui/panes/testruns/goldensuitesdialog.h"
#include "ui/panes/testruns/mocksdialog.h"

#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "models/testruns/notifications.h"
#include "models/testruns/testrunmodels.h"
#include "services/testruns/testrunsservice.h"
#include "ui/common/requestid.h"
#include "ui/panes/testruns/flakyrulesdialog.h"
#include "ui/panes/testruns/importdialog.h"
#include "ui/panes/testruns/notifydialog.h"
#include "ui/panes/testruns/retentiondialog.h"
#include "ui/panes/testruns/signingkeydialog.h"
#include "ui/panes/testruns/testrunfilters.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QtConcurrent>

namespace opsdeck {

void TestRunsPane::editNotifications()
{
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_service)
        return;
    const qint64 source = rows.first().data(TestRunsModel::SourceIdRole).toLongLong();
    const QString name = rows.first().siblingAtColumn(TestRunsModel::Source).data().toString();
    // Read off the GUI thread; the dialog opens when the row is there.
    auto *watcher = new QFutureWatcher<Result<NotifySettings>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, source, name] {
        watcher->deleteLater();
        const auto current = watcher->result();
        if (!current) {
            m_message->setText(current.message());
            return;
        }
        openNotifyDialog(source, name, current.value());
    });
    watcher->setFuture(
        QtConcurrent::run([source] { return TestRunStore::notifySettings(Database::connection(), source); }));
}

void TestRunsPane::openNotifyDialog(qint64 source, const QString &name, const NotifySettings &current)
{
    NotifyDialog dialog(name, current, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QMetaObject::invokeMethod(
        m_service,
        [service = m_service, id = nextRequestId(), source, name, settings = dialog.settings(),
         slack = dialog.slackWebhook(),
         jira = dialog.jiraToken()] { service->saveNotifySettings(id, source, name, settings, slack, jira); },
        Qt::QueuedConnection);
    m_message->setText(tr("Saving the notifications of %1…").arg(name));
}

void TestRunsPane::setGitHubService(GitHubService *service)
{
    m_github = service;
    m_githubButton->setEnabled(service != nullptr);
    if (!service)
        return;
    // What a sync brought, or why it failed, also when the dialog is closed (syncs run on an interval).
    connect(service, &GitHubService::testSyncFinished, this,
            [this](qint64, const Outcome &outcome, int imported) {
                if (!outcome.ok || imported > 0)
                    m_message->setText(outcome.message);
            });
}

QStringList TestRunsPane::screenshotDialogs() const
{
    return {QStringLiteral("github"), QStringLiteral("golden"), QStringLiteral("mocks"),
            QStringLiteral("retention"), QStringLiteral("signing-key")};
}

QWidget *TestRunsPane::openScreenshotDialog(const QString &name)
{
    if (name == QLatin1String("github"))
        return openGitHubSources();
    if (name == QLatin1String("golden"))
        return openGoldenSuites();
    if (name == QLatin1String("mocks"))
        return openMocks();
    if (name == QLatin1String("retention"))
        return openRetention();
    if (name == QLatin1String("signing-key"))
        return openSigningKey();
    return nullptr;
}

GitHubSourcesDialog *TestRunsPane::openGitHubSources()
{
    if (!m_github)
        return nullptr;
    auto *dialog = new GitHubSourcesDialog(m_github, m_connections, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

GoldenSuitesDialog *TestRunsPane::openGoldenSuites()
{
    if (!m_service)
        return nullptr;
    auto *dialog = new GoldenSuitesDialog(m_service, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

MocksDialog *TestRunsPane::openMocks()
{
    if (!m_service)
        return nullptr;
    auto *dialog = new MocksDialog(m_service, m_docker, m_connections, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void TestRunsPane::editTelemetry()
{
    if (!m_settings)
        return;
    bool ok = false;
    const QString text = QInputDialog::getText(
        this, tr("Telemetry"),
        tr("Each signed run record is posted as JSON (resources/schemas/opsdeck-run-1.schema.json) to this "
           "address, its HMAC-SHA256 signature in the X-Opsdeck-Signature header. The receiver checks it "
           "with the "
           "run-signing key (keychain entry testruns/run-signing-key). Empty: no telemetry.\n\nReceiver:"),
        QLineEdit::Normal, m_settings->telemetryUrl(), &ok);
    if (!ok)
        return;
    const auto url = checkTelemetryUrl(text);
    if (!url) {
        m_message->setText(url.message());
        return;
    }
    m_settings->setTelemetryUrl(url->toString());
    m_message->setText(url->isEmpty() ? tr("Telemetry is off.")
                                      : tr("Signed run records go to %1.").arg(url->host()));
}

void TestRunsPane::setFlakyRules(const FlakyRules &rules)
{
    m_cases->setRules(rules);
    m_flaky->setRules(rules);
    QString text =
        tr("Flaky: a case whose result flips in more than %1 % of its last %2 runs (judged after %3 runs)")
            .arg(QLocale().toString(rules.flipRate * 100, 'f', 0))
            .arg(rules.window)
            .arg(rules.minimumRuns);
    text += rules.byRerun ? tr(", or that passed on a rerun after failing.") : QStringLiteral(".");
    m_rulesText->setText(text);
}

void TestRunsPane::editFlakyRules()
{
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    const qint64 source = rows.isEmpty() ? 0 : rows.first().data(TestRunsModel::SourceIdRole).toLongLong();
    const QString name =
        rows.isEmpty() ? QString() : rows.first().siblingAtColumn(TestRunsModel::Source).data().toString();
    const FlakyRules current = m_settings ? m_settings->flakyRules() : FlakyRules{};
    FlakyRulesDialog dialog(current, source, name, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (m_settings)
        m_settings->setFlakyRules(dialog.rules()); // announces the change: setFlakyRules follows
    else
        setFlakyRules(dialog.rules());
}

SigningKeyDialog *TestRunsPane::openSigningKey()
{
    auto *dialog = new SigningKeyDialog(m_service, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SigningKeyDialog::keyChanged, this, [this](bool ok) {
        if (!ok)
            return;
        m_runs->clearSignatureStates(); // checked again with the keys held now
        verifySignatures();
    });
    dialog->open();
    return dialog;
}

RetentionDialog *TestRunsPane::openRetention()
{
    if (!m_settings)
        return nullptr;
    auto *dialog = new RetentionDialog(m_settings->retentionRules(), m_service, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const RetentionRules rules = dialog->rules();
        m_settings->setRetentionRules(rules); // the service applies them from now on
        m_message->setText(
            tr("Runs are kept for %1 and %2 of each source.")
                .arg(rules.maxAgeDays > 0 ? tr("%n day(s)", nullptr, rules.maxAgeDays) : tr("ever"),
                     rules.maxRunsPerSource > 0 ? tr("the newest %n", nullptr, rules.maxRunsPerSource)
                                                : tr("all")));
    });
    dialog->open();
    return dialog;
}

QStringList TestRunsPane::fileSources() const
{
    QStringList out;
    for (int i = 1; i < m_source->count(); ++i)
        out << m_source->itemText(i);
    return out;
}

void TestRunsPane::openImport(const QStringList &paths)
{
    if (!m_service)
        return;
    if (m_job) {
        m_message->setText(tr("An import is running; wait for it to finish or cancel it."));
        return;
    }
    ImportReportsDialog dialog(paths, fileSources(), m_lastSource, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    startImport(dialog.job());
}

void TestRunsPane::startImport(const ImportJob &job)
{
    if (!m_service || m_job)
        return;
    m_job = nextRequestId();
    m_lastSource = job.source;
    m_refusals.clear();
    m_progress->setRange(0, 0);
    m_progress->show();
    m_cancel->setEnabled(true);
    m_cancel->show();
    m_importButton->setEnabled(false);
    m_message->setText(tr("Importing…"));
    QMetaObject::invokeMethod(
        m_service, [service = m_service, id = m_job, job] { service->importReports(id, job); },
        Qt::QueuedConnection);
}

void TestRunsPane::dragEnterEvent(QDragEnterEvent *event)
{
    if (!m_service || !event->mimeData()->hasUrls())
        return;
    for (const QUrl &url : event->mimeData()->urls())
        if (!url.isLocalFile())
            return;
    event->acceptProposedAction();
}

void TestRunsPane::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    // Opened after the drop has finished, so that the dragging application is not held.
    QMetaObject::invokeMethod(
        this, [this, paths] { openImport(paths); }, Qt::QueuedConnection);
}

} // namespace opsdeck
