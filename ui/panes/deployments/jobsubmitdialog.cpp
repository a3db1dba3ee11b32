#include "ui/panes/deployments/jobsubmitdialog.h"

#include "services/deploy/deployservice.h"
#include "ui/common/requestid.h"

#include <QLabel>
#include <QPushButton>

namespace opsdeck {

JobSubmitDialog::JobSubmitDialog(DeployService *service, QWidget *parent)
    : QDialog(parent), m_service(service)
{
    if (!m_service)
        return;
    connect(m_service, &DeployService::jobStarted, this, [this](quint64 requestId, qint64 jobId) {
        if (requestId != m_request || !m_request)
            return;
        m_request = 0;
        emit jobStarted(jobId);
        accept();
    });
    connect(m_service, &DeployService::refused, this, [this](quint64 requestId, const Outcome &outcome) {
        if (requestId != m_request || !m_request)
            return;
        m_request = 0;
        if (m_submit)
            m_submit->setEnabled(true);
        if (m_problemsLabel)
            m_problemsLabel->setText(outcome.message);
    });
}

void JobSubmitDialog::setSubmitWidgets(QPushButton *submit, QLabel *problems)
{
    m_submit = submit;
    m_problemsLabel = problems;
}

void JobSubmitDialog::submitJob(std::function<void(DeployService *, quint64)> send)
{
    if (!m_service || m_request)
        return;
    m_request = nextRequestId();
    if (m_submit)
        m_submit->setEnabled(false);
    if (m_problemsLabel)
        m_problemsLabel->setText(tr("Starting the job…"));
    QMetaObject::invokeMethod(
        m_service, [service = m_service, id = m_request, send = std::move(send)] { send(service, id); });
}

} // namespace opsdeck
