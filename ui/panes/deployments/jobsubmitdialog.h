// What the dialogs that start a deploy job (Quick service, Deploy) share: one request to
// DeployService at a time; the dialog closes when the job has started (jobStarted) and stays open
// with the reason when the service refuses, so the admin can fix the form and try again.
#pragma once

#include <QDialog>

#include <functional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace opsdeck {

class DeployService;

class JobSubmitDialog : public QDialog
{
    Q_OBJECT
public:
    JobSubmitDialog(DeployService *service, QWidget *parent);

    // The image policy's part of the form: the workspace project whose allowlist entries apply, and
    // (shown once the policy refused the deploy) why to deploy anyway, which needs image.override.
    QComboBox *imageProjectCombo() const { return m_imageProject; }
    QLineEdit *overrideEdit() const { return m_override; }
    QString imageProject() const;
    QString overrideComment() const;

signals:
    void jobStarted(qint64 jobId);

protected:
    // Lays the dialog out (the form, the problems label under it, Cancel and the submit button)
    // and remembers the submit button and the problems label; call once the form is built.
    void setSubmitWidgets(QFormLayout *form, QPushButton *submit, QLabel *problems);
    // Sends the request on the service's thread: send(service, requestId). The submit button stays
    // disabled until the job starts or is refused.
    void submitJob(std::function<void(DeployService *, quint64)> send);
    // Adds the project choice (Global and the workspace's projects, from the cache) and the hidden
    // override row to form.
    void addImagePolicyRows(QFormLayout *form);
    // A request is on its way: the submit button must stay disabled.
    bool waiting() const { return m_request != 0; }

    DeployService *m_service;

private:
    quint64 m_request = 0;
    QPushButton *m_submit = nullptr;
    QLabel *m_problemsLabel = nullptr;
    QComboBox *m_imageProject = nullptr;
    QLineEdit *m_override = nullptr;
    QLabel *m_overrideLabel = nullptr;
};

} // namespace opsdeck
