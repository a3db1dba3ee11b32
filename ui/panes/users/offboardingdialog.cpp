#include "ui/panes/users/offboardingdialog.h"

#include "models/store/database.h"
#include "models/workspace/offboarding.h"
#include "models/workspace/offboardingmodel.h"
#include "services/workspace/offboardingservice.h"
#include "ui/panes/pane.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

OffboardingDialog::OffboardingDialog(const QString &login, OffboardingService *service, QWidget *parent)
    : QDialog(parent), m_login(login), m_service(service), m_model(new OffboardingModel(this))
{
    setWindowTitle(tr("Offboard %1").arg(login));
    resize(820, 460);
    auto *intro =
        new QLabel(tr("Every step, in order. Each one is recorded in the audit log with your comment; a "
                      "step that fails does not stop the others, and can be run again."),
                   this);
    intro->setWordWrap(true);
    m_view = new QTableView(this);
    m_view->setAccessibleName(tr("Offboarding steps"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    Pane::setColumnWidths(m_view, {{OffboardingModel::Step, 46}, {OffboardingModel::State, 10}});
    m_comment = new QPlainTextEdit(this);
    m_comment->setPlaceholderText(tr("Why (required; it goes into every step's audit event)"));
    m_comment->setAccessibleName(tr("Why"));
    m_comment->setTabChangesFocus(true);
    m_comment->setMaximumHeight(m_comment->fontMetrics().lineSpacing() * 4);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_run = buttons->addButton(tr("&Start Offboarding"), QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_run, &QPushButton::clicked, this, &OffboardingDialog::run);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_comment);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_model, &CacheTableModel::loaded, this, &OffboardingDialog::updateState);
    connect(m_comment, &QPlainTextEdit::textChanged, this, &OffboardingDialog::updateState);
    if (m_service) {
        connect(m_service, &OffboardingService::started, this,
                [this](quint64 request, qint64 id, const QString &problem) {
                    if (request != m_request)
                        return;
                    if (id == 0) {
                        m_running = false;
                        m_status->setText(problem);
                        updateState();
                        return;
                    }
                    showRecorded(id);
                });
        connect(m_service, &OffboardingService::finished, this, [this](qint64 id, const QString &state) {
            if (id != m_model->offboarding())
                return;
            m_running = false;
            m_finished = state;
            m_model->reload();
            updateState();
            emit runFinished(state);
        });
    }

    // Where this person's offboarding stands (one row), or the plan for one, which the service
    // makes on its thread: it reads the person's runners and deployments.
    const auto open = OffboardingStore::unfinished(Database::connection(), login);
    if (open && open->has_value()) {
        showRecorded(open->value());
    } else if (m_service) {
        connect(m_service, &OffboardingService::previewed, this,
                [this](quint64 request, const QList<OffboardingStep> &steps, const QString &problem) {
                    if (request != m_request || m_model->offboarding() != 0)
                        return;
                    m_planning = false;
                    m_status->setText(problem);
                    if (problem.isEmpty())
                        m_model->setPreview(steps);
                    updateState();
                });
        m_request = nextRequest();
        m_planning = true;
        m_status->setText(tr("Planning the steps…"));
        QMetaObject::invokeMethod(m_service, "preview", Qt::QueuedConnection, Q_ARG(QString, login),
                                  Q_ARG(quint64, m_request));
    } else {
        m_status->setText(open ? tr("Offboarding needs the services of a running Opsdeck.") : open.message());
    }
    updateState();
}

quint64 OffboardingDialog::nextRequest()
{
    static quint64 requests = 0;
    return ++requests;
}

qint64 OffboardingDialog::offboarding() const
{
    return m_model->offboarding();
}

QString OffboardingDialog::statusText() const
{
    return m_status->text();
}

void OffboardingDialog::showRecorded(qint64 id)
{
    m_model->setOffboarding(id);
    const auto o = OffboardingStore::load(Database::connection(), id);
    if (o) {
        const QSignalBlocker block(m_comment);
        m_comment->setPlainText(o->comment);
    }
    m_comment->setReadOnly(true);
    m_run->setText(tr("&Resume"));
}

void OffboardingDialog::run()
{
    if (!m_service || m_running)
        return;
    m_request = nextRequest();
    m_running = true;
    m_finished.clear();
    if (m_model->offboarding() == 0)
        QMetaObject::invokeMethod(m_service, "start", Qt::QueuedConnection, Q_ARG(QString, m_login),
                                  Q_ARG(QString, m_comment->toPlainText().trimmed()),
                                  Q_ARG(quint64, m_request));
    else
        QMetaObject::invokeMethod(m_service, "resume", Qt::QueuedConnection,
                                  Q_ARG(qint64, m_model->offboarding()), Q_ARG(quint64, m_request));
    updateState();
}

void OffboardingDialog::updateState()
{
    const int total = m_model->rowCount();
    const int finished = m_model->finishedSteps();
    int failed = 0;
    for (int row = 0; row < total; ++row)
        failed +=
            m_model->index(row, 0).data(OffboardingModel::StateRole).toString() == OffboardingState::failed;
    m_progress->setRange(0, qMax(1, total));
    m_progress->setValue(finished);
    const bool recorded = m_model->offboarding() != 0;
    const bool allDone = recorded && total > 0 && finished == total;
    m_run->setEnabled(m_service && !m_running && !m_planning && !allDone &&
                      (recorded || !m_comment->toPlainText().trimmed().isEmpty()));
    if (!m_service)
        m_run->setToolTip(tr("Offboarding needs the services of a running Opsdeck."));
    if (m_running)
        m_status->setText(tr("Running: %1 of %2 steps finished…").arg(finished).arg(total));
    else if (allDone)
        m_status->setText(tr("Done: every step is done or skipped."));
    else if (recorded)
        m_status->setText(
            failed
                ? tr("Not finished: %n step(s) failed. Resume runs again what is not done.", nullptr, failed)
                : tr("Not finished: %1 of %2 steps done. Resume runs the rest.").arg(finished).arg(total));
    else if (total > 0 && m_status->text().isEmpty())
        m_status->setText(tr("%n step(s) to run; the skipped ones say why.", nullptr, total - finished));
}

} // namespace opsdeck
