// The Runners pane's dialogs: new runner (policy checked as you type, the secret shown once),
// remove runners (mandatory comment, progress, a result per runner), the label policy editor,
// and the drift dry run.
#pragma once

#include "models/github/labelpolicy.h"
#include "models/github/runnerpolicystore.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace opsdeck {

class GitHubService;
struct Outcome;

class NewRunnerDialog : public QDialog
{
    Q_OBJECT
public:
    NewRunnerDialog(GitHubService *github, qint64 connectionId, const QList<RunnerScope> &scopes,
                    const LabelPolicy &policy, QWidget *parent = nullptr);
    QStringList labels() const;
    QComboBox *scopeCombo() const { return m_scope; }
    QString problems() const;

private:
    void check();
    void submit();
    void onProvisioned(quint64 requestId, const opsdeck::Outcome &outcome, const QJsonObject &result);

    GitHubService *m_github;
    qint64 m_connectionId;
    LabelPolicy m_policy;
    quint64 m_request = 0;
    QComboBox *m_scope;
    QLineEdit *m_name;
    QSpinBox *m_group;
    QLineEdit *m_labels;
    QRadioButton *m_jit;
    QRadioButton *m_token;
    QLabel *m_problems;
    QPlainTextEdit *m_result;
    QPushButton *m_create;
    QPushButton *m_copy;
};

class RemoveRunnersDialog : public QDialog
{
    Q_OBJECT
public:
    RemoveRunnersDialog(GitHubService *github, qint64 connectionId,
                        const QList<QPair<qint64, QString>> &runners, QWidget *parent = nullptr);

private:
    GitHubService *m_github;
    qint64 m_connectionId;
    QList<QPair<qint64, QString>> m_runners;
    quint64 m_request = 0;
    QLineEdit *m_comment;
    QListWidget *m_list;
    QProgressBar *m_progress;
    QPushButton *m_remove;
    QLabel *m_summary;
};

class PolicyDialog : public QDialog
{
    Q_OBJECT
public:
    PolicyDialog(GitHubService *github, qint64 connectionId, const LabelPolicy &policy,
                 QWidget *parent = nullptr);
    Result<LabelPolicy> policyFromForm() const;

private:
    GitHubService *m_github;
    qint64 m_connectionId;
    quint64 m_request = 0;
    QPlainTextEdit *m_allowed;
    QLineEdit *m_required;
    QLineEdit *m_forbidden;
    QCheckBox *m_jit;
    QCheckBox *m_token;
    QCheckBox *m_ephemeral;
    QCheckBox *m_busy;
    QLabel *m_message;
};

// The drift dry run: what the next sync would delete or keep.
void showDriftPlan(const QList<DriftItem> &plan, QWidget *parent);

} // namespace opsdeck
