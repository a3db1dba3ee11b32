// The Users pane's grant dialogs. GrantDialog gives the selected person, or everyone with their
// role, an allow or a deny of an action on a scope; RevokeGrantDialog takes a grant back, with the
// reason the audit log keeps. Both check as you type (models/workspace/grantchange.h): what is
// valid, and whether the person acting here may make the change ("nobody grants what they do not
// hold"), and keep OK disabled with the reason shown until it is. The store has the last word.
#pragma once

#include "models/workspace/grantchange.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace opsdeck {

// Who acts on this desktop and every grant, as the copy has them (none: this desktop's own
// workspace, whose one admin may do everything), for the dialogs' checks.
struct GrantContext
{
    std::optional<WorkspacePerson> actor;
    QList<WorkspaceGrant> grants;
};

class GrantDialog : public QDialog
{
    Q_OBJECT
public:
    // person: whom the grant is for (or their role: role).
    GrantDialog(const WorkspacePerson &person, GrantContext context, QWidget *parent = nullptr);
    GrantChange change() const;

    QComboBox *subjectCombo() const { return m_subject; }
    QComboBox *actionCombo() const { return m_action; }
    QLineEdit *scopeEdit() const { return m_scope; }
    QComboBox *effectCombo() const { return m_effect; }
    QLineEdit *commentEdit() const { return m_comment; }
    bool canAccept() const;
    QString problem() const;

private:
    void check();
    WorkspacePerson m_person;
    GrantContext m_context;
    QComboBox *m_subject;
    QComboBox *m_action;
    QLineEdit *m_scope;
    QComboBox *m_effect;
    QLineEdit *m_comment;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

class RevokeGrantDialog : public QDialog
{
    Q_OBJECT
public:
    // subjectRole: the role of whom the grant is for (the role itself for a role's grant).
    RevokeGrantDialog(const WorkspaceGrant &grant, const QString &subjectRole, GrantContext context,
                      QWidget *parent = nullptr);
    GrantChange change() const;

    QPlainTextEdit *commentEdit() const { return m_comment; }
    bool canAccept() const;
    QString problem() const;

private:
    void check();
    WorkspaceGrant m_grant;
    QString m_subjectRole;
    GrantContext m_context;
    QPlainTextEdit *m_comment;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace opsdeck
