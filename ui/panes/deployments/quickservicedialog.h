// Quick service: a container from an image reference in one step. The reference, name, ports,
// environment and labels are checked as they are typed; the job does the rest (pull with
// progress, create, start) and shows in the Deployments pane's Jobs list.
#pragma once

#include "services/deploy/deployservice.h"
#include "ui/panes/deployments/jobsubmitdialog.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace opsdeck {

class ConnectionsModel;

class QuickServiceDialog : public JobSubmitDialog
{
    Q_OBJECT
public:
    QuickServiceDialog(ConnectionsModel *connections, DeployService *deploy, qint64 connectionId,
                       QWidget *parent = nullptr);

    // The spec as the form describes it, or the first problem with it.
    Result<QuickServiceSpec> spec() const;
    QString problems() const;
    QLineEdit *imageEdit() const { return m_image; }
    QLineEdit *nameEdit() const { return m_name; }
    QSpinBox *containerPortSpin() const { return m_containerPort; }
    QCheckBox *autoPortBox() const { return m_autoPort; }
    QSpinBox *hostPortSpin() const { return m_hostPort; }
    QPlainTextEdit *envEdit() const { return m_env; }
    QPushButton *deployButton() const { return m_deploy; }
    void setSpec(const QuickServiceSpec &spec); // Redeploy with changes

private:
    void check();
    void submit();

    QComboBox *m_host;
    QLineEdit *m_image;
    QLineEdit *m_name;
    QSpinBox *m_containerPort;
    QCheckBox *m_autoPort;
    QSpinBox *m_hostPort;
    QLineEdit *m_command;
    QPlainTextEdit *m_env;
    QPlainTextEdit *m_labels;
    QComboBox *m_restart;
    QComboBox *m_tunnel;
    QLineEdit *m_hostname;
    QLabel *m_problems;
    QPushButton *m_deploy;
};

} // namespace opsdeck
