#include "ui/panes/testruns/githubsourcesdialog.h"

#include "models/connections/connectionsmodel.h"
#include "models/testruns/sourcemodels.h"
#include "services/github/githubservice.h"
#include "ui/common/requestid.h"
#include "ui/panes/pane.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

GitHubSourceForm::GitHubSourceForm(ConnectionsModel *connections, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("GitHub Test Source"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("sourceName"));
    m_name->setPlaceholderText(tr("api (GitHub)"));
    m_connection = new QComboBox(this);
    m_connection->setObjectName(QStringLiteral("sourceConnection"));
    for (int row = 0; connections && row < connections->rowCount(); ++row) {
        const Connection c = connections->connectionAt(row);
        if (c.kind == ConnectionKind::GitHub)
            m_connection->addItem(c.name, c.id);
    }
    m_repo = new QLineEdit(this);
    m_repo->setObjectName(QStringLiteral("sourceRepo"));
    m_repo->setPlaceholderText(tr("owner/name"));
    m_pattern = new QLineEdit(QStringLiteral("*"), this);
    m_pattern->setObjectName(QStringLiteral("sourcePattern"));
    m_pattern->setToolTip(
        tr("Which artifacts hold the test results, as a wildcard: junit-*, test-results, *."));
    m_firstRuns = new QSpinBox(this);
    m_firstRuns->setRange(1, 100);
    m_firstRuns->setValue(30);
    m_firstRuns->setSuffix(tr(" workflow runs"));
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("sourceProblem"));
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Connection:"), m_connection);
    form->addRow(tr("&Repository:"), m_repo);
    form->addRow(tr("&Artifacts:"), m_pattern);
    form->addRow(tr("&First sync reads:"), m_firstRuns);
    auto *intro = new QLabel(tr("The completed workflow runs of the repository are read, and the JUnit XML "
                                "files in their artifacts imported as test runs: one run per artifact, each "
                                "artifact once."),
                             this);
    intro->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {m_name, m_repo, m_pattern})
        connect(edit, &QLineEdit::textChanged, this, &GitHubSourceForm::check);
    connect(m_connection, &QComboBox::currentIndexChanged, this, &GitHubSourceForm::check);
    check();
}

void GitHubSourceForm::setValues(const QString &name, qint64 connectionId, const GitHubTestSource &settings)
{
    m_name->setText(name);
    m_connection->setCurrentIndex(qMax(0, m_connection->findData(connectionId)));
    m_repo->setText(settings.repo);
    m_pattern->setText(settings.artifacts);
    m_firstRuns->setValue(settings.firstRuns);
}

QString GitHubSourceForm::name() const
{
    return m_name->text().trimmed();
}

qint64 GitHubSourceForm::connectionId() const
{
    return m_connection->currentData().toLongLong();
}

GitHubTestSource GitHubSourceForm::settings() const
{
    GitHubTestSource s;
    s.repo = m_repo->text().trimmed();
    s.artifacts = m_pattern->text().trimmed();
    s.firstRuns = m_firstRuns->value();
    return s;
}

QString GitHubSourceForm::problem() const
{
    if (m_connection->count() == 0)
        return tr("Add a GitHub connection first: its token reads the workflow runs.");
    if (name().isEmpty())
        return tr("Name the source; the Test runs pane lists its runs under that name.");
    const auto checked = settings().check();
    return checked ? QString() : checked.error().message;
}

void GitHubSourceForm::check()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(why.isEmpty());
}

GitHubSourcesDialog::GitHubSourcesDialog(GitHubService *service, ConnectionsModel *connections,
                                         QWidget *parent)
    : ListDialog(tr("Test Runs from GitHub Actions"), QStringLiteral("githubSourcesDialog"), parent),
      m_service(service), m_connections(connections), m_sources(new GitHubSourcesModel(this)),
      m_runs(new WorkflowRunsModel(this))
{
    resize(960, 620);
    m_sourceView = addTable(m_sources, GitHubSourcesModel::Name, QStringLiteral("githubSourcesView"));
    Pane::setColumnWidths(m_sourceView, {{GitHubSourcesModel::Name, 18},
                                         {GitHubSourcesModel::Repository, 20},
                                         {GitHubSourcesModel::Artifacts, 12},
                                         {GitHubSourcesModel::Connection, 12}});
    m_runView = new QTableView(this);
    Pane::setUpTable(m_runView, m_runs, WorkflowRunsModel::Created, QStringLiteral("workflowRunsView"));
    m_runView->sortByColumn(WorkflowRunsModel::Created, Qt::DescendingOrder);
    Pane::setColumnWidths(m_runView, {{WorkflowRunsModel::Created, 16},
                                      {WorkflowRunsModel::Run, 32},
                                      {WorkflowRunsModel::Branch, 14},
                                      {WorkflowRunsModel::Commit, 11},
                                      {WorkflowRunsModel::Event, 10},
                                      {WorkflowRunsModel::Conclusion, 10}});
    QPushButton *add = addButton(tr("&Add…"), QStringLiteral("list-add"), QStringLiteral("addSourceButton"));
    add->setEnabled(m_service != nullptr);
    m_edit = addButton(tr("&Edit…"));
    m_remove = addButton(tr("&Remove…"), QStringLiteral("list-remove"));
    m_sync = addButton(tr("&Sync Now"), QStringLiteral("view-refresh"), QStringLiteral("syncSourceButton"));
    finishLayout(
        {{m_sourceView, 2},
         {new QLabel(tr("Workflow runs of the selected source, and what became of their artifacts:"), this),
          0},
         {m_runView, 3}});

    connect(add, &QPushButton::clicked, this, &GitHubSourcesDialog::addSource);
    connect(m_edit, &QPushButton::clicked, this, &GitHubSourcesDialog::editSource);
    connect(m_remove, &QPushButton::clicked, this, &GitHubSourcesDialog::removeSource);
    connect(m_sync, &QPushButton::clicked, this, &GitHubSourcesDialog::syncSelected);
    connect(m_sourceView, &QAbstractItemView::doubleClicked, this, &GitHubSourcesDialog::editSource);
    connect(m_sourceView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_runs->setSource(selectedSource());
        updateButtons();
    });
    connect(m_sources, &CacheTableModel::loaded, this, [this] {
        if (selectedSource() == 0 && m_sources->rowCount() > 0)
            m_sourceView->selectRow(0);
        if (m_sources->rowCount() == 0)
            m_message->setText(tr("No repository yet: Add… names one of a GitHub connection."));
        updateButtons();
    });
    connect(m_sources, &CacheTableModel::loadFailed, m_message, &QLabel::setText);
    connect(m_runs, &CacheTableModel::loadFailed, m_message, &QLabel::setText);

    if (m_service) {
        connect(m_service, &GitHubService::testSourceSaved, this,
                [this](quint64 requestId, const Outcome &outcome, qint64) {
                    if (!m_requests.remove(requestId))
                        return;
                    m_message->setText(outcome.message);
                    emit saved(outcome.ok, outcome.message);
                });
        connect(m_service, &GitHubService::testSyncStarted, this, [this](qint64) {
            m_progress->setRange(0, 0);
            m_progress->show();
        });
        connect(m_service, &GitHubService::testSyncProgress, this,
                [this](qint64, int done, int total, const QString &text) {
                    m_progress->setRange(0, qMax(1, total));
                    m_progress->setValue(done);
                    m_message->setText(text);
                });
        connect(m_service, &GitHubService::testSyncFinished, this,
                [this](qint64 sourceId, const Outcome &outcome, int) {
                    m_progress->hide();
                    m_message->setText(outcome.message);
                    emit synced(sourceId, outcome.ok, outcome.message);
                });
    }
    m_sources->reload();
    updateButtons();
}

qint64 GitHubSourcesDialog::selectedSource() const
{
    return selectedKey(m_sourceView);
}

void GitHubSourcesDialog::updateButtons()
{
    const bool selected = selectedSource() != 0 && m_service;
    m_edit->setEnabled(selected);
    m_remove->setEnabled(selected);
    m_sync->setEnabled(selected);
}

void GitHubSourcesDialog::save(qint64 sourceId, const QString &name, qint64 connectionId,
                               const GitHubTestSource &settings)
{
    if (!m_service)
        return;
    const quint64 request = nextRequestId();
    m_requests.insert(request);
    m_message->setText(tr("Saving %1…").arg(name));
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, request, sourceId, name, connectionId, settings] {
                                  service->saveTestSource(request, sourceId, name, connectionId, settings);
                              });
}

void GitHubSourcesDialog::addSource()
{
    GitHubSourceForm form(m_connections, this);
    if (form.exec() == QDialog::Accepted)
        save(0, form.name(), form.connectionId(), form.settings());
}

void GitHubSourcesDialog::editSource()
{
    const qint64 id = selectedSource();
    const int row = m_sources->rowOfKey(id);
    if (id == 0 || row < 0)
        return;
    const auto cell = [this, row](int column, int role = CacheTableModel::RawRole) {
        return m_sources->index(row, column).data(role);
    };
    GitHubTestSource settings;
    settings.repo = cell(GitHubSourcesModel::Repository).toString();
    settings.artifacts = cell(GitHubSourcesModel::Artifacts).toString();
    settings.firstRuns = cell(0, GitHubSourcesModel::FirstRunsRole).toInt();
    GitHubSourceForm form(m_connections, this);
    form.setValues(cell(GitHubSourcesModel::Name).toString(),
                   cell(0, GitHubSourcesModel::ConnectionIdRole).toLongLong(), settings);
    if (form.exec() == QDialog::Accepted)
        save(id, form.name(), form.connectionId(), form.settings());
}

void GitHubSourcesDialog::removeSource()
{
    const qint64 id = selectedSource();
    const int row = m_sources->rowOfKey(id);
    if (id == 0 || row < 0 || !m_service)
        return;
    const QString name = m_sources->index(row, GitHubSourcesModel::Name).data().toString();
    if (!confirmRemove(
            tr("Remove %1?").arg(name),
            tr("Remove the source %1 with all its test runs and their history from this desktop?").arg(name),
            tr("GitHub keeps the artifacts; adding the source again reads those it still keeps.")))
        return;
    const quint64 request = nextRequestId();
    m_requests.insert(request);
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, request, id] { service->removeTestSource(request, id); });
}

void GitHubSourcesDialog::syncSelected()
{
    const qint64 id = selectedSource();
    if (id == 0 || !m_service)
        return;
    m_message->setText(tr("Syncing…"));
    QMetaObject::invokeMethod(m_service, [service = m_service, id] { service->syncTestSource(id); });
}

} // namespace opsdeck
