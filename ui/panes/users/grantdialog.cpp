#include "ui/panes/users/grantdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
QLabel *problemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

// Valid, and allowed to the person acting here: the first reason it is not, or empty.
QString problemOf(const GrantChange &change, const QString &subjectRole, const GrantContext &context)
{
    if (auto valid = validateGrantChange(change); !valid)
        return valid.message();
    if (context.actor)
        if (auto may = mayChangeGrant(*context.actor, context.grants, subjectRole, change); !may)
            return may.message();
    return {};
}
} // namespace

GrantDialog::GrantDialog(const WorkspacePerson &person, GrantContext context, QWidget *parent)
    : QDialog(parent), m_person(person), m_context(std::move(context))
{
    setWindowTitle(tr("Grant a Permission"));
    m_subject = new QComboBox(this);
    m_subject->addItem(tr("%1 only").arg(person.login), QStringLiteral("person"));
    m_subject->addItem(tr("Everyone with the role %1").arg(person.role), QStringLiteral("role"));
    m_action = new QComboBox(this);
    m_action->setEditable(true);
    m_action->addItems(grantableActions());
    m_action->setToolTip(tr("An action of the audit taxonomy (runner.provision), every action of a "
                            "system (container.*), or * for everything"));
    m_scope = new QLineEdit(this);
    m_scope->setPlaceholderText(tr("* (everywhere), or facets such as connection:gh-prod mode:jit"));
    m_scope->setToolTip(tr("What the action may be done on, as key:value facets separated by spaces; "
                           "'*' in a value matches anything. Facets: %1.")
                            .arg(scopeFacets().join(QStringLiteral(", "))));
    m_effect = new QComboBox(this);
    m_effect->addItem(tr("Allow"), true);
    m_effect->addItem(tr("Deny (wins over any allow)"), false);
    m_comment = new QLineEdit(this);
    m_comment->setPlaceholderText(tr("optional: why, for the audit log"));
    auto *form = new QFormLayout;
    form->addRow(tr("&For:"), m_subject);
    form->addRow(tr("&Action:"), m_action);
    form->addRow(tr("&Scope:"), m_scope);
    form->addRow(tr("&Effect:"), m_effect);
    form->addRow(tr("&Comment:"), m_comment);
    m_problem = problemLabel(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Grant"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_subject, &QComboBox::currentIndexChanged, this, &GrantDialog::check);
    connect(m_action, &QComboBox::currentTextChanged, this, &GrantDialog::check);
    connect(m_scope, &QLineEdit::textChanged, this, &GrantDialog::check);
    connect(m_effect, &QComboBox::currentIndexChanged, this, &GrantDialog::check);
    connect(m_comment, &QLineEdit::textChanged, this, &GrantDialog::check);
    check();
}

GrantChange GrantDialog::change() const
{
    GrantChange c;
    c.grant.subjectKind = m_subject->currentData().toString();
    c.grant.subject = c.grant.subjectKind == QLatin1String("role") ? m_person.role : m_person.login;
    c.grant.action = m_action->currentText().trimmed();
    const QString scope = m_scope->text().simplified();
    c.grant.scope = scope.isEmpty() ? QStringLiteral("*") : scope;
    c.grant.allow = m_effect->currentData().toBool();
    c.comment = m_comment->text().trimmed();
    return c;
}

bool GrantDialog::canAccept() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

QString GrantDialog::problem() const
{
    return m_problem->text();
}

void GrantDialog::check()
{
    const QString problem = problemOf(change(), m_person.role, m_context);
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

RevokeGrantDialog::RevokeGrantDialog(const WorkspaceGrant &grant, const QString &subjectRole,
                                     GrantContext context, QWidget *parent)
    : QDialog(parent), m_grant(grant), m_subjectRole(subjectRole), m_context(std::move(context))
{
    setWindowTitle(tr("Revoke a Grant"));
    auto *label = new QLabel(tr("Revoke %1? Whoever it applies to may no longer rely on it; a deny "
                                "revoked lets the other grants decide again.")
                                 .arg(grant.describe()),
                             this);
    label->setWordWrap(true);
    auto *why = new QLabel(tr("&Why (required; it goes into the audit log):"), this);
    m_comment = new QPlainTextEdit(this);
    m_comment->setTabChangesFocus(true);
    why->setBuddy(m_comment);
    m_problem = problemLabel(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Revoke"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(why);
    layout->addWidget(m_comment);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_comment, &QPlainTextEdit::textChanged, this, &RevokeGrantDialog::check);
    check();
}

GrantChange RevokeGrantDialog::change() const
{
    GrantChange c;
    c.kind = GrantChange::Kind::Revoke;
    c.grant = m_grant;
    c.comment = m_comment->toPlainText().trimmed();
    return c;
}

bool RevokeGrantDialog::canAccept() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

QString RevokeGrantDialog::problem() const
{
    return m_problem->text();
}

void RevokeGrantDialog::check()
{
    // Whether it may be revoked at all comes first, then the reason it needs.
    GrantChange c = change();
    const bool unexplained = c.comment.isEmpty();
    if (unexplained)
        c.comment = QStringLiteral("-");
    QString problem = problemOf(c, m_subjectRole, m_context);
    if (problem.isEmpty() && unexplained)
        problem = tr("Say why: the comment goes into the audit event.");
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace opsdeck
