// Deploy with compose: from a GitHub template repository (a new repository, its name sanitised as
// it is typed) or from a local directory with a compose file, to a Docker host, optionally routed
// through a tunnel. The compose file can be any file of the repository. For a directory, the dialog
// reads its compose project (on the deploy service's thread) and offers the services and ports a
// route can point to, the one that serves HTTP proposed; a port without a fixed host port cannot be
// chosen, and the dialog says how to fix the file. For a template, the file is read after the clone:
// the route goes to the proposal, or to the service:port typed. The job does the work and shows in
// the Jobs list.
#pragma once

#include "services/deploy/deployservice.h"
#include "ui/panes/deployments/jobsubmitdialog.h"

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTimer;

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
    QComboBox *composeFileCombo() const { return m_composeFile; }
    QComboBox *routeCombo() const { return m_route; }
    QComboBox *tunnelCombo() const { return m_tunnel; }
    QLabel *composeInfo() const { return m_composeInfo; }

private:
    void check();
    void submit();
    void inspect();
    void inspected(quint64 requestId, const ComposeInspection &inspection);

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
    QComboBox *m_composeFile;
    QComboBox *m_route;
    QLabel *m_composeInfo;
    QTimer *m_inspectLater;
    quint64 m_inspectRequest = 0;
    std::optional<ComposeInspection> m_inspection;
    QLabel *m_problems;
    QPushButton *m_deploy;
};

} // namespace opsdeck
