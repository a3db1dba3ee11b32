// Who hears about a source's runs: a Slack incoming webhook and a Jira project, each off, on a
// failed run or on new failures. The webhook address and the Jira API token go to the keychain; a
// field left empty keeps what the keychain holds.
#pragma once

#include "models/testruns/notifications.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace opsdeck {

class NotifyDialog : public QDialog
{
    Q_OBJECT
public:
    NotifyDialog(const QString &source, const NotifySettings &current, QWidget *parent = nullptr);
    NotifySettings settings() const;
    QString slackWebhook() const; // empty: keep the keychain's
    QString jiraToken() const;    // empty: keep the keychain's
    QString problem() const;

private:
    void check();
    QComboBox *m_slackWhen;
    QLineEdit *m_slackUrl;
    QComboBox *m_jiraWhen;
    QLineEdit *m_jiraSite;
    QLineEdit *m_jiraAccount;
    QLineEdit *m_jiraToken;
    QLineEdit *m_jiraProject;
    QLineEdit *m_jiraType;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace opsdeck
