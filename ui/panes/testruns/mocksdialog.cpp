#include "ui/panes/testruns/mocksdialog.h"

#include "models/connections/connectionsmodel.h"
#include "services/docker/dockerservice.h"
#include "services/testruns/testrunsservice.h"
#include "ui/common/requestid.h"
#include "ui/panes/pane.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

MockForm::MockForm(ConnectionsModel *connections, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Mock Server"));
    m_name = new QLineEdit(this);
    m_url = new QLineEdit(this);
    m_url->setPlaceholderText(QStringLiteral("http://payments-mock.internal:8080"));
    m_path = new QLineEdit(QStringLiteral("/"), this);
    m_interval = new QSpinBox(this);
    m_interval->setRange(5, 86400);
    m_interval->setValue(60);
    m_interval->setSuffix(tr(" s"));
    m_docker = new QComboBox(this);
    m_docker->addItem(tr("(not run by a container Opsdeck knows)"), qint64(0));
    for (int row = 0; connections && row < connections->rowCount(); ++row) {
        const Connection c = connections->connectionAt(row);
        if (c.kind == ConnectionKind::Docker)
            m_docker->addItem(c.name, c.id);
    }
    m_container = new QLineEdit(this);
    m_container->setPlaceholderText(tr("the container's name"));
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Health check path:"), m_path);
    form->addRow(tr("Check &every:"), m_interval);
    form->addRow(tr("&Docker connection:"), m_docker);
    form->addRow(tr("&Container:"), m_container);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {m_name, m_url, m_path, m_container})
        connect(edit, &QLineEdit::textChanged, this, &MockForm::check);
    connect(m_docker, &QComboBox::currentIndexChanged, this, &MockForm::check);
    check();
}

void MockForm::setMock(const MockServer &mock)
{
    m_id = mock.id;
    m_name->setText(mock.name);
    m_url->setText(mock.url);
    m_path->setText(mock.healthPath);
    m_interval->setValue(mock.intervalSec);
    m_docker->setCurrentIndex(qMax(0, m_docker->findData(mock.dockerConnectionId)));
    m_container->setText(mock.container);
}

MockServer MockForm::mock() const
{
    MockServer m;
    m.id = m_id;
    m.name = m_name->text().trimmed();
    m.url = m_url->text().trimmed();
    m.healthPath = m_path->text().trimmed();
    m.intervalSec = m_interval->value();
    m.dockerConnectionId = m_docker->currentData().toLongLong();
    m.container = m_container->text().trimmed();
    return m;
}

QString MockForm::problem() const
{
    const auto checked = mock().check();
    return checked ? QString() : checked.error().message;
}

void MockForm::check()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(why.isEmpty());
}

MocksDialog::MocksDialog(TestRunsService *service, DockerService *docker, ConnectionsModel *connections,
                         QWidget *parent)
    : ListDialog(tr("Mock Servers"), QStringLiteral("mocksDialog"), parent), m_service(service),
      m_docker(docker), m_connections(connections), m_mocks(new MocksModel(this))
{
    resize(940, 380);
    m_view = addTable(m_mocks, MocksModel::Name, QStringLiteral("mocksView"));
    Pane::setColumnWidths(m_view, {{MocksModel::Name, 16}, {MocksModel::Url, 30}, {MocksModel::State, 10}});
    QPushButton *add = addButton(tr("&Add…"), QStringLiteral("list-add"));
    add->setEnabled(m_service != nullptr);
    m_edit = addButton(tr("&Edit…"));
    m_remove = addButton(tr("&Remove…"), QStringLiteral("list-remove"));
    m_check = addButton(tr("Check &Now"), QStringLiteral("view-refresh"));
    m_restart = addButton(tr("Re&start Container…"), {}, QStringLiteral("restartMockButton"));
    finishLayout({{m_view, 1}});

    connect(add, &QPushButton::clicked, this, &MocksDialog::addMock);
    connect(m_edit, &QPushButton::clicked, this, &MocksDialog::editMock);
    connect(m_remove, &QPushButton::clicked, this, &MocksDialog::removeMock);
    connect(m_check, &QPushButton::clicked, this, &MocksDialog::checkSelected);
    connect(m_restart, &QPushButton::clicked, this, [this] { restartSelected(true); });
    connect(m_view, &QAbstractItemView::doubleClicked, this, &MocksDialog::editMock);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MocksDialog::updateButtons);
    connect(m_mocks, &CacheTableModel::loaded, this, [this] {
        if (selectedMock() == 0 && m_mocks->rowCount() > 0)
            m_view->selectRow(0);
        if (m_mocks->rowCount() == 0)
            m_message->setText(tr("No mock yet: Add… names a mock server and how to ask for its health."));
        updateButtons();
    });
    connect(m_mocks, &CacheTableModel::loadFailed, m_message, &QLabel::setText);
    if (m_service) {
        connect(m_service, &TestRunsService::mockSaved, this,
                [this](quint64 job, bool ok, const QString &message, qint64) {
                    if (job != m_saveJob)
                        return;
                    m_message->setText(message);
                    emit saved(ok, message);
                });
        connect(m_service, &TestRunsService::mockChecked, this,
                [this](qint64 id, bool, const QString &detail) {
                    if (id == selectedMock())
                        m_message->setText(detail);
                });
    }
    if (m_docker)
        connect(m_docker, &DockerService::actionFinished, this,
                [this](quint64 requestId, const QString &, const Outcome &outcome) {
                    if (requestId != m_restartJob)
                        return;
                    m_restartJob = 0;
                    m_message->setText(outcome.message);
                    updateButtons();
                    emit restarted(outcome.ok, outcome.message);
                    checkSelected(); // is it back?
                });
    m_mocks->reload();
    updateButtons();
}

qint64 MocksDialog::selectedMock() const
{
    return selectedKey(m_view);
}

void MocksDialog::updateButtons()
{
    const int row = m_mocks->rowOfKey(selectedMock());
    const bool selected = row >= 0 && m_service;
    m_edit->setEnabled(selected);
    m_remove->setEnabled(selected);
    m_check->setEnabled(selected);
    const bool container = row >= 0 && !m_mocks->mockAt(row).container.isEmpty();
    m_restart->setEnabled(container && m_docker && m_restartJob == 0);
    m_restart->setToolTip(
        container ? tr("Restart the container through its Docker connection (audited).")
                  : tr("Name the mock's container and Docker connection to restart it from here."));
}

void MocksDialog::save(const MockServer &mock)
{
    if (!m_service)
        return;
    m_saveJob = nextRequestId();
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, job = m_saveJob, mock] { service->saveMock(job, mock); });
}

void MocksDialog::addMock()
{
    MockForm form(m_connections, this);
    if (form.exec() == QDialog::Accepted)
        save(form.mock());
}

void MocksDialog::editMock()
{
    const int row = m_mocks->rowOfKey(selectedMock());
    if (row < 0)
        return;
    MockForm form(m_connections, this);
    form.setMock(m_mocks->mockAt(row));
    if (form.exec() == QDialog::Accepted)
        save(form.mock());
}

void MocksDialog::removeMock()
{
    const int row = m_mocks->rowOfKey(selectedMock());
    if (row < 0 || !m_service)
        return;
    const MockServer mock = m_mocks->mockAt(row);
    if (!confirmRemove(tr("Remove %1?").arg(mock.name),
                       tr("Remove the mock %1 and its health history from this desktop?").arg(mock.name),
                       tr("The mock server itself keeps running.")))
        return;
    m_saveJob = nextRequestId();
    QMetaObject::invokeMethod(
        m_service, [service = m_service, job = m_saveJob, id = mock.id] { service->removeMock(job, id); });
}

void MocksDialog::checkSelected()
{
    const qint64 id = selectedMock();
    if (id == 0 || !m_service)
        return;
    m_message->setText(tr("Checking…"));
    QMetaObject::invokeMethod(m_service, [service = m_service, id] { service->checkMock(id); });
}

void MocksDialog::restartSelected(bool ask)
{
    const int row = m_mocks->rowOfKey(selectedMock());
    if (row < 0 || !m_docker || m_restartJob)
        return;
    const MockServer mock = m_mocks->mockAt(row);
    if (mock.container.isEmpty() || mock.dockerConnectionId <= 0)
        return;
    if (ask &&
        QMessageBox::question(this, tr("Restart %1?").arg(mock.name),
                              tr("Restart the container %1 that runs %2? Golden runs against it meanwhile "
                                 "will fail.")
                                  .arg(mock.container, mock.name)) != QMessageBox::Yes)
        return;
    m_restartJob = nextRequestId();
    m_message->setText(tr("Restarting %1…").arg(mock.container));
    updateButtons();
    QMetaObject::invokeMethod(m_docker, [docker = m_docker, job = m_restartJob, mock] {
        docker->act(job, mock.dockerConnectionId, mock.container, ContainerAction::Restart, 10, false, false);
    });
}

} // namespace opsdeck
