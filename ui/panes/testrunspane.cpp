#include "ui/panes/testrunspane.h"
#include "ui/common/tones.h"

#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "models/testruns/testrunmodels.h"
#include "services/testruns/testrunsservice.h"
#include "services/workspace/workspaceservice.h"
#include "ui/common/requestid.h"
#include "ui/panes/testruns/casedetail.h"
#include "ui/panes/testruns/historydelegate.h"
#include "ui/panes/testruns/testrunfilters.h"
#include "ui/panes/testruns/trendschart.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace opsdeck {

Pane::Info TestRunsPane::describe()
{
    return {QStringLiteral("testruns"),
            tr("Test runs"),
            QStringLiteral("emblem-default"),
            {ConnectionKind::GitHub},
            tr("Test runs"),
            tr("Runs of your test suites from their JUnit XML reports: what failed, what fails newly, which "
               "cases are flaky, and how the runs trend.")};
}

TestRunsPane::TestRunsPane(ConnectionsModel *connections, TestRunsService *service, AppSettings *settings,
                           QWidget *parent)
    : Pane(describe(), connections, parent), m_service(service), m_settings(settings),
      m_runs(new TestRunsModel(this)), m_runProxy(new RunFilter(this)), m_cases(new TestCasesModel(this)),
      m_caseProxy(new CaseFilter(this)), m_flaky(new FlakyCasesModel(this)),
      m_compareWatcher(new QFutureWatcher<std::pair<QString, RunComparison>>(this))
{
    setAcceptDrops(true);
    auto *content = new QWidget(this);

    // The bar: import, which source, words.
    m_importButton =
        new QPushButton(QIcon::fromTheme(QStringLiteral("document-import")), tr("&Import…"), content);
    m_importButton->setObjectName(QStringLiteral("importButton"));
    m_importButton->setToolTip(tr("Import JUnit XML reports (Ctrl+I); or drop them onto this pane."));
    m_importButton->setEnabled(m_service != nullptr);
    m_source = new QComboBox(content);
    m_source->setObjectName(QStringLiteral("sourceCombo"));
    m_source->setMinimumContentsLength(18);
    m_source->addItem(tr("All sources"), qint64(0));
    m_runText = new QLineEdit(content);
    m_runText->setPlaceholderText(tr("Filter runs by source, name, branch or commit…"));
    m_runText->setAccessibleName(m_runText->placeholderText());
    m_runText->setClearButtonEnabled(true);
    m_notifyButton =
        new QPushButton(QIcon::fromTheme(QStringLiteral("mail-send")), tr("&Notifications…"), content);
    m_notifyButton->setObjectName(QStringLiteral("notifyButton"));
    m_notifyButton->setToolTip(
        tr("Slack and Jira for the selected run's source, on failed runs or new failures."));
    m_notifyButton->setEnabled(false);
    // The pane's settings: telemetry and retention.
    auto *settingsButton =
        new QPushButton(QIcon::fromTheme(QStringLiteral("configure")), tr("Se&ttings"), content);
    settingsButton->setObjectName(QStringLiteral("testRunSettingsButton"));
    settingsButton->setEnabled(m_settings != nullptr);
    auto *settingsMenu = new QMenu(settingsButton);
    QAction *telemetry = settingsMenu->addAction(tr("&Telemetry…"), this, &TestRunsPane::editTelemetry);
    telemetry->setToolTip(tr("Post each signed run record to a receiver of yours."));
    QAction *retention = settingsMenu->addAction(tr("&Retention…"), this, &TestRunsPane::editRetention);
    retention->setToolTip(tr("How long runs and their artifacts are kept."));
    QAction *signing = settingsMenu->addAction(tr("&Signing Key…"), this, [this] { openSigningKey(); });
    signing->setToolTip(
        tr("The key runs are signed with; the team's, so that teammates check each other's runs."));
    settingsMenu->setToolTipsVisible(true);
    settingsButton->setMenu(settingsMenu);
    m_goldenButton = new QPushButton(tr("Go&lden Suites…"), content);
    m_goldenButton->setObjectName(QStringLiteral("goldenSuitesButton"));
    m_goldenButton->setToolTip(tr("Golden HTTP suites Opsdeck runs against a server or mock of yours."));
    m_goldenButton->setEnabled(m_service != nullptr);
    m_mocksButton = new QPushButton(tr("&Mocks…"), content);
    m_mocksButton->setObjectName(QStringLiteral("mocksButton"));
    m_mocksButton->setToolTip(tr("Mock servers for golden suites: health, uptime, restarts."));
    m_mocksButton->setEnabled(m_service != nullptr);
    m_githubButton = new QPushButton(tr("&GitHub…"), content);
    m_githubButton->setObjectName(QStringLiteral("githubSourcesButton"));
    m_githubButton->setToolTip(tr("Test runs from the GitHub Actions artifacts of chosen repositories."));
    m_githubButton->setEnabled(false);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_importButton);
    bar->addWidget(m_githubButton);
    bar->addWidget(m_goldenButton);
    bar->addWidget(m_mocksButton);
    bar->addWidget(m_notifyButton);
    bar->addWidget(settingsButton);
    bar->addWidget(new QLabel(tr("Source:"), content));
    bar->addWidget(m_source);
    bar->addWidget(m_runText, 1);

    m_runView = new QTableView(content);
    setUpTable(m_runView, m_runProxy, m_runs, TestRunsModel::Started, QStringLiteral("testRunsView"));
    m_runView->sortByColumn(TestRunsModel::Started, Qt::DescendingOrder);
    m_runView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runView->setContextMenuPolicy(Qt::CustomContextMenu);
    setColumnWidths(m_runView, {{TestRunsModel::Started, 24},
                                {TestRunsModel::Source, 11},
                                {TestRunsModel::Run, 24},
                                {TestRunsModel::Branch, 16},
                                {TestRunsModel::Commit, 11},
                                {TestRunsModel::Tests, 7},
                                {TestRunsModel::Passed, 8},
                                {TestRunsModel::Failed, 8},
                                {TestRunsModel::Errors, 8},
                                {TestRunsModel::Skipped, 9},
                                {TestRunsModel::Flaky, 7},
                                {TestRunsModel::PassRate, 11},
                                {TestRunsModel::Duration, 10}});
    m_hint =
        new QLabel(tr("<p><b>No test runs yet.</b> Import JUnit XML reports with <b>File › Import Test "
                      "Results…</b> (Ctrl+I), drop report files or folders onto this pane, or from a script: "
                      "<code>opsdeck testruns import --source NAME PATH…</code></p>"),
                   content);
    m_hint->setWordWrap(true);
    m_hint->setObjectName(QStringLiteral("testRunsHint"));

    m_tabs = new QTabWidget(content);
    m_tabs->setObjectName(QStringLiteral("testRunsTabs"));
    m_tabs->addTab(buildCasesTab(), tr("&Cases"));
    m_flakyView = new QTableView(content);
    setUpTable(m_flakyView, m_flaky, FlakyCasesModel::Rate, QStringLiteral("flakyCasesView"));
    m_flakyView->sortByColumn(FlakyCasesModel::Rate, Qt::DescendingOrder);
    setColumnWidths(m_flakyView, {{FlakyCasesModel::Name, 30},
                                  {FlakyCasesModel::Class, 22},
                                  {FlakyCasesModel::Suite, 14},
                                  {FlakyCasesModel::Verdict, 16}});
    auto *flakyTab = new QWidget(content);
    auto *rulesButton = new QPushButton(tr("Flaky &Rules…"), flakyTab);
    rulesButton->setObjectName(QStringLiteral("flakyRulesButton"));
    m_rulesText = new QLabel(flakyTab);
    m_rulesText->setWordWrap(true);
    auto *rulesBar = new QHBoxLayout;
    rulesBar->addWidget(m_rulesText, 1);
    rulesBar->addWidget(rulesButton);
    auto *flakyLayout = new QVBoxLayout(flakyTab);
    flakyLayout->addLayout(rulesBar);
    flakyLayout->addWidget(m_flakyView, 1);
    m_tabs->addTab(flakyTab, tr("&Flaky"));
    connect(rulesButton, &QPushButton::clicked, this, &TestRunsPane::editFlakyRules);
    m_trends = new TrendsChart(content);
    m_tabs->addTab(m_trends, tr("T&rends"));
    m_tabs->addTab(buildCompareTab(), tr("Com&pare"));

    auto *runsBox = new QWidget(content);
    auto *runsLayout = new QVBoxLayout(runsBox);
    runsLayout->setContentsMargins(0, 0, 0, 0);
    runsLayout->addLayout(bar);
    runsLayout->addWidget(m_hint);
    runsLayout->addWidget(m_runView, 1);
    auto *split = new QSplitter(Qt::Vertical, content);
    split->addWidget(runsBox);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    m_progress = new QProgressBar(content);
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_cancel = new QPushButton(tr("Cancel"), content);
    m_message = new QLabel(content);
    m_message->setObjectName(QStringLiteral("testRunsMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *status = new QHBoxLayout;
    status->addWidget(m_message, 1);
    status->addWidget(m_progress);
    status->addWidget(m_cancel);
    m_progress->hide();
    m_cancel->hide();
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split, 1);
    layout->addLayout(status);
    setContent(content);
    setFlakyRules(m_settings ? m_settings->flakyRules() : FlakyRules{});
    if (m_settings)
        connect(m_settings, &AppSettings::flakyRulesChanged, this, &TestRunsPane::setFlakyRules);

    connect(m_importButton, &QPushButton::clicked, this, [this] { openImport(); });
    connect(m_notifyButton, &QPushButton::clicked, this, &TestRunsPane::editNotifications);
    connect(m_githubButton, &QPushButton::clicked, this, [this] { openGitHubSources(); });
    connect(m_goldenButton, &QPushButton::clicked, this, [this] { openGoldenSuites(); });
    connect(m_mocksButton, &QPushButton::clicked, this, [this] { openMocks(); });
    if (m_service) {
        // How a golden run ended, also when its dialog was closed meanwhile.
        connect(m_service, &TestRunsService::goldenFinished, this,
                [this](quint64, qint64, bool, const QString &message, qint64 runId) {
                    m_message->setText(message);
                    if (runId)
                        m_pendingSelection = runId;
                });
        // What a cleanup removed (an automatic one says so only when it removed something), and
        // whether a run is kept.
        connect(m_service, &TestRunsService::cleanedUp, this,
                [this](quint64 job, bool ok, const QString &message, const RetentionSummary &) {
                    m_message->setText(job || !ok ? message : tr("Retention: %1").arg(message));
                });
        connect(m_service, &TestRunsService::runKept, this,
                [this](quint64, qint64, bool, const QString &message) { m_message->setText(message); });
        // What came from the team workspace: teammates' runs, and its sources, notifications and mocks.
        connect(m_service, &TestRunsService::teamRunsAdopted, this,
                [this](int adopted, const QStringList &problems) {
                    QStringList lines;
                    if (adopted > 0)
                        lines << tr("%n run(s) from teammates arrived from the team workspace.", nullptr,
                                    adopted);
                    lines << problems;
                    m_message->setText(lines.join(QLatin1Char('\n')));
                });
        connect(m_service, &TestRunsService::teamSettingsAdopted, this,
                [this](int sources, int mocks, const QStringList &problems) {
                    QStringList lines;
                    if (sources + mocks > 0)
                        lines << tr("The team workspace changed %n source(s) and %1 here.", nullptr, sources)
                                     .arg(tr("%n mock(s)", nullptr, mocks));
                    lines << problems;
                    m_message->setText(lines.join(QLatin1Char('\n')));
                });
    }
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_service && m_job)
            m_service->cancel(m_job);
        m_cancel->setEnabled(false);
    });
    connect(m_source, &QComboBox::currentIndexChanged, this, [this] {
        m_runProxy->source = m_source->currentData().toLongLong();
        m_runProxy->apply();
    });
    connect(m_runText, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_runProxy->words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        m_runProxy->apply();
    });
    connect(m_runs, &CacheTableModel::loaded, this, [this] {
        m_hint->setVisible(m_runs->rowCount() == 0);
        updateSources();
        if (m_pendingSelection && m_runs->rowOfKey(m_pendingSelection) >= 0)
            selectRun(std::exchange(m_pendingSelection, 0)); // the golden run just stored
        if (selectedRun() == 0 && m_runProxy->rowCount() > 0)
            m_runView->selectRow(0);
        updateTrends();
        updateBaselineChoices();
        verifySignatures();
    });
    connect(m_runs, &CacheTableModel::loadFailed, this, [this](const QString &why) {
        m_message->setText(tr("The test runs cannot be read: %1").arg(why));
    });
    connect(m_runView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TestRunsPane::onRunSelected);
    connect(m_runView, &QTableView::customContextMenuRequested, this, [this](const QPoint &at) {
        const qint64 run = selectedRun();
        if (!run)
            return;
        QMenu menu(this);
        menu.addAction(tr("Use as &Baseline"), this, [this, run] {
            // For runs of its source selected later: the cases of each are compared with this one.
            m_baseline->setProperty("pinned", run);
            m_message->setText(
                tr("New failures are now judged against this run for the runs of its source."));
            updateBaselineChoices();
            onRunSelected();
        });
        menu.addAction(tr("Compare with &Previous Run"), this, [this, run] {
            if (m_cases->baselineRunId() > 0) {
                m_tabs->setCurrentIndex(3);
                compareRuns(m_cases->baselineRunId(), run, m_slower->value());
            } else {
                m_message->setText(
                    tr("This run has no earlier run of its source on its branch to compare with."));
            }
        });
        QAction *keep = menu.addAction(tr("&Keep Through Cleanups"), this, [this, run](bool kept) {
            if (m_service)
                QMetaObject::invokeMethod(m_service, [service = m_service, id = nextRequestId(), run, kept] {
                    service->keepRun(id, run, kept);
                });
        });
        keep->setCheckable(true);
        keep->setChecked(m_runView->currentIndex().data(TestRunsModel::KeptRole).toBool());
        keep->setEnabled(m_service != nullptr);
        menu.addAction(tr("Check &Signatures Again"), this, [this] {
            // Every run checked anew against the cache as it is now.
            m_runs->clearSignatureStates();
            verifySignatures();
        });
        const QString commit = m_runView->currentIndex()
                                   .siblingAtColumn(TestRunsModel::Commit)
                                   .data(CacheTableModel::RawRole)
                                   .toString();
        if (!commit.isEmpty())
            menu.addAction(tr("Copy &Commit"), this,
                           [commit] { QApplication::clipboard()->setText(commit); });
        // A golden run keeps each case's request, response and diff in a folder of its own.
        const QModelIndex current = m_runView->currentIndex();
        const QString origin = current.data(TestRunsModel::OriginRole).toString();
        if (current.data(TestRunsModel::SourceKindRole).toString() == QLatin1String("golden") &&
            QFileInfo(origin).isDir())
            menu.addAction(QIcon::fromTheme(QStringLiteral("folder-open")), tr("Open &Artifacts Folder"),
                           this, [origin] { QDesktopServices::openUrl(QUrl::fromLocalFile(origin)); });
        menu.exec(m_runView->viewport()->mapToGlobal(at));
    });

    connect(m_cases, &CacheTableModel::loaded, this, &TestRunsPane::onCasesLoaded);
    connect(m_caseView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { m_detail->showCase(m_cases->runId(), current); });
    connect(m_compareWatcher, &QFutureWatcherBase::finished, this, [this] {
        const auto [problem, comparison] = m_compareWatcher->result();
        if (!problem.isEmpty()) {
            m_comparison->clear();
            m_message->setText(problem);
            return;
        }
        showComparison(comparison, m_comparedPercent);
    });

    if (m_service) {
        connect(m_service, &TestRunsService::importProgress, this,
                [this](quint64 job, int file, int files, qint64 bytes, qint64 total) {
                    if (job != m_job)
                        return;
                    // Files done plus the part of this one read, in thousandths.
                    const double part = total > 0 ? double(bytes) / double(total) : 0;
                    m_progress->setRange(0, 1000);
                    m_progress->setValue(int(1000 * (file + qBound(0.0, part, 1.0)) / qMax(1, files)));
                    m_progress->setFormat(tr("Report %1 of %2").arg(file + 1).arg(files));
                });
        connect(m_service, &TestRunsService::reportRefused, this,
                [this](quint64 job, const QString &path, const QString &, const QString &why) {
                    if (job == m_job)
                        m_refusals << tr("%1: %2").arg(QFileInfo(path).fileName(), why);
                });
        connect(m_service, &TestRunsService::reportImported, this,
                [this](quint64 job, const QString &, const ImportedRun &run) {
                    if (job == m_job && !run.alreadyImported)
                        selectRun(run.runId);
                });
        connect(m_service, &TestRunsService::importFinished, this,
                [this](quint64 job, int imported, int already, int refused, bool cancelled) {
                    if (job != m_job)
                        return;
                    m_job = 0;
                    m_progress->hide();
                    m_cancel->hide();
                    m_importButton->setEnabled(true);
                    QString text = tr("Imported %n report(s).", nullptr, imported);
                    if (already)
                        text += QLatin1Char(' ') + tr("%n already imported before.", nullptr, already);
                    if (cancelled)
                        text +=
                            QLatin1Char(' ') + tr("Cancelled: nothing of the report being read was kept.");
                    if (refused)
                        text += QLatin1Char(' ') +
                                tr("%n refused: nothing of it was imported.", nullptr, refused);
                    if (!m_signingNote.isEmpty())
                        text += QLatin1Char(' ') + m_signingNote;
                    m_message->setText(text);
                    if (refused) {
                        QMessageBox box(QMessageBox::Warning, tr("Reports Refused"),
                                        tr("%n report(s) could not be imported; nothing of them was kept.",
                                           nullptr, refused),
                                        QMessageBox::Ok, this);
                        box.setDetailedText(m_refusals.join(QLatin1Char('\n')));
                        box.setInformativeText(m_refusals.value(0));
                        if (!qEnvironmentVariableIsSet("OPSDECK_NO_MODAL"))
                            box.exec();
                    }
                    emit importFinished(imported, already, refused);
                });
        connect(m_service, &TestRunsService::signingUnavailable, this,
                [this](const QString &why) { m_signingNote = why; });
        connect(m_service, &TestRunsService::runVerified, this,
                [this](qint64 run, int state) { m_runs->setSignatureState(run, SignatureState(state)); });
        connect(m_service, &TestRunsService::notified, this,
                [this](qint64 run, const QString &channel, bool ok, const QString &detail) {
                    const int row = m_runs->rowOfKey(run);
                    const QString name = row >= 0
                                             ? m_runs->rowAt(row).values.value(TestRunsModel::Run).toString()
                                             : tr("run %1").arg(run);
                    const QString who = channel == QLatin1String("jira") ? tr("Jira") : tr("Slack");
                    m_message->setText(ok ? (detail.isEmpty()
                                                 ? tr("%1 was told about %2.").arg(who, name)
                                                 : tr("%1 issue %2 created for %3.").arg(who, detail, name))
                                          : tr("%1 could not be told about %2 (the run is imported): %3")
                                                .arg(who, name, detail));
                });
        connect(m_service, &TestRunsService::telemetrySent, this,
                [this](qint64, bool ok, const QString &why) {
                    if (!ok)
                        m_message->setText(
                            tr("The signed record was not posted (the run is imported): %1").arg(why));
                });
        connect(m_service, &TestRunsService::notifySettingsSaved, this,
                [this](quint64, bool ok, const QString &why) {
                    m_message->setText(ok ? tr("Notifications saved.")
                                          : tr("Notifications not saved: %1").arg(why));
                });
        connect(m_service, &TestRunsService::verifyFailed, this,
                [this](const QString &why) { m_message->setText(why); });
    }
}

TestRunsPane::~TestRunsPane()
{
    m_compareWatcher->waitForFinished();
}

void TestRunsPane::watchPublishing(WorkspaceService *workspace)
{
    // Runs already in the workspace are not news; what went, what waits and what was refused are.
    connect(workspace, &WorkspaceService::testRunsPublished, this,
            [this](int published, int, int waiting, const QStringList &problems) {
                QStringList lines;
                if (published > 0)
                    lines << tr("%n run(s) published to the team workspace.", nullptr, published);
                if (waiting > 0)
                    lines << tr("%n run(s) wait for the team workspace to answer.", nullptr, waiting);
                lines << problems;
                if (!lines.isEmpty())
                    m_message->setText(lines.join(QLatin1Char('\n')));
            });
}

QWidget *TestRunsPane::buildCasesTab()
{
    auto *tab = new QWidget(this);
    m_summary = new QLabel(tab);
    m_summary->setObjectName(QStringLiteral("runSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_show = new QComboBox(tab);
    m_show->setObjectName(QStringLiteral("showCombo"));
    m_show->addItems(
        {tr("All cases"), tr("Failing"), tr("New failures"), tr("Flaky"), tr("Fixed"), tr("Skipped")});
    m_caseText = new QLineEdit(tab);
    m_caseText->setPlaceholderText(tr("Filter cases by name, class, suite or message…"));
    m_caseText->setAccessibleName(m_caseText->placeholderText());
    m_caseText->setClearButtonEnabled(true);
    m_baseline = new QComboBox(tab);
    m_baseline->setObjectName(QStringLiteral("baselineCombo"));
    m_baseline->setMinimumContentsLength(24);
    m_baseline->setToolTip(tr("New failures fail in this run and passed in the baseline."));
    m_baselineNote = new QLabel(tab);
    m_baselineNote->setObjectName(QStringLiteral("baselineNote"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), tab));
    bar->addWidget(m_show);
    bar->addWidget(m_caseText, 1);
    bar->addWidget(new QLabel(tr("Baseline:"), tab));
    bar->addWidget(m_baseline);

    m_caseView = new QTableView(tab);
    setUpTable(m_caseView, m_caseProxy, m_cases, TestCasesModel::Outcome, QStringLiteral("testCasesView"));
    m_caseView->sortByColumn(TestCasesModel::Outcome, Qt::DescendingOrder);
    m_caseView->setItemDelegateForColumn(TestCasesModel::History,
                                         new HistoryStripDelegate(TestCasesModel::HistoryRole, m_caseView));
    setColumnWidths(m_caseView, {{TestCasesModel::Outcome, 16},
                                 {TestCasesModel::Name, 30},
                                 {TestCasesModel::Class, 20},
                                 {TestCasesModel::Suite, 10},
                                 {TestCasesModel::Duration, 9},
                                 {TestCasesModel::History, 30},
                                 {TestCasesModel::Change, 13},
                                 {TestCasesModel::FlakyVerdictColumn, 7}});
    m_detail = new CaseDetailPanel(tab);
    auto *split = new QSplitter(Qt::Horizontal, tab);
    split->addWidget(m_caseView);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 5);
    split->setStretchFactor(1, 2);
    split->setSizes({900, 360});
    auto *layout = new QVBoxLayout(tab);
    layout->addWidget(m_summary);
    layout->addLayout(bar);
    layout->addWidget(m_baselineNote);
    layout->addWidget(split, 1);

    connect(m_show, &QComboBox::currentIndexChanged, this, [this](int i) { setShow(Show(i)); });
    connect(m_caseText, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_caseProxy->words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        m_caseProxy->apply();
    });
    connect(m_baseline, &QComboBox::activated, this, [this] { onRunSelected(); });
    return tab;
}

void TestRunsPane::refresh()
{
    m_runs->reload();
    m_cases->reload();
    m_flaky->reload();
    Pane::refresh();
}

QStringList TestRunsPane::extraViews() const
{
    return {QStringLiteral("flaky"), QStringLiteral("trends"), QStringLiteral("compare")};
}

void TestRunsPane::showView(const QString &view)
{
    const int i = int(extraViews().indexOf(view)) + 1;
    m_tabs->setCurrentIndex(qMax(0, i));
    if (view == QLatin1String("compare") && m_compareNow->count() > 1 &&
        m_comparison->topLevelItemCount() == 0)
        compareRuns(m_compareBase->currentData().toLongLong(), m_compareNow->currentData().toLongLong(),
                    m_slower->value());
}

qint64 TestRunsPane::selectedRun() const
{
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(CacheTableModel::KeyRole).toLongLong();
}

void TestRunsPane::selectRun(qint64 runId)
{
    const int row = m_runs->rowOfKey(runId);
    if (row < 0)
        return;
    const QModelIndex at = m_runProxy->mapFromSource(m_runs->index(row, 0));
    if (at.isValid()) {
        m_runView->selectRow(at.row());
        m_runView->scrollTo(at);
    }
}

void TestRunsPane::setShow(Show show)
{
    if (m_show->currentIndex() != int(show))
        m_show->setCurrentIndex(int(show));
    m_caseProxy->show = show;
    m_caseProxy->apply();
}

void TestRunsPane::updateSources()
{
    const qint64 current = m_source->currentData().toLongLong();
    QMap<QString, qint64> sources;
    for (int i = 0; i < m_runs->rowCount(); ++i) {
        const CacheRow &r = m_runs->rowAt(i);
        sources.insert(r.values.value(TestRunsModel::Source).toString(),
                       m_runs->index(i, 0).data(TestRunsModel::SourceIdRole).toLongLong());
    }
    QSignalBlocker block(m_source);
    m_source->clear();
    m_source->addItem(tr("All sources"), qint64(0));
    for (auto it = sources.cbegin(); it != sources.cend(); ++it)
        m_source->addItem(it.key(), it.value());
    m_source->setCurrentIndex(qMax(0, m_source->findData(current)));
}

void TestRunsPane::onRunSelected()
{
    const qint64 run = selectedRun();
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    if (!run || rows.isEmpty()) {
        m_cases->setRun(0);
        m_summary->clear();
        m_detail->showCase(0, {});
        return;
    }
    const QModelIndex row = rows.first();
    const qint64 source = row.data(TestRunsModel::SourceIdRole).toLongLong();
    m_notifyButton->setEnabled(m_service != nullptr);
    if (m_baseline->property("source").toLongLong() != source ||
        m_baseline->property("run").toLongLong() != run)
        updateBaselineChoices();
    qint64 baseline = m_baseline->currentData().toLongLong();
    m_cases->setRun(run, baseline);
    m_flaky->setSource(source);
    updateTrends();
    const auto cell = [&](int column) {
        return row.siblingAtColumn(column).data().toString();
    };
    QString text =
        tr("<b>%1</b> · %2 · %3 tests: %4 passed, %5 failed, %6 errors, %7 skipped, %8 flaky · %9")
            .arg(cell(TestRunsModel::Run).toHtmlEscaped(), cell(TestRunsModel::Source).toHtmlEscaped(),
                 cell(TestRunsModel::Tests), cell(TestRunsModel::Passed), cell(TestRunsModel::Failed),
                 cell(TestRunsModel::Errors), cell(TestRunsModel::Skipped), cell(TestRunsModel::Flaky),
                 cell(TestRunsModel::Duration));
    const QString branch = cell(TestRunsModel::Branch);
    if (!branch.isEmpty())
        text += QStringLiteral(" · ") + tr("branch %1").arg(branch.toHtmlEscaped());
    const int state = row.data(TestRunsModel::SignatureStateRole).toInt();
    if (state == int(SignatureState::Tampered))
        text += QStringLiteral(" · <span style=\"color:") + toneName(Tone::Bad) + QStringLiteral("\"><b>") +
                tr("tampered: its record no longer matches its signature") + QStringLiteral("</b></span>");
    const QStringList notes = row.data(TestRunsModel::NotesRole).toStringList();
    if (!notes.isEmpty())
        text += QStringLiteral("<br>") +
                tr("Read with notes: %1").arg(notes.join(QStringLiteral("; ")).toHtmlEscaped());
    m_summary->setText(text);
}

void TestRunsPane::updateBaselineChoices()
{
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    const qint64 run = selectedRun();
    const qint64 source = rows.isEmpty() ? 0 : rows.first().data(TestRunsModel::SourceIdRole).toLongLong();
    const qint64 pinned = m_baseline->property("pinned").toLongLong();
    const qint64 keep = m_baseline->currentData().toLongLong();
    QSignalBlocker block(m_baseline);
    QSignalBlocker blockBase(m_compareBase);
    QSignalBlocker blockNow(m_compareNow);
    m_baseline->clear();
    m_compareBase->clear();
    m_compareNow->clear();
    m_baseline->addItem(tr("Previous run on the same branch"), qint64(0));
    m_baseline->setProperty("source", source);
    m_baseline->setProperty("run", run);
    // The runs of the selected run's source, newest first.
    QList<std::pair<QDateTime, int>> order;
    for (int i = 0; i < m_runs->rowCount(); ++i)
        if (m_runs->index(i, 0).data(TestRunsModel::SourceIdRole).toLongLong() == source)
            order << std::pair{
                QDateTime::fromString(m_runs->rowAt(i).values.value(TestRunsModel::Started).toString(),
                                      Qt::ISODateWithMs),
                i};
    std::sort(order.begin(), order.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    for (const auto &[when, i] : std::as_const(order)) {
        const qint64 id = m_runs->rowAt(i).key.toLongLong();
        const QString label = QStringLiteral("%1 · %2 · %3")
                                  .arg(m_runs->index(i, TestRunsModel::Started).data().toString(),
                                       m_runs->rowAt(i).values.value(TestRunsModel::Run).toString(),
                                       m_runs->rowAt(i).values.value(TestRunsModel::Branch).toString());
        if (id != run)
            m_baseline->addItem(label, id);
        m_compareBase->addItem(label, id);
        m_compareNow->addItem(label, id);
    }
    const int pinnedAt = pinned ? m_baseline->findData(pinned) : -1;
    m_baseline->setCurrentIndex(pinnedAt >= 0 ? pinnedAt : qMax(0, m_baseline->findData(keep)));
    // Compare: the run before the selected one with the selected one.
    const int now = m_compareNow->findData(run);
    m_compareNow->setCurrentIndex(qMax(0, now));
    m_compareBase->setCurrentIndex(qMin(m_compareBase->count() - 1, qMax(0, now) + 1));
}

void TestRunsPane::onCasesLoaded()
{
    const qint64 baseline = m_cases->baselineRunId();
    if (!m_cases->runId()) {
        m_baselineNote->clear();
        return;
    }
    int newFailures = 0, flaky = 0, fixed = 0;
    for (int i = 0; i < m_cases->rowCount(); ++i) {
        const QModelIndex at = m_cases->index(i, 0);
        newFailures += CaseChange(at.data(TestCasesModel::ChangeRole).toInt()) == CaseChange::NewFailure;
        fixed += CaseChange(at.data(TestCasesModel::ChangeRole).toInt()) == CaseChange::Fixed;
        flaky += at.data(TestCasesModel::FlakyRole).toBool();
    }
    if (!baseline) {
        m_baselineNote->setText(
            tr("No earlier run of this source on this branch: every case is judged on its own."));
    } else {
        const int row = m_runs->rowOfKey(baseline);
        const QString name = row >= 0 ? QStringLiteral("%1 (%2)").arg(
                                            m_runs->rowAt(row).values.value(TestRunsModel::Run).toString(),
                                            m_runs->index(row, TestRunsModel::Started).data().toString())
                                      : tr("run %1").arg(baseline);
        m_baselineNote->setText(tr("Against %1: %n new failure(s)", nullptr, newFailures).arg(name) +
                                tr(", %n fixed", nullptr, fixed) + tr(", %n flaky.", nullptr, flaky));
    }
    if (m_caseView->selectionModel()->selectedRows().isEmpty() && m_caseProxy->rowCount() > 0)
        m_caseView->selectRow(0);
    // Compare starts from the same pair: the baseline with this run.
    if (baseline && m_comparison->topLevelItemCount() == 0)
        if (const int at = m_compareBase->findData(baseline); at >= 0)
            m_compareBase->setCurrentIndex(at);
}

void TestRunsPane::updateTrends()
{
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        m_trends->setRuns({}, {});
        return;
    }
    const qint64 source = rows.first().data(TestRunsModel::SourceIdRole).toLongLong();
    QList<RunPoint> points;
    for (int i = 0; i < m_runs->rowCount(); ++i) {
        if (m_runs->index(i, 0).data(TestRunsModel::SourceIdRole).toLongLong() != source)
            continue;
        const CacheRow &r = m_runs->rowAt(i);
        points << RunPoint{
            QDateTime::fromString(r.values.value(TestRunsModel::Started).toString(), Qt::ISODateWithMs),
            r.values.value(TestRunsModel::PassRate).toDouble(),
            r.values.value(TestRunsModel::Duration).toLongLong()};
    }
    m_trends->setRuns(rows.first().siblingAtColumn(TestRunsModel::Source).data().toString(), points);
}

void TestRunsPane::verifySignatures()
{
    if (!m_service)
        return;
    const QList<qint64> unchecked = m_runs->uncheckedRuns();
    if (!unchecked.isEmpty())
        QMetaObject::invokeMethod(
            m_service, [service = m_service, unchecked] { service->verifyRuns(unchecked); },
            Qt::QueuedConnection);
}

bool TestRunsPane::revealItem(const QString &target)
{
    if (!target.startsWith(QLatin1String("run:")))
        return false;
    const qint64 runId = target.mid(4).toLongLong();
    selectRun(runId);
    return selectedRun() == runId;
}

} // namespace opsdeck
