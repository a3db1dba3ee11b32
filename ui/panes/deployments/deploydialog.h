// Deploy with compose: from a GitHub template repository (a new repository, its name sanitised as
// it is typed) or from a local directory with a compose file, to a Docker host, optionally routed
// through a tunnel. The job does the work and shows in the Jobs list.
#pragma once

#include "services/deploy/deployservice.h"
#include "ui/panes/deployments/jobsubmitdialog.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace opsdeck {

class ConnectionsModel;

class DeployDialog : public JobSubmitDialog
{
    Q_OBJECT
public:
    DeployDialog(ConnectionsModel *connections, DeployService *deploy, QWidget *parent = nullptr);
    Result<RepoDeploySpec> spec() const;
    QString problems() const;
    QLineEdit *templateEdit() const { return m_template; }
    QLineEdit *nameEdit() const { return m_name; }
    QLabel *finalName() const { return m_finalName; }
    QRadioButton *directoryChoice() const { return m_fromDirectory; }
    QLineEdit *directoryEdit() const { return m_directory; }
    QPushButton *deployButton() const { return m_deploy; }

private:
    void check();
    void submit();

    QRadioButton *m_fromTemplate;
    QRadioButton *m_fromDirectory;
    QComboBox *m_github;
    QLineEdit *m_template;
    QLineEdit *m_owner;
    QLineEdit *m_name;
    QLabel *m_finalName;
    QCheckBox *m_private;
    QLineEdit *m_directory;
    QComboBox *m_docker;
    QComboBox *m_tunnel;
    QLineEdit *m_hostname;
    QSpinBox *m_routePort;
    QLabel *m_problems;
    QPushButton *m_deploy;
};

} // namespace opsdeck
