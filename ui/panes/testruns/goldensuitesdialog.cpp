#include "ui/panes/testruns/goldensuitesdialog.h"

#include "models/testruns/sourcemodels.h"
#include "services/testruns/testrunsservice.h"
#include "ui/common/requestid.h"
#include "ui/panes/pane.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

GoldenSuiteForm::GoldenSuiteForm(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Golden Suite"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("suiteName"));
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("suiteFolder"));
    m_folder->setPlaceholderText(tr("/srv/qa/golden, or a folder within the repository"));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    m_gitUrl = new QLineEdit(this);
    m_gitUrl->setObjectName(QStringLiteral("suiteGitUrl"));
    m_gitUrl->setPlaceholderText(tr("empty: the folder is on this desktop"));
    m_gitRef = new QLineEdit(this);
    m_gitRef->setPlaceholderText(tr("the repository's default branch"));
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("suiteBaseUrl"));
    m_baseUrl->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080/api"));
    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(1, 32);
    m_concurrency->setValue(4);
    m_concurrency->setSuffix(tr(" cases"));
    m_timeout = new QSpinBox(this);
    m_timeout->setRange(1, 600);
    m_timeout->setValue(10);
    m_timeout->setSuffix(tr(" s"));
    m_mock = new QComboBox(this);
    m_mock->setObjectName(QStringLiteral("suiteMock"));
    m_mock->addItem(tr("(none)"), qint64(0));
    m_mock->setToolTip(tr("The mock server this suite runs against: a run says so when the mock was down at "
                          "its last health check."));
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("suiteProblem"));
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Folder:"), folderRow);
    form->addRow(tr("Git &repository:"), m_gitUrl);
    form->addRow(tr("B&ranch:"), m_gitRef);
    form->addRow(tr("&Base URL:"), m_baseUrl);
    form->addRow(tr("&Mock:"), m_mock);
    form->addRow(tr("&At once:"), m_concurrency);
    form->addRow(tr("&Timeout per case:"), m_timeout);
    auto *intro =
        new QLabel(tr("Each *.json file in the folder is a case: a request and the response it must "
                      "get (see the README's golden case format)."),
                   this);
    intro->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Folder of the Suite's Cases"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    connect(m_gitUrl, &QLineEdit::textChanged, browse,
            [browse](const QString &url) { browse->setEnabled(url.isEmpty()); });
    connect(m_mock, &QComboBox::activated, this, [this](int index) {
        m_mockId = m_mock->itemData(index).toLongLong();
        const QString url = m_mock->itemData(index, Qt::UserRole + 1).toString();
        if (m_baseUrl->text().trimmed().isEmpty() && !url.isEmpty())
            m_baseUrl->setText(url);
    });
    for (QLineEdit *edit : {m_name, m_folder, m_gitUrl, m_gitRef, m_baseUrl})
        connect(edit, &QLineEdit::textChanged, this, &GoldenSuiteForm::check);
    check();
}

void GoldenSuiteForm::setValues(const QString &name, const GoldenSuiteSettings &settings)
{
    m_name->setText(name);
    m_folder->setText(settings.folder);
    m_gitUrl->setText(settings.gitUrl);
    m_gitRef->setText(settings.gitRef);
    m_baseUrl->setText(settings.baseUrl);
    m_concurrency->setValue(settings.concurrency);
    m_timeout->setValue(qMax(1, settings.timeoutMs / 1000));
    m_mockId = settings.mockId;
    m_mock->setCurrentIndex(qMax(0, m_mock->findData(m_mockId)));
}

void GoldenSuiteForm::setMocks(const QList<MockServer> &mocks)
{
    while (m_mock->count() > 1)
        m_mock->removeItem(1);
    for (const MockServer &m : mocks) {
        m_mock->addItem(QStringLiteral("%1 (%2)").arg(m.name, m.url), m.id);
        m_mock->setItemData(m_mock->count() - 1, m.url, Qt::UserRole + 1);
    }
    // A mock removed meanwhile: the suite keeps no reference to it.
    const int at = m_mock->findData(m_mockId);
    m_mockId = at > 0 ? m_mockId : 0;
    m_mock->setCurrentIndex(qMax(0, at));
}

QString GoldenSuiteForm::name() const
{
    return m_name->text().trimmed();
}

GoldenSuiteSettings GoldenSuiteForm::settings() const
{
    GoldenSuiteSettings s;
    s.folder = m_folder->text().trimmed();
    s.gitUrl = m_gitUrl->text().trimmed();
    s.gitRef = m_gitRef->text().trimmed();
    s.baseUrl = m_baseUrl->text().trimmed();
    s.concurrency = m_concurrency->value();
    s.timeoutMs = m_timeout->value() * 1000;
    s.mockId = m_mockId;
    return s;
}

QString GoldenSuiteForm::problem() const
{
    if (name().isEmpty())
        return tr("Name the suite; the Test runs pane lists its runs under that name.");
    const auto checked = settings().check();
    return checked ? QString() : checked.error().message;
}

void GoldenSuiteForm::check()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(why.isEmpty());
}

GoldenSuitesDialog::GoldenSuitesDialog(TestRunsService *service, QWidget *parent)
    : ListDialog(tr("Golden Suites"), QStringLiteral("goldenSuitesDialog"), parent), m_service(service),
      m_suites(new GoldenSourcesModel(this)), m_mocks(new MocksModel(this))
{
    resize(900, 420);
    m_view = addTable(m_suites, GoldenSourcesModel::Name, QStringLiteral("goldenSuitesView"));
    Pane::setColumnWidths(
        m_view,
        {{GoldenSourcesModel::Name, 16}, {GoldenSourcesModel::Cases, 28}, {GoldenSourcesModel::BaseUrl, 24}});
    QPushButton *add = addButton(tr("&Add…"), QStringLiteral("list-add"));
    add->setEnabled(m_service != nullptr);
    m_edit = addButton(tr("&Edit…"));
    m_remove = addButton(tr("&Remove…"), QStringLiteral("list-remove"));
    m_run =
        addButton(tr("R&un Now"), QStringLiteral("media-playback-start"), QStringLiteral("runSuiteButton"));
    m_cancel = addButton(tr("Cancel Run"));
    finishLayout({{m_view, 1}});

    connect(add, &QPushButton::clicked, this, &GoldenSuitesDialog::addSuite);
    connect(m_edit, &QPushButton::clicked, this, &GoldenSuitesDialog::editSuite);
    connect(m_remove, &QPushButton::clicked, this, &GoldenSuitesDialog::removeSuite);
    connect(m_run, &QPushButton::clicked, this, &GoldenSuitesDialog::runSelected);
    connect(m_cancel, &QPushButton::clicked, this, &GoldenSuitesDialog::cancelRun);
    connect(m_view, &QAbstractItemView::doubleClicked, this, &GoldenSuitesDialog::editSuite);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &GoldenSuitesDialog::updateButtons);
    connect(m_suites, &CacheTableModel::loaded, this, [this] {
        if (selectedSuite() == 0 && m_suites->rowCount() > 0)
            m_view->selectRow(0);
        if (m_suites->rowCount() == 0 && m_job == 0)
            m_message->setText(tr("No suite yet: Add… names a folder of case files and the URL to run them "
                                  "against."));
        updateButtons();
    });
    connect(m_suites, &CacheTableModel::loadFailed, m_message, &QLabel::setText);
    if (m_service) {
        connect(m_service, &TestRunsService::sourceSaved, this,
                [this](quint64 job, bool ok, const QString &message, qint64) {
                    if (job != m_saveJob)
                        return;
                    m_message->setText(message);
                    emit saved(ok, message);
                });
        connect(m_service, &TestRunsService::goldenProgress, this, [this](quint64 job, int done, int total) {
            if (job != m_job)
                return;
            m_progress->setRange(0, qMax(1, total));
            m_progress->setValue(done);
            m_message->setText(tr("%1 of %2 cases answered…").arg(done).arg(total));
        });
        connect(m_service, &TestRunsService::goldenFinished, this,
                [this](quint64 job, qint64, bool ok, const QString &message, qint64 runId) {
                    if (job != m_job)
                        return;
                    m_job = 0;
                    m_progress->hide();
                    m_message->setText(message);
                    updateButtons();
                    emit ran(ok, message, runId);
                });
    }
    m_suites->reload();
    updateButtons();
}

qint64 GoldenSuitesDialog::selectedSuite() const
{
    return selectedKey(m_view);
}

void GoldenSuitesDialog::updateButtons()
{
    const bool selected = selectedSuite() != 0 && m_service;
    m_edit->setEnabled(selected);
    m_remove->setEnabled(selected && m_job == 0);
    m_run->setEnabled(selected && m_job == 0);
    m_cancel->setVisible(m_job != 0);
}

void GoldenSuitesDialog::save(qint64 sourceId, const QString &name, const GoldenSuiteSettings &settings)
{
    if (!m_service)
        return;
    m_saveJob = nextRequestId();
    m_message->setText(tr("Saving %1…").arg(name));
    QMetaObject::invokeMethod(m_service, [service = m_service, job = m_saveJob, sourceId, name, settings] {
        service->saveGoldenSource(job, sourceId, name, settings);
    });
}

void GoldenSuitesDialog::addSuite()
{
    GoldenSuiteForm form(this);
    form.setMocks(mocks());
    if (form.exec() == QDialog::Accepted)
        save(0, form.name(), form.settings());
}

void GoldenSuitesDialog::editSuite()
{
    const qint64 id = selectedSuite();
    const int row = m_suites->rowOfKey(id);
    if (id == 0 || row < 0)
        return;
    const QModelIndex index = m_suites->index(row, GoldenSourcesModel::Name);
    GoldenSuiteForm form(this);
    form.setMocks(mocks());
    form.setValues(index.data().toString(), GoldenSuiteSettings::fromJson(
                                                index.data(GoldenSourcesModel::SettingsRole).toJsonObject()));
    if (form.exec() == QDialog::Accepted)
        save(id, form.name(), form.settings());
}

QList<MockServer> GoldenSuitesDialog::mocks() const
{
    QList<MockServer> out;
    for (int row = 0; row < m_mocks->rowCount(); ++row)
        out << m_mocks->index(row, 0).data(MocksModel::MockRole).value<MockServer>();
    return out;
}

void GoldenSuitesDialog::removeSuite()
{
    const qint64 id = selectedSuite();
    const int row = m_suites->rowOfKey(id);
    if (id == 0 || row < 0 || !m_service)
        return;
    const QString name = m_suites->index(row, GoldenSourcesModel::Name).data().toString();
    if (!confirmRemove(tr("Remove %1?").arg(name),
                       tr("Remove the suite %1 with all its runs from this desktop?").arg(name),
                       tr("The case files stay where they are.")))
        return;
    m_saveJob = nextRequestId();
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, job = m_saveJob, id] { service->removeSource(job, id); });
}

void GoldenSuitesDialog::runSelected()
{
    const qint64 id = selectedSuite();
    if (id == 0 || !m_service || m_job != 0)
        return;
    m_job = nextRequestId();
    m_progress->setRange(0, 0);
    m_progress->show();
    m_message->setText(tr("Reading the suite's cases…"));
    updateButtons();
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, job = m_job, id] { service->runGolden(job, id); });
}

void GoldenSuitesDialog::cancelRun()
{
    if (m_service && m_job)
        m_service->cancel(m_job);
}

} // namespace opsdeck
