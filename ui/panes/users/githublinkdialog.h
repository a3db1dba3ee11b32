// Link your GitHub login to the workspace: GitHub's device flow through a GitHub connection with an
// OAuth app (its client ID). The dialog shows the code to enter at GitHub and waits; once GitHub
// says who signed in, the login is recorded as yours in the workspace (audited). The token GitHub
// hands out is used to ask who you are, and never kept.
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QPushButton;

namespace opsdeck {

class GitHubService;
class WorkspaceService;

class GitHubLinkDialog : public QDialog
{
    Q_OBJECT
public:
    // login: the person acting on this desktop, whose GitHub login this links.
    GitHubLinkDialog(const QString &login, GitHubService *github, WorkspaceService *workspace,
                     QWidget *parent = nullptr);
    ~GitHubLinkDialog() override;

    QComboBox *connectionCombo() const { return m_connection; }
    QPushButton *startButton() const { return m_start; }
    QString codeText() const;
    QString statusText() const;

signals:
    void linkFinished(bool linked);

private:
    void start();
    void setStatus(const QString &text);

    QString m_login;
    GitHubService *m_github;
    WorkspaceService *m_workspace;
    QComboBox *m_connection;
    QLabel *m_code;
    QLabel *m_link;
    QLabel *m_status;
    QPushButton *m_start;
    quint64 m_request = 0;
    QString m_change; // the workspace change in flight
};

} // namespace opsdeck
