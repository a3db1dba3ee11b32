// The Images pane's Gate tab: the vulnerability gate of the workspace and of each project (the
// threshold, whether images never scanned are blocked, the gate in force), and the CVE exceptions
// with their expiry. Changing a setting opens GateSettingDialog, which shows before saving what a
// stricter setting would block among running containers, recent deploys and allowlist entries;
// exceptions are granted and revoked with a reason. Changes go out as ImageChanges.
#pragma once

#include "models/images/imagechange.h"
#include "models/images/vulngate.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace opsdeck {

class CveExceptionsModel;
class GateSettingsModel;

class GateTab : public QWidget
{
    Q_OBJECT
public:
    explicit GateTab(QWidget *parent = nullptr);
    // Whether changes can be sent (a workspace is open).
    void setEditable(bool editable);
    void setProjects(const QStringList &projects) { m_projectNames = projects; }

    GateSettingsModel *settings() const { return m_settings; }
    CveExceptionsModel *exceptions() const { return m_exceptions; }
    QTableView *settingsView() const { return m_settingsView; }
    QTableView *exceptionsView() const { return m_exceptionsView; }
    QPushButton *changeButton() const { return m_change; }
    QPushButton *grantButton() const { return m_grant; }
    QPushButton *revokeButton() const { return m_revoke; }
    QCheckBox *showExpiredBox() const { return m_showExpired; }
    // The selected setting's scope (empty: the workspace).
    QString selectedScope() const;

signals:
    void changesRequested(const QList<opsdeck::ImageChange> &changes);

private:
    void openChange();
    void openGrant();
    void openRevoke();
    void updateButtons();

    GateSettingsModel *m_settings;
    CveExceptionsModel *m_exceptions;
    QSortFilterProxyModel *m_exceptionProxy;
    QTableView *m_settingsView;
    QTableView *m_exceptionsView;
    QPushButton *m_change;
    QPushButton *m_grant;
    QPushButton *m_revoke;
    QCheckBox *m_showExpired;
    QStringList m_projectNames;
    bool m_editable = false;
};

// Changing the gate of one scope: threshold, never scanned, a comment; and, when the change is
// stricter, the preview of what it would newly block (read off the GUI thread), shown before Save.
class GateSettingDialog : public QDialog
{
    Q_OBJECT
public:
    GateSettingDialog(const GateSetting &current, QWidget *parent = nullptr);
    ~GateSettingDialog() override;
    GateSetting proposed() const;
    ImageChange change() const;
    void setProposed(std::optional<Severity> threshold, bool blockUnscanned);

    QComboBox *thresholdCombo() const { return m_threshold; }
    QCheckBox *unscannedBox() const { return m_unscanned; }
    QPlainTextEdit *commentEdit() const { return m_comment; }
    QTableWidget *previewTable() const { return m_preview; }
    QLabel *previewLabel() const { return m_previewLabel; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    bool previewPending() const { return m_pending; }

private:
    void refreshPreview();
    void check();
    GateSetting m_current;
    QComboBox *m_threshold;
    QCheckBox *m_unscanned;
    QPlainTextEdit *m_comment;
    QLabel *m_previewLabel;
    QTableWidget *m_preview;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    QFutureWatcher<Result<QList<GatePreviewRow>>> m_watcher;
    bool m_pending = false;
    bool m_again = false;
};

// Granting a CVE exception: the CVE, the image (an allowlist entry's text) and/or the project, a
// reason and an expiry, checked as they are typed.
class ExceptionDialog : public QDialog
{
    Q_OBJECT
public:
    ExceptionDialog(const QStringList &projects, QWidget *parent = nullptr);
    ImageChange change() const;
    QLineEdit *cveEdit() const { return m_cve; }
    QLineEdit *imageEdit() const { return m_image; }
    QComboBox *projectCombo() const { return m_project; }
    QPlainTextEdit *reasonEdit() const { return m_reason; }
    QDateEdit *expiresEdit() const { return m_expires; }
    QLabel *problemLabel() const { return m_problem; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void check();
    QLineEdit *m_cve;
    QLineEdit *m_image;
    QComboBox *m_project;
    QPlainTextEdit *m_reason;
    QDateEdit *m_expires;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace opsdeck
