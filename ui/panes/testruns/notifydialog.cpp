#include "ui/panes/testruns/notifydialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
QComboBox *whenCombo(NotifyWhen current, QWidget *parent)
{
    auto *c = new QComboBox(parent);
    for (NotifyWhen w : {NotifyWhen::Off, NotifyWhen::FailedRun, NotifyWhen::NewFailures})
        c->addItem(notifyWhenText(w), int(w));
    c->setCurrentIndex(c->findData(int(current)));
    return c;
}
} // namespace

NotifyDialog::NotifyDialog(const QString &source, const NotifySettings &current, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Notifications for %1").arg(source));
    auto *slackBox = new QGroupBox(tr("Slack"), this);
    m_slackWhen = whenCombo(current.slack, slackBox);
    m_slackWhen->setObjectName(QStringLiteral("slackWhen"));
    m_slackUrl = new QLineEdit(slackBox);
    m_slackUrl->setObjectName(QStringLiteral("slackUrl"));
    m_slackUrl->setEchoMode(QLineEdit::Password);
    m_slackUrl->setPlaceholderText(tr("kept in your keychain; enter a new one to replace it"));
    auto *slackForm = new QFormLayout(slackBox);
    slackForm->addRow(tr("&Post:"), m_slackWhen);
    slackForm->addRow(tr("Incoming &webhook:"), m_slackUrl);

    auto *jiraBox = new QGroupBox(tr("Jira"), this);
    m_jiraWhen = whenCombo(current.jira, jiraBox);
    m_jiraWhen->setObjectName(QStringLiteral("jiraWhen"));
    m_jiraSite = new QLineEdit(current.jiraSite, jiraBox);
    m_jiraSite->setPlaceholderText(QStringLiteral("https://your-domain.atlassian.net"));
    m_jiraAccount = new QLineEdit(current.jiraAccount, jiraBox);
    m_jiraAccount->setPlaceholderText(tr("the e-mail address of the API token's account"));
    m_jiraToken = new QLineEdit(jiraBox);
    m_jiraToken->setEchoMode(QLineEdit::Password);
    m_jiraToken->setPlaceholderText(tr("kept in your keychain; enter a new one to replace it"));
    m_jiraProject = new QLineEdit(current.jiraProject, jiraBox);
    m_jiraProject->setPlaceholderText(QStringLiteral("OPS"));
    m_jiraType = new QLineEdit(current.jiraIssueType, jiraBox);
    auto *jiraForm = new QFormLayout(jiraBox);
    jiraForm->addRow(tr("C&reate an issue:"), m_jiraWhen);
    jiraForm->addRow(tr("&Site:"), m_jiraSite);
    jiraForm->addRow(tr("&Account:"), m_jiraAccount);
    jiraForm->addRow(tr("API &token:"), m_jiraToken);
    jiraForm->addRow(tr("Pro&ject key:"), m_jiraProject);
    jiraForm->addRow(tr("Issue t&ype:"), m_jiraType);

    auto *note = new QLabel(
        tr("A notifier that fails never fails the import: the failure is shown, logged and kept in "
           "the audit log."),
        this);
    note->setWordWrap(true);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(slackBox);
    layout->addWidget(jiraBox);
    layout->addWidget(note);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QComboBox *c : {m_slackWhen, m_jiraWhen})
        connect(c, &QComboBox::currentIndexChanged, this, &NotifyDialog::check);
    for (QLineEdit *e : {m_slackUrl, m_jiraSite, m_jiraAccount, m_jiraToken, m_jiraProject, m_jiraType})
        connect(e, &QLineEdit::textChanged, this, &NotifyDialog::check);
    check();
    resize(560, sizeHint().height());
}

NotifySettings NotifyDialog::settings() const
{
    NotifySettings s;
    s.slack = NotifyWhen(m_slackWhen->currentData().toInt());
    s.jira = NotifyWhen(m_jiraWhen->currentData().toInt());
    s.jiraSite = m_jiraSite->text();
    s.jiraAccount = m_jiraAccount->text();
    s.jiraProject = m_jiraProject->text();
    s.jiraIssueType = m_jiraType->text();
    return s;
}

QString NotifyDialog::slackWebhook() const
{
    return m_slackUrl->text().trimmed();
}

QString NotifyDialog::jiraToken() const
{
    return m_jiraToken->text().trimmed();
}

QString NotifyDialog::problem() const
{
    return m_problem->text();
}

void NotifyDialog::check()
{
    QString problem;
    if (const auto checked = checkNotifySettings(settings()); !checked)
        problem = checked.message();
    else if (!slackWebhook().isEmpty())
        if (const auto url = checkSlackWebhook(slackWebhook()); !url)
            problem = url.message();
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(problem.isEmpty());
}

} // namespace opsdeck
