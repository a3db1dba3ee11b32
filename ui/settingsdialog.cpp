#include "ui/settingsdialog.h"

#include "models/core/appsettings.h"
#include "models/core/languages.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
QSpinBox *spinBox(int minimum, int maximum, const QString &suffix, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    return box;
}
} // namespace

SettingsDialog::SettingsDialog(AppSettings *settings, QWidget *parent) : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    m_language = new QComboBox(this);
    for (const auto &[code, text] : languageChoices())
        m_language->addItem(text, code);
    m_language->setAccessibleName(tr("Language"));
    auto *general = new QGroupBox(tr("Window"), this);
    auto *generalForm = new QFormLayout(general);
    generalForm->addRow(tr("&Language:"), m_language);
    auto *languageNote = new QLabel(tr("A new language takes effect when Opsdeck starts again."), general);
    languageNote->setWordWrap(true);
    generalForm->addRow(languageNote);

    m_timeout = spinBox(1, 600, tr(" s"), this);
    m_timeout->setToolTip(tr("How long a request to a server may stay silent before it fails"));
    m_retries = spinBox(0, 10, QString(), this);
    m_retries->setToolTip(tr("How often a request that changes nothing is tried again after a server error, "
                             "a broken connection or a timeout"));
    auto *network = new QGroupBox(tr("Network"), this);
    auto *networkForm = new QFormLayout(network);
    networkForm->addRow(tr("&Timeout:"), m_timeout);
    networkForm->addRow(tr("&Retries:"), m_retries);

    m_sync = spinBox(1, 24 * 60, tr(" min"), this);
    m_sync->setToolTip(tr("What a new connection starts with; each connection keeps its own in Connections"));
    m_logLines = spinBox(1000, 2000000, tr(" lines"), this);
    m_logLines->setSingleStep(10000);
    m_logLines->setToolTip(
        tr("Beyond this many, a log view drops its oldest lines; each view can change its own"));
    auto *defaults = new QGroupBox(tr("Defaults"), this);
    auto *defaultsForm = new QFormLayout(defaults);
    defaultsForm->addRow(tr("New connections &sync every:"), m_sync);
    defaultsForm->addRow(tr("Log views &keep:"), m_logLines);

    m_auditDays = spinBox(0, SettingDefaults::auditKeepDaysMax, tr(" days"), this);
    m_auditDays->setSpecialValueText(tr("Every event"));
    m_auditDays->setSingleStep(30);
    m_auditDays->setToolTip(tr("How long this desktop keeps its audit events"));
    auto *audit = new QGroupBox(tr("Audit Log"), this);
    auto *auditForm = new QFormLayout(audit);
    auditForm->addRow(tr("Keep audit &events for:"), m_auditDays);
    auto *auditNote = new QLabel(tr("Older events are removed from this desktop's cache. The chain stays "
                                    "verifiable from the oldest event kept, the removal is itself audited, "
                                    "and events not yet sent to a team workspace are kept."),
                                 audit);
    auditNote->setWordWrap(true);
    auditForm->addRow(auditNote);

    auto *notifications = new QGroupBox(tr("Notifications"), this);
    auto *notificationsLayout = new QVBoxLayout(notifications);
    auto *notificationsNote = new QLabel(tr("Tell me on the desktop when:"), notifications);
    notificationsLayout->addWidget(notificationsNote);
    for (NoticeKind kind : allNoticeKinds()) {
        auto *box = new QCheckBox(noticeKindText(kind), notifications);
        box->setObjectName(QStringLiteral("notify_") + noticeKindId(kind));
        box->setChecked(settings->notificationEnabled(kind));
        notificationsLayout->addWidget(box);
        m_notify.insert(kind, box);
    }

    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            &SettingsDialog::restoreDefaults);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(general);
    layout->addWidget(network);
    layout->addWidget(defaults);
    layout->addWidget(audit);
    layout->addWidget(notifications);
    layout->addStretch(1);
    layout->addWidget(buttons);

    m_language->setCurrentIndex(qMax(0, m_language->findData(settings->language())));
    m_timeout->setValue(settings->networkTimeoutSec());
    m_retries->setValue(settings->networkRetries());
    m_sync->setValue(settings->defaultSyncIntervalMin());
    m_logLines->setValue(settings->logLinesKept());
    m_auditDays->setValue(settings->auditKeepDays());
    setMinimumWidth(72 * fontMetrics().averageCharWidth());
}

QList<std::pair<QString, QString>> SettingsDialog::languageChoices()
{
    QList<std::pair<QString, QString>> choices{
        {QString(), tr("The Desktop's (%1)").arg(nativeLanguageName(effectiveLanguage(QString())))}};
    for (const Language &l : languages())
        choices.append({l.code, l.nativeName});
    return choices;
}

QString SettingsDialog::language() const
{
    return m_language->currentData().toString();
}

void SettingsDialog::apply()
{
    m_settings->setNetwork(m_timeout->value(), m_retries->value());
    m_settings->setDefaultSyncIntervalMin(m_sync->value());
    m_settings->setLogLinesKept(m_logLines->value());
    m_settings->setAuditKeepDays(m_auditDays->value());
    for (auto it = m_notify.cbegin(); it != m_notify.cend(); ++it)
        m_settings->setNotificationEnabled(it.key(), it.value()->isChecked());
    m_settings->sync();
}

void SettingsDialog::restoreDefaults()
{
    m_language->setCurrentIndex(0);
    m_timeout->setValue(SettingDefaults::networkTimeoutSec);
    m_retries->setValue(SettingDefaults::networkRetries);
    m_sync->setValue(SettingDefaults::syncIntervalMin);
    m_logLines->setValue(SettingDefaults::logLinesKept);
    m_auditDays->setValue(SettingDefaults::auditKeepDays);
    for (QCheckBox *box : std::as_const(m_notify))
        box->setChecked(true);
}

} // namespace opsdeck
