// The Audit log pane: every recorded action, searchable (full text) and filterable by time,
// system, connection, actor, action and outcome, with a detail panel, chain verification and
// exports (CSV, JSON Lines, PDF). It reads only the local cache: it works with no network.
#pragma once

#include "models/audit/auditevent.h"
#include "ui/panes/pane.h"

#include <QTimer>

#include <atomic>
#include <memory>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTextBrowser;
class QToolButton;

namespace opsdeck {

class AuditModel;
class AuditService;
struct Outcome;

class AuditLogPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    AuditLogPane(ConnectionsModel *connections, AuditService *audit, QWidget *parent = nullptr);

    AuditModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *desktopCombo() const { return m_desktop; }
    // A custom time range [from, until) in UTC (as the admin picks it with "Custom range").
    void setTimeRange(const QDateTime &from, const QDateTime &until);
    QString countText() const;
    QString chainStatus() const;
    QString detailText() const;
    bool isBusy() const { return m_job != 0; }

    void refresh() override;
    // Starts the work behind the buttons (public for tests and the quick switcher).
    void verifyChain();
    void exportTo(const QString &format, const QString &path);
    // Demo workspace: fills the log and shows the progress here.
    void seedDemo(int count);

signals:
    void jobFinished(bool ok, const QString &message);

private:
    void applyFilter();
    void updateCount();
    void showDetail();
    void startJob(quint64 id, const QString &what);
    void endJob(bool ok, const QString &message);
    void chooseExport(const QString &format);
    void writePdf(const QString &path);
    void reloadConnectionChoices();
    void reloadDesktopChoices();

    AuditService *m_audit;
    AuditModel *m_model;
    QLineEdit *m_search;
    QComboBox *m_time;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QComboBox *m_system;
    QComboBox *m_connection;
    QComboBox *m_desktop; // this desktop, or one of the team's (source team:DESKTOP)
    QComboBox *m_action;
    QComboBox *m_outcome;
    QLineEdit *m_actor;
    QLabel *m_count;
    QPushButton *m_verify;
    QToolButton *m_export;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QLabel *m_status;
    QTableView *m_view;
    QTextBrowser *m_detail;
    QTimer m_searchDelay;
    quint64 m_job = 0;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
};

} // namespace opsdeck
