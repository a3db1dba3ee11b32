#include "ui/panes/testruns/signingkeydialog.h"

#include "models/testruns/runrecord.h"
#include "models/testruns/teamrecords.h"
#include "services/testruns/testrunsservice.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
quint64 nextJob()
{
    static quint64 job = 0x5e000000;
    return ++job;
}

// The key a teammate pasted: base64 of runSigningKeyBytes bytes or more (spaces and line breaks ignored).
QByteArray decodeKey(const QString &text)
{
    QString compact = text;
    compact.remove(QLatin1Char(' '))
        .remove(QLatin1Char('\n'))
        .remove(QLatin1Char('\r'))
        .remove(QLatin1Char('\t'));
    const auto decoded =
        QByteArray::fromBase64Encoding(compact.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? decoded.decoded : QByteArray();
}
} // namespace

SigningKeyDialog::SigningKeyDialog(TestRunsService *service, QWidget *parent)
    : QDialog(parent), m_service(service)
{
    setWindowTitle(tr("Run-Signing Key"));
    setMinimumWidth(fontMetrics().averageCharWidth() * 70); // the explanation reads in a few lines
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("Every run imported here is signed with a key kept in your keychain. Teammates "
                      "who use the same key check each other's runs; a run signed with a key this "
                      "desktop does not hold shows \"another key\"."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *mine = new QGroupBox(tr("This desktop"), this);
    auto *mineLayout = new QVBoxLayout(mine);
    m_keyLabel = new QLabel(tr("Reading the key…"), mine);
    m_keyLabel->setObjectName(QStringLiteral("signingKeyId"));
    m_keyLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mineLayout->addWidget(m_keyLabel);
    m_copy = new QPushButton(tr("&Copy Key for a Teammate…"), mine);
    m_copy->setEnabled(false);
    m_copy->setToolTip(
        tr("Puts the key on the clipboard for a minute, to pass on through a password manager."));
    mineLayout->addWidget(m_copy, 0, Qt::AlignLeft);
    layout->addWidget(mine);

    auto *team = new QGroupBox(tr("The team's key"), this);
    auto *form = new QFormLayout(team);
    m_teamKey = new QLineEdit(team);
    m_teamKey->setEchoMode(QLineEdit::Password);
    m_teamKey->setPlaceholderText(tr("Paste the key a teammate copied (base64)"));
    m_teamKey->setAccessibleName(tr("Team key"));
    form->addRow(tr("&Key:"), m_teamKey);
    m_teamKeyId = new QLabel(team);
    form->addRow(QString(), m_teamKeyId);
    m_use = new QPushButton(tr("&Use This Key"), team);
    m_use->setEnabled(false);
    form->addRow(QString(), m_use);
    layout->addWidget(team);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("signingKeyMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_copy, &QPushButton::clicked, this, [this] { copyKey(); });
    connect(m_use, &QPushButton::clicked, this, [this] { useTeamKey(); });
    connect(m_teamKey, &QLineEdit::textChanged, this, &SigningKeyDialog::checkTeamKey);
    checkTeamKey();
    if (!m_service) {
        m_keyLabel->setText(tr("The test-runs service is not running."));
        return;
    }
    connect(m_service, &TestRunsService::signingKeyRead, this,
            [this](quint64 job, const QByteArray &key, const QString &keyId, const QString &message) {
                if (job != m_job)
                    return;
                m_key = key;
                m_keyId = keyId;
                m_keyLabel->setText(key.isEmpty() ? message
                                                  : tr("Runs are signed with key <b>%1</b>.").arg(keyId));
                m_copy->setEnabled(!key.isEmpty());
                checkTeamKey();
            });
    connect(m_service, &TestRunsService::signingKeyChanged, this,
            [this](quint64 job, bool ok, const QString &message, const QString &) {
                if (job != m_job)
                    return;
                m_message->setText(message);
                m_use->setEnabled(true);
                if (ok)
                    m_teamKey->clear();
                emit keyChanged(ok);
                m_job = nextJob();
                QMetaObject::invokeMethod(m_service, [s = m_service, j = m_job] { s->readSigningKey(j); });
            });
    m_job = nextJob();
    QMetaObject::invokeMethod(m_service, [s = m_service, j = m_job] { s->readSigningKey(j); });
}

void SigningKeyDialog::checkTeamKey()
{
    const QString text = m_teamKey->text().trimmed();
    const QByteArray key = decodeKey(text);
    QString problem;
    if (text.isEmpty())
        problem = tr("Paste the team's key to check it here first.");
    else if (key.size() < runSigningKeyBytes)
        problem = tr("That is not a run-signing key: base64 of %1 bytes or more.").arg(runSigningKeyBytes);
    else if (runSigningKeyId(key) == m_keyId)
        problem = tr("This desktop signs with that key already.");
    m_teamKeyId->setText(problem.isEmpty() ? tr("Key id %1.").arg(runSigningKeyId(key)) : problem);
    m_use->setEnabled(problem.isEmpty() && m_service);
}

void SigningKeyDialog::copyKey(bool ask)
{
    if (m_key.isEmpty())
        return;
    if (ask && QMessageBox::warning(
                   this, tr("Copy the Run-Signing Key"),
                   tr("Whoever holds this key can sign runs that check as this team's. Pass it on only "
                      "through a password manager or another private channel. The clipboard is "
                      "cleared again in a minute."),
                   QMessageBox::Ok | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Ok)
        return;
    const QString text = QString::fromLatin1(m_key.toBase64());
    QClipboard *clipboard = QGuiApplication::clipboard();
    clipboard->setText(text);
    m_message->setText(tr("Key %1 copied; the clipboard is cleared in a minute.").arg(m_keyId));
    QPointer<QClipboard> guard(clipboard);
    QTimer::singleShot(60000, clipboard, [guard, text] {
        if (guard && guard->text() == text)
            guard->clear();
    });
}

void SigningKeyDialog::useTeamKey(bool ask)
{
    const QByteArray key = decodeKey(m_teamKey->text().trimmed());
    if (!m_service || key.size() < runSigningKeyBytes)
        return;
    if (ask && QMessageBox::question(
                   this, tr("Use the Team's Key"),
                   tr("Sign every run imported here with key %1 from now on? The current key %2 "
                      "stays in your keychain, so the runs it signed stay checkable.")
                       .arg(runSigningKeyId(key), m_keyId),
                   QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    m_use->setEnabled(false);
    m_message->setText(tr("Keeping the key…"));
    m_job = nextJob();
    QMetaObject::invokeMethod(m_service, [s = m_service, j = m_job, key] { s->useSigningKey(j, key); });
}

} // namespace opsdeck
