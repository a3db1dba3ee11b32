// Offboard one person: the preview of every step (those skipped say why), a comment that goes into
// each step's audit event, then each step with its progress as it runs. Opened for someone whose
// offboarding is not finished, it shows where it stands and resumes it. Closing the dialog does
// not stop a running offboarding; opening it again shows it.
#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace opsdeck {

class OffboardingModel;
class OffboardingService;

class OffboardingDialog : public QDialog
{
    Q_OBJECT
public:
    OffboardingDialog(const QString &login, OffboardingService *service, QWidget *parent = nullptr);

    OffboardingModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPlainTextEdit *commentEdit() const { return m_comment; }
    QPushButton *runButton() const { return m_run; }
    QProgressBar *progress() const { return m_progress; }
    QString statusText() const;
    qint64 offboarding() const;

signals:
    void runFinished(const QString &state);

private:
    void run();
    void showRecorded(qint64 id);
    void updateState();

    QString m_login;
    OffboardingService *m_service;
    OffboardingModel *m_model;
    QTableView *m_view;
    QPlainTextEdit *m_comment;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_run;
    quint64 m_request = 0;
    bool m_planning = false; // the service is making the plan
    static quint64 nextRequest();
    bool m_running = false;
    QString m_finished; // the last run's outcome: done or incomplete
};

} // namespace opsdeck
