#include "ui/panes/users/persondialog.h"

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
QComboBox *roleChooser(QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->addItem(PersonDialog::tr("User: provisions just-in-time runners, removes their own"),
                   QStringLiteral("user"));
    combo->addItem(PersonDialog::tr("Admin: everything but managing superusers"), QStringLiteral("admin"));
    combo->addItem(PersonDialog::tr("Superuser: everything (two at most)"), QStringLiteral("superuser"));
    return combo;
}

QLabel *problemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}
} // namespace

PersonDialog::PersonDialog(const std::optional<PersonChange> &existing, bool team, QWidget *parent)
    : QDialog(parent), m_adding(!existing)
{
    setWindowTitle(m_adding ? tr("Add a Person") : tr("Edit %1").arg(existing->login));
    m_login = new QLineEdit(this);
    m_login->setPlaceholderText(tr("lower-case, e.g. ada_lovelace"));
    m_name = new QLineEdit(this);
    m_email = new QLineEdit(this);
    m_email->setPlaceholderText(tr("name@example.com"));
    m_github = new QLineEdit(this);
    m_harbor = new QLineEdit(this);
    m_harbor->setPlaceholderText(tr("their Harbor user name, if they have one"));
    m_litellm = new QLineEdit(this);
    m_litellm->setPlaceholderText(tr("their LiteLLM user id, if they have one"));
    m_oidc = new QLineEdit(this);
    m_oidc->setPlaceholderText(tr("the subject (sub) your identity provider gives them, if any"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Login:"), m_login);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Email:"), m_email);
    form->addRow(tr("&GitHub login:"), m_github);
    form->addRow(tr("&Harbor user:"), m_harbor);
    form->addRow(tr("&LiteLLM user ID:"), m_litellm);
    form->addRow(tr("&OIDC subject:"), m_oidc);
    if (m_adding) {
        m_role = roleChooser(this);
        form->addRow(tr("&Role:"), m_role);
        if (team) {
            m_password = new QLineEdit(this);
            m_password->setEchoMode(QLineEdit::Password);
            m_password->setPlaceholderText(tr("optional: none for a client certificate"));
            m_repeat = new QLineEdit(this);
            m_repeat->setEchoMode(QLineEdit::Password);
            form->addRow(tr("&Password:"), m_password);
            form->addRow(tr("Re&peat:"), m_repeat);
        }
    } else {
        m_login->setText(existing->login);
        m_login->setReadOnly(true);
        m_name->setText(existing->displayName);
        m_email->setText(existing->email);
        m_github->setText(existing->githubLogin);
        m_harbor->setText(existing->harborUser);
        m_litellm->setText(existing->litellmUser);
        m_oidc->setText(existing->oidcSubject);
    }
    m_problem = problemLabel(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(m_adding ? tr("&Add") : tr("&Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    for (QLineEdit *edit :
         {m_login, m_name, m_email, m_github, m_harbor, m_litellm, m_oidc, m_password, m_repeat})
        if (edit)
            connect(edit, &QLineEdit::textChanged, this, &PersonDialog::check);
    check();
}

PersonChange PersonDialog::change() const
{
    PersonChange c;
    c.kind = m_adding ? PersonChange::Kind::Add : PersonChange::Kind::Edit;
    c.login = m_login->text().trimmed();
    c.displayName = m_name->text().trimmed();
    c.email = m_email->text().trimmed();
    c.githubLogin = m_github->text().trimmed();
    c.harborUser = m_harbor->text().trimmed();
    c.litellmUser = m_litellm->text().trimmed();
    c.oidcSubject = m_oidc->text().trimmed();
    if (m_role)
        c.role = m_role->currentData().toString();
    if (m_password)
        c.password = m_password->text();
    return c;
}

QString PersonDialog::problem() const
{
    return m_problem->text();
}

bool PersonDialog::canAccept() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

void PersonDialog::check()
{
    QString problem;
    if (m_adding && m_login->text().isEmpty())
        problem = tr("A login names the person in the workspace and in PostgreSQL.");
    else if (auto valid = validatePersonChange(change()); !valid)
        problem = valid.message();
    else if (m_password && m_password->text() != m_repeat->text())
        problem = tr("The two passwords differ.");
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

PeopleActionDialog::PeopleActionDialog(PersonChange::Kind kind, const QStringList &logins, QWidget *parent)
    : QDialog(parent), m_kind(kind), m_logins(logins)
{
    const QString names = logins.size() <= 8 ? logins.join(QStringLiteral(", "))
                                             : tr("%1 and %n more", nullptr, int(logins.size()) - 8)
                                                   .arg(logins.mid(0, 8).join(QStringLiteral(", ")));
    QString title, text, ok;
    switch (kind) {
    case PersonChange::Kind::SetRole:
        title = tr("Change the Role");
        text = tr("The new role of %1:").arg(names);
        ok = tr("&Change Role");
        break;
    case PersonChange::Kind::Deactivate:
        title = tr("Deactivate People");
        text = tr("Deactivate %n person(s): %1. They can no longer sign in to the workspace, and every "
                  "action in their name is refused. Each one is recorded in the audit log with your "
                  "comment.",
                  nullptr, int(logins.size()))
                   .arg(names);
        ok = tr("&Deactivate");
        break;
    default:
        title = tr("Reactivate People");
        text = tr("Reactivate %n person(s): %1.", nullptr, int(logins.size())).arg(names);
        ok = tr("&Reactivate");
        break;
    }
    setWindowTitle(title);
    auto *label = new QLabel(text, this);
    label->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    if (kind == PersonChange::Kind::SetRole) {
        m_role = roleChooser(this);
        layout->addWidget(m_role);
    }
    layout->addWidget(new QLabel(kind == PersonChange::Kind::Deactivate
                                     ? tr("&Why (required; it goes into the audit log):")
                                     : tr("&Comment for the audit log (optional):"),
                                 this));
    m_comment = new QPlainTextEdit(this);
    m_comment->setTabChangesFocus(true);
    static_cast<QLabel *>(layout->itemAt(layout->count() - 1)->widget())->setBuddy(m_comment);
    layout->addWidget(m_comment);
    m_problem = problemLabel(this);
    layout->addWidget(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(ok);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_comment, &QPlainTextEdit::textChanged, this, &PeopleActionDialog::check);
    check();
}

QList<PersonChange> PeopleActionDialog::changes() const
{
    QList<PersonChange> out;
    for (const QString &login : m_logins) {
        PersonChange c;
        c.kind = m_kind;
        c.login = login;
        c.role = m_role ? m_role->currentData().toString() : QString();
        c.comment = m_comment->toPlainText().trimmed();
        out << c;
    }
    return out;
}

bool PeopleActionDialog::canAccept() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

void PeopleActionDialog::check()
{
    QString problem;
    if (m_logins.isEmpty())
        problem = tr("Select the people first.");
    else if (auto valid = validatePersonChange(changes().constFirst()); !valid)
        problem = m_kind == PersonChange::Kind::Deactivate && m_comment->toPlainText().trimmed().isEmpty()
                      ? tr("Say why: the comment goes into each person's audit event.")
                      : valid.message();
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace opsdeck
