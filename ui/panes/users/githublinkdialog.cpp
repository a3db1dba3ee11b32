#include "ui/panes/users/githublinkdialog.h"

#include "models/store/database.h"
#include "models/workspace/personchange.h"
#include "services/github/githubservice.h"
#include "services/workspace/workspaceservice.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSqlQuery>
#include <QVBoxLayout>

namespace opsdeck {

GitHubLinkDialog::GitHubLinkDialog(const QString &login, GitHubService *github, WorkspaceService *workspace,
                                   QWidget *parent)
    : QDialog(parent), m_login(login), m_github(github), m_workspace(workspace)
{
    setWindowTitle(tr("Link Your GitHub Login"));
    auto *intro =
        new QLabel(tr("GitHub shows who you are to this Opsdeck through its device flow: you enter a "
                      "code at GitHub, and your GitHub login is linked to %1 in the workspace.")
                       .arg(login),
                   this);
    intro->setWordWrap(true);
    m_connection = new QComboBox(this);
    // The GitHub connections whose OAuth app allows it: one small read.
    QSqlQuery q(Database::connection());
    if (q.exec(QStringLiteral(
            "SELECT id, name, options_json FROM connections WHERE kind = 'github' ORDER BY name")))
        while (q.next())
            if (!QJsonDocument::fromJson(q.value(2).toByteArray())
                     .object()
                     .value(QLatin1String("oauth_client_id"))
                     .toString()
                     .isEmpty())
                m_connection->addItem(q.value(1).toString(), q.value(0).toLongLong());
    m_code = new QLabel(this);
    QFont big = m_code->font();
    big.setPointSizeF(big.pointSizeF() * 2);
    big.setBold(true);
    m_code->setFont(big);
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_link = new QLabel(this);
    m_link->setOpenExternalLinks(true);
    m_link->setTextFormat(Qt::RichText);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Through:"), m_connection);
    form->addRow(tr("Code:"), m_code);
    form->addRow(tr("Enter it at:"), m_link);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_start = buttons->addButton(tr("&Get a Code"), QDialogButtonBox::ActionRole);
    connect(m_start, &QPushButton::clicked, this, &GitHubLinkDialog::start);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    if (m_connection->count() == 0) {
        m_start->setEnabled(false);
        setStatus(
            tr("No GitHub connection has an OAuth client ID: add one (an OAuth app with the device flow "
               "enabled) in File › Connections…."));
    }
    if (!m_github || !m_workspace)
        m_start->setEnabled(false);

    if (m_github) {
        connect(
            m_github, &GitHubService::deviceCode, this,
            [this](quint64 request, const QString &userCode, const QUrl &uri, int expiresIn) {
                if (request != m_request)
                    return;
                m_code->setText(userCode);
                m_link->setText(QStringLiteral("<a href=\"%1\">%1</a>").arg(uri.toString().toHtmlEscaped()));
                setStatus(tr("Waiting for you to enter the code at GitHub (it is valid for %n minute(s))…",
                             nullptr, qMax(1, expiresIn / 60)));
            });
        connect(m_github, &GitHubService::identityLinked, this,
                [this](quint64 request, const Outcome &outcome, const QString &githubLogin) {
                    if (request != m_request)
                        return;
                    m_request = 0;
                    if (!outcome.ok) {
                        setStatus(outcome.message);
                        m_start->setEnabled(true);
                        emit linkFinished(false);
                        return;
                    }
                    PersonChange c;
                    c.kind = PersonChange::Kind::LinkGitHub;
                    c.login = m_login;
                    c.githubLogin = githubLogin;
                    static int changes = 0;
                    m_change = QStringLiteral("github-link-%1").arg(++changes);
                    setStatus(tr("GitHub says you are %1; recording it in the workspace…").arg(githubLogin));
                    QMetaObject::invokeMethod(m_workspace, "changePeople", Qt::QueuedConnection,
                                              Q_ARG(QList<opsdeck::PersonChange>, {c}),
                                              Q_ARG(QString, m_change));
                });
    }
    if (m_workspace)
        connect(m_workspace, &WorkspaceService::peopleChanged, this,
                [this](const QString &request, int applied, const QStringList &problems) {
                    if (request != m_change)
                        return;
                    m_change.clear();
                    m_start->setEnabled(true);
                    setStatus(applied == 1 ? tr("Linked: the workspace knows your GitHub login now.")
                                           : problems.value(0));
                    emit linkFinished(applied == 1);
                });
}

GitHubLinkDialog::~GitHubLinkDialog()
{
    if (m_request && m_github)
        QMetaObject::invokeMethod(m_github, "cancelLink", Qt::QueuedConnection, Q_ARG(quint64, m_request));
}

QString GitHubLinkDialog::codeText() const
{
    return m_code->text();
}

QString GitHubLinkDialog::statusText() const
{
    return m_status->text();
}

void GitHubLinkDialog::setStatus(const QString &text)
{
    m_status->setText(text);
}

void GitHubLinkDialog::start()
{
    if (!m_github || m_connection->currentIndex() < 0)
        return;
    static quint64 requests = 0;
    m_request = ++requests;
    m_start->setEnabled(false);
    m_code->clear();
    m_link->clear();
    setStatus(tr("Asking GitHub for a code…"));
    QMetaObject::invokeMethod(m_github, "linkIdentity", Qt::QueuedConnection, Q_ARG(quint64, m_request),
                              Q_ARG(qint64, m_connection->currentData().toLongLong()));
}

} // namespace opsdeck
