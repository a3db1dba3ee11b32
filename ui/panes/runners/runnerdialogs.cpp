#include "ui/panes/runners/runnerdialogs.h"

#include "services/connections/connectionservice.h"
#include "services/github/githubservice.h"
#include "ui/common/requestid.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
QStringList splitLabels(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    return out;
}
} // namespace

NewRunnerDialog::NewRunnerDialog(GitHubService *github, qint64 connectionId, const QList<RunnerScope> &scopes,
                                 const LabelPolicy &policy, QWidget *parent)
    : QDialog(parent), m_github(github), m_connectionId(connectionId), m_policy(policy)
{
    setWindowTitle(tr("New runner"));
    m_scope = new QComboBox(this);
    for (const RunnerScope &scope : scopes)
        m_scope->addItem(scope.isOrg() ? tr("Organization %1").arg(scope.display())
                                       : tr("Repository %1").arg(scope.display()),
                         scope.id());
    m_scope->setEnabled(scopes.size() > 1);
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("ci-linux-x64-042"));
    m_name->setObjectName(QStringLiteral("runnerName"));
    m_group = new QSpinBox(this);
    m_group->setRange(1, 1000000);
    m_labels = new QLineEdit(this);
    m_labels->setPlaceholderText(tr("linux, x64, team-platform"));
    m_labels->setObjectName(QStringLiteral("runnerLabels"));
    m_jit = new QRadioButton(tr("&Just-in-time config (one job, then gone)"), this);
    m_token = new QRadioButton(tr("&Registration token (config.sh)"), this);
    m_jit->setEnabled(policy.allowJit);
    m_token->setEnabled(policy.allowRegistrationToken);
    (policy.allowJit ? m_jit : m_token)->setChecked(true);
    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_result = new QPlainTextEdit(this);
    m_result->setReadOnly(true);
    m_result->hide();
    m_create = new QPushButton(tr("&Create"), this);
    m_create->setDefault(true);
    m_copy = new QPushButton(tr("C&opy"), this);
    m_copy->hide();
    auto *form = new QFormLayout;
    form->addRow(tr("&Register in:"), m_scope);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Runner &group ID:"), m_group);
    form->addRow(tr("&Labels:"), m_labels);
    form->addRow(tr("Mode:"), m_jit);
    form->addRow(QString(), m_token);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_create, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problems);
    layout->addWidget(m_result, 1);
    layout->addWidget(buttons);
    resize(640, 420);
    for (QLineEdit *edit : {m_name, m_labels})
        connect(edit, &QLineEdit::textChanged, this, &NewRunnerDialog::check);
    connect(m_jit, &QRadioButton::toggled, this, &NewRunnerDialog::check);
    connect(m_create, &QPushButton::clicked, this, &NewRunnerDialog::submit);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_result->toPlainText()); });
    connect(m_github, &GitHubService::provisioned, this, &NewRunnerDialog::onProvisioned);
    check();
}

QStringList NewRunnerDialog::labels() const
{
    return splitLabels(m_labels->text());
}

QString NewRunnerDialog::problems() const
{
    return m_problems->text();
}

void NewRunnerDialog::check()
{
    QStringList problems;
    if (!m_name->text().isEmpty())
        if (auto r = validateRunnerName(m_name->text()); !r)
            problems << r.message();
    const ProvisioningMode mode =
        m_jit->isChecked() ? ProvisioningMode::JitConfig : ProvisioningMode::RegistrationToken;
    for (const PolicyViolation &v : checkRequest(m_policy, labels(), mode))
        problems << v.message;
    m_problems->setText(problems.join(QLatin1Char('\n')));
    m_create->setEnabled(problems.isEmpty() && !m_name->text().isEmpty() && m_request == 0);
}

void NewRunnerDialog::submit()
{
    m_request = nextRequestId();
    m_create->setEnabled(false);
    m_problems->setText(tr("Asking GitHub…"));
    const ProvisioningMode mode =
        m_jit->isChecked() ? ProvisioningMode::JitConfig : ProvisioningMode::RegistrationToken;
    QMetaObject::invokeMethod(m_github, [github = m_github, id = m_request, c = m_connectionId,
                                         scope = m_scope->currentData().toString(), name = m_name->text(),
                                         group = qint64(m_group->value()), l = labels(),
                                         mode] { github->provision(id, c, scope, name, group, l, mode); });
}

void NewRunnerDialog::onProvisioned(quint64 requestId, const Outcome &outcome, const QJsonObject &result)
{
    if (requestId != m_request)
        return;
    m_request = 0;
    if (!outcome.ok) {
        m_problems->setText(outcome.message);
        check();
        return;
    }
    QString text;
    if (result.contains(QLatin1String("encoded_jit_config")))
        text = tr("Runner %1 created. Start it with the official runner:\n\n%2\n\nor in a container:\n\n%3\n")
                   .arg(result.value(QLatin1String("runner_id")).toInteger())
                   .arg(result.value(QLatin1String("run_command")).toString(),
                        result.value(QLatin1String("container_command")).toString());
    else
        text = tr("Registration token (expires %1):\n\n%2\n")
                   .arg(result.value(QLatin1String("expires_at")).toString(),
                        result.value(QLatin1String("config_command")).toString());
    m_problems->setText(tr("Shown once: Opsdeck does not keep this secret. Copy it now."));
    m_result->setPlainText(text);
    m_result->show();
    m_copy->show();
    m_create->hide();
}

RemoveRunnersDialog::RemoveRunnersDialog(GitHubService *github, qint64 connectionId,
                                         const QList<QPair<qint64, QString>> &runners, QWidget *parent)
    : QDialog(parent), m_github(github), m_connectionId(connectionId), m_runners(runners)
{
    setWindowTitle(tr("Remove runners"));
    auto *text =
        new QLabel(tr("Remove %n runner(s) from GitHub? Say why; the comment goes into the audit log.",
                      nullptr, int(runners.size())),
                   this);
    text->setWordWrap(true);
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Runners to remove"));
    for (const auto &[id, name] : runners)
        m_list->addItem(QStringLiteral("%1 (%2)").arg(name).arg(id));
    m_comment = new QLineEdit(this);
    m_comment->setPlaceholderText(tr("Comment (required)"));
    m_comment->setAccessibleName(tr("Comment"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, int(runners.size()));
    m_progress->hide();
    m_summary = new QLabel(this);
    m_remove = new QPushButton(tr("&Remove"), this);
    m_remove->setEnabled(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_remove, QDialogButtonBox::DestructiveRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_comment);
    layout->addWidget(m_progress);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(520, 420);
    connect(m_comment, &QLineEdit::textChanged, this,
            [this](const QString &t) { m_remove->setEnabled(!t.trimmed().isEmpty() && m_request == 0); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        m_request = nextRequestId();
        m_remove->setEnabled(false);
        m_comment->setReadOnly(true);
        m_progress->show();
        QList<qint64> ids;
        for (const auto &r : std::as_const(m_runners))
            ids << r.first;
        QMetaObject::invokeMethod(
            m_github, [github = m_github, id = m_request, c = m_connectionId, ids,
                       comment = m_comment->text()] { github->removeRunners(id, c, ids, comment); });
    });
    connect(m_github, &GitHubService::runnerRemoved, this,
            [this](quint64 request, qint64 id, const Outcome &outcome) {
                if (request != m_request)
                    return;
                for (int i = 0; i < m_runners.size(); ++i)
                    if (m_runners.at(i).first == id)
                        m_list->item(i)->setText(
                            QStringLiteral("%1 %2 — %3")
                                .arg(outcome.ok ? QStringLiteral("✔") : QStringLiteral("✘"),
                                     m_runners.at(i).second, outcome.ok ? tr("removed") : outcome.message));
            });
    connect(m_github, &GitHubService::removeProgress, this, [this](quint64 request, int done, int) {
        if (request == m_request)
            m_progress->setValue(done);
    });
    connect(m_github, &GitHubService::removeFinished, this, [this](quint64 request, int removed, int failed) {
        if (request != m_request)
            return;
        m_summary->setText(failed == 0 ? tr("All %1 removed.").arg(removed)
                                       : tr("%1 removed, %2 failed: see the list.").arg(removed).arg(failed));
    });
}

PolicyDialog::PolicyDialog(GitHubService *github, qint64 connectionId, const LabelPolicy &policy,
                           QWidget *parent)
    : QDialog(parent), m_github(github), m_connectionId(connectionId)
{
    setWindowTitle(tr("Label policy"));
    m_allowed = new QPlainTextEdit(this);
    m_allowed->setPlaceholderText(
        tr("One pattern per line: team-* (glob) or re:^gpu-[0-9]+$ (regular expression). "
           "Empty: any custom label."));
    QStringList patterns;
    for (const LabelPattern &p : policy.allowed)
        patterns << (p.kind == LabelPattern::Regex ? QStringLiteral("re:") + p.pattern : p.pattern);
    m_allowed->setPlainText(patterns.join(QLatin1Char('\n')));
    m_required = new QLineEdit(policy.required.join(QStringLiteral(", ")), this);
    m_forbidden = new QLineEdit(policy.forbidden.join(QStringLiteral(", ")), this);
    m_jit = new QCheckBox(tr("Allow just-in-time runners"), this);
    m_jit->setChecked(policy.allowJit);
    m_token = new QCheckBox(tr("Allow registration tokens"), this);
    m_token->setChecked(policy.allowRegistrationToken);
    m_ephemeral = new QCheckBox(tr("Require ephemeral runners"), this);
    m_ephemeral->setChecked(policy.requireEphemeral);
    m_busy = new QCheckBox(tr("Also delete busy drifted runners"), this);
    m_busy->setChecked(policy.deleteBusyDrifted);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Allowed custom &labels:"), m_allowed);
    form->addRow(tr("&Required labels:"), m_required);
    form->addRow(tr("&Forbidden labels:"), m_forbidden);
    form->addRow(QString(), m_jit);
    form->addRow(QString(), m_token);
    form->addRow(QString(), m_ephemeral);
    form->addRow(QString(), m_busy);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_allowed, &QPlainTextEdit::textChanged, this, [this] {
        const auto p = policyFromForm();
        m_message->setText(p ? QString() : p.message()); // patterns are validated as they are typed
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const auto p = policyFromForm();
        if (!p)
            return m_message->setText(p.message());
        m_request = nextRequestId();
        QMetaObject::invokeMethod(m_github, [github = m_github, id = m_request, c = m_connectionId,
                                             policy = p.value()] { github->savePolicy(id, c, policy); });
    });
    connect(m_github, &GitHubService::policySaved, this, [this](quint64 request, const Outcome &outcome) {
        if (request != m_request)
            return;
        if (outcome.ok)
            accept();
        else
            m_message->setText(outcome.message);
    });
}

Result<LabelPolicy> PolicyDialog::policyFromForm() const
{
    LabelPolicy p;
    for (const QString &line : m_allowed->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty())
            p.allowed << parseLabelPattern(line);
    p.required = splitLabels(m_required->text());
    p.forbidden = splitLabels(m_forbidden->text());
    p.allowJit = m_jit->isChecked();
    p.allowRegistrationToken = m_token->isChecked();
    p.requireEphemeral = m_ephemeral->isChecked();
    p.deleteBusyDrifted = m_busy->isChecked();
    if (auto r = validatePolicy(p); !r)
        return r.error();
    return p;
}

void showDriftPlan(const QList<DriftItem> &plan, QWidget *parent)
{
    if (plan.isEmpty()) {
        QMessageBox::information(parent, QObject::tr("Drift"),
                                 QObject::tr("No runner has drifted: the next sync deletes nothing."));
        return;
    }
    QString html = QObject::tr("<p>The next sync would act on %n drifted runner(s):</p><table cellspacing=4>",
                               nullptr, int(plan.size()));
    for (const DriftItem &item : plan)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td><td>%3</td></tr>")
                    .arg(item.name.toHtmlEscaped(),
                         item.willDelete ? QObject::tr("delete") : QObject::tr("keep (busy)"),
                         item.drift.describe().toHtmlEscaped());
    html += QStringLiteral("</table>");
    QMessageBox box(parent);
    box.setWindowTitle(QObject::tr("Drift dry run"));
    box.setTextFormat(Qt::RichText);
    box.setText(html);
    box.exec();
}

} // namespace opsdeck
