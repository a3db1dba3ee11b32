// The Test runs pane: runs of every source (JUnit reports imported from files, by hand, by drop or
// by `opsdeck testruns import`) with their totals and whether their signed record still verifies;
// for the selected run its cases with their history strip, what changed against the baseline and
// which are flaky, the case's details; the flaky cases of its source, its trends (Qt Charts) and a
// comparison of any two runs. Reads the cache; imports and signature checks run on the
// TestRunsService thread.
#pragma once

#include "models/testruns/insight.h"
#include "models/testruns/notifications.h"
#include "ui/panes/pane.h"
#include "ui/panes/testruns/testrunfilters.h"

#include <QFutureWatcher>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;
class QTreeWidget;

namespace opsdeck {

class WorkspaceService;

class AppSettings;
class CaseDetailPanel;
class FlakyCasesModel;
class GitHubService;
class GitHubSourcesDialog;
class GoldenSuitesDialog;
class MocksDialog;
class RetentionDialog;
class SigningKeyDialog;
class DockerService;
class TestCasesModel;
class TestRunsModel;
class TestRunsService;
class TrendsChart;
struct ImportJob;

class TestRunsPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    // service: imports and signature checks (none: the pane only reads); settings: the flaky rules
    // (none: the defaults, not saved).
    TestRunsPane(ConnectionsModel *connections, TestRunsService *service, AppSettings *settings = nullptr,
                 QWidget *parent = nullptr);
    ~TestRunsPane() override;
    // How publishing this desktop's runs to the team workspace went, in the pane's message line.
    void watchPublishing(WorkspaceService *workspace);

    void refresh() override;
    QStringList extraViews() const override;
    void showView(const QString &view) override;
    bool revealItem(const QString &target) override;
    QStringList screenshotDialogs() const override;
    QWidget *openScreenshotDialog(const QString &name) override;

    // File › Import Test Results…: the dialog, with paths already in it (a drop).
    void openImport(const QStringList &paths = {});
    // Starts an import without the dialog (what its Import button does).
    void startImport(const ImportJob &job);
    // The case filter's choices, in the order of its combo.
    using Show = CaseShow;
    void setShow(Show show);
    // Notifications… for the selected run's source: Slack and Jira, saved by the service.
    void editNotifications();
    // Settings › Telemetry…: the receiver of signed run records, kept in the settings.
    void editTelemetry();
    // Settings › Retention…: the limits with a preview and Clean Up Now (none without settings).
    RetentionDialog *openRetention();
    void editRetention() { openRetention(); }
    // Settings › Signing Key…: this desktop's key by its id, copying it, taking the team's.
    SigningKeyDialog *openSigningKey();
    // GitHub…: the repositories whose GitHub Actions artifacts become test runs (none: the button
    // stays off). Their syncs are reported in the pane's message line.
    void setGitHubService(GitHubService *service);
    GitHubSourcesDialog *openGitHubSources();
    // Golden Suites…: the suites Opsdeck runs, with Run Now (none without the service).
    GoldenSuitesDialog *openGoldenSuites();
    // Mocks…: the mock servers with their health and uptime; restarts go through docker (none: the
    // restart button stays off).
    void setDockerService(DockerService *docker) { m_docker = docker; }
    MocksDialog *openMocks();
    // The Flaky tab's Flaky Rules… button: the dialog with its preview; saved into the settings.
    void editFlakyRules();
    void setFlakyRules(const FlakyRules &rules);
    // Compares two runs (the Compare tab's button).
    void compareRuns(qint64 baseRunId, qint64 runId, double slowerPercent);

    TestRunsModel *runs() const { return m_runs; }
    TestCasesModel *cases() const { return m_cases; }
    FlakyCasesModel *flakyCases() const { return m_flaky; }
    QTableView *runsView() const { return m_runView; }
    QTableView *casesView() const { return m_caseView; }
    QTableView *flakyView() const { return m_flakyView; }
    QComboBox *sourceCombo() const { return m_source; }
    QComboBox *baselineCombo() const { return m_baseline; }
    QLineEdit *caseFilter() const { return m_caseText; }
    CaseDetailPanel *detail() const { return m_detail; }
    TrendsChart *trends() const { return m_trends; }
    QTreeWidget *comparison() const { return m_comparison; }
    QTabWidget *tabs() const { return m_tabs; }
    QLabel *message() const { return m_message; }
    QLabel *runSummary() const { return m_summary; }
    bool isImporting() const { return m_job != 0; }
    // The run selected in the list (0: none).
    qint64 selectedRun() const;
    void selectRun(qint64 runId);

signals:
    void importFinished(int imported, int already, int refused);
    void comparisonShown();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *buildCasesTab();
    QWidget *buildCompareTab();
    void onRunSelected();
    void onCasesLoaded();
    void updateSources();
    void updateBaselineChoices();
    void updateTrends();
    void verifySignatures();
    void showComparison(const RunComparison &c, double percent);
    void openNotifyDialog(qint64 source, const QString &name, const NotifySettings &current);
    QStringList fileSources() const;

    TestRunsService *m_service;
    AppSettings *m_settings;
    TestRunsModel *m_runs;
    RunFilter *m_runProxy;
    TestCasesModel *m_cases;
    CaseFilter *m_caseProxy;
    FlakyCasesModel *m_flaky;
    QTableView *m_runView;
    QTableView *m_caseView;
    QTableView *m_flakyView;
    QComboBox *m_source;
    QLineEdit *m_runText;
    QComboBox *m_show;
    QLineEdit *m_caseText;
    QComboBox *m_baseline;
    QLabel *m_baselineNote;
    QLabel *m_summary;
    QLabel *m_hint;
    CaseDetailPanel *m_detail;
    TrendsChart *m_trends;
    QTabWidget *m_tabs;
    QComboBox *m_compareBase;
    QComboBox *m_compareNow;
    QDoubleSpinBox *m_slower;
    QTreeWidget *m_comparison;
    QFutureWatcher<std::pair<QString, RunComparison>> *m_compareWatcher;
    double m_comparedPercent = 20;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QPushButton *m_importButton;
    QPushButton *m_notifyButton;
    QPushButton *m_githubButton;
    QPushButton *m_goldenButton;
    QPushButton *m_mocksButton;
    DockerService *m_docker = nullptr;
    qint64 m_pendingSelection = 0; // a run to select once the list holds it
    GitHubService *m_github = nullptr;
    QLabel *m_message;
    QLabel *m_rulesText;
    quint64 m_job = 0;
    QStringList m_refusals;
    QString m_lastSource;
    QString m_signingNote;
};

} // namespace opsdeck
