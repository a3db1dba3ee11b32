// The Users pane's dialogs. PersonDialog adds a person or edits one's details; PeopleActionDialog
// changes the role of, deactivates or reactivates the selected people, with a comment that goes
// into each one's audit event (required to deactivate). Both check what is typed as it is typed
// (models/workspace/personchange.h) and keep OK disabled, with the reason shown, until it is valid.
#pragma once

#include "models/workspace/personchange.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace opsdeck {

class PersonDialog : public QDialog
{
    Q_OBJECT
public:
    // existing: the person to edit, or none to add someone. team: a team store, where a new person
    // gets a PostgreSQL login (with a password, or none yet for a client certificate).
    PersonDialog(const std::optional<PersonChange> &existing, bool team, QWidget *parent = nullptr);
    PersonChange change() const;

    QLineEdit *loginEdit() const { return m_login; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *emailEdit() const { return m_email; }
    QLineEdit *githubEdit() const { return m_github; }
    QLineEdit *harborEdit() const { return m_harbor; }
    QLineEdit *litellmEdit() const { return m_litellm; }
    QLineEdit *oidcEdit() const { return m_oidc; }
    QComboBox *roleCombo() const { return m_role; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *repeatEdit() const { return m_repeat; }
    bool canAccept() const;
    QString problem() const;

private:
    void check();
    bool m_adding;
    QLineEdit *m_login;
    QLineEdit *m_name;
    QLineEdit *m_email;
    QLineEdit *m_github;
    QLineEdit *m_harbor;
    QLineEdit *m_litellm;
    QLineEdit *m_oidc;
    QComboBox *m_role = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_repeat = nullptr;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

class PeopleActionDialog : public QDialog
{
    Q_OBJECT
public:
    // kind: SetRole, Deactivate or Reactivate, for the people named by login.
    PeopleActionDialog(PersonChange::Kind kind, const QStringList &logins, QWidget *parent = nullptr);
    QList<PersonChange> changes() const;

    QComboBox *roleCombo() const { return m_role; }
    QPlainTextEdit *commentEdit() const { return m_comment; }
    bool canAccept() const;

private:
    void check();
    PersonChange::Kind m_kind;
    QStringList m_logins;
    QComboBox *m_role = nullptr;
    QPlainTextEdit *m_comment;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace opsdeck
