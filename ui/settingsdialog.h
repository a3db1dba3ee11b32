// File › Settings…: the preferences that live in settings.ini (models/core/appsettings.h), with
// their ranges: the window's language, the network timeout and retries, how often new connections
// sync, how many lines a log view keeps, how long the audit log is kept, and which desktop notifications
// appear. Accepting writes them; each takes effect through its change signal (the language at the next start,
// which the main window offers).
#pragma once

#include "models/core/desktopnotice.h"
#include <QDialog>

#include <QList>
#include <QMap>

#include <utility>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace opsdeck {

class AppSettings;

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(AppSettings *settings, QWidget *parent = nullptr);

    // What a language choice offers, here and in View › Language: the desktop's (an empty code,
    // named with the language it means now), then each language by its native name.
    static QList<std::pair<QString, QString>> languageChoices();

    // The language chosen in the dialog: a code, or empty for the desktop's.
    QString language() const;
    // Writes every value but the language to the settings (the main window applies the language).
    void apply();
    // Puts Opsdeck's defaults into the fields (nothing is kept until the dialog is accepted).
    void restoreDefaults();

    QComboBox *languageBox() const { return m_language; }
    QSpinBox *timeoutBox() const { return m_timeout; }
    QSpinBox *retriesBox() const { return m_retries; }
    QSpinBox *syncBox() const { return m_sync; }
    QSpinBox *logLinesBox() const { return m_logLines; }
    QSpinBox *auditDaysBox() const { return m_auditDays; }
    // A notification kind's switch.
    QCheckBox *notifyBox(NoticeKind kind) const { return m_notify.value(kind); }

private:
    AppSettings *m_settings;
    QComboBox *m_language;
    QSpinBox *m_timeout;
    QSpinBox *m_retries;
    QSpinBox *m_sync;
    QSpinBox *m_logLines;
    QSpinBox *m_auditDays;
    QMap<NoticeKind, QCheckBox *> m_notify;
};

} // namespace opsdeck
