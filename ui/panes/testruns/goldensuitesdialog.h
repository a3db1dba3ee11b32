// Test runs › Golden Suites…: the golden suites Opsdeck runs (case files in a folder or a git
// repository, a base URL), with their last result; adds, edits and removes suites and runs one now,
// with progress and Cancel. Saving and running happen on the TestRunsService thread.
#pragma once

#include "models/testruns/goldensuite.h"
#include "models/testruns/mocks.h"
#include "ui/panes/testruns/listdialog.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace opsdeck {

class GoldenSourcesModel;
class MocksModel;
class TestRunsService;

class GoldenSuiteForm : public QDialog
{
    Q_OBJECT
public:
    explicit GoldenSuiteForm(QWidget *parent = nullptr);
    void setValues(const QString &name, const GoldenSuiteSettings &settings);
    // The mock servers to choose from (Mocks…): the suite's mock is told about before each run when
    // its last health check was down; choosing one fills an empty base URL with its address.
    void setMocks(const QList<MockServer> &mocks);
    QComboBox *mockCombo() const { return m_mock; }
    QString name() const;
    GoldenSuiteSettings settings() const;
    QString problem() const;

private:
    void check();
    QLineEdit *m_name;
    QLineEdit *m_folder;
    QLineEdit *m_gitUrl;
    QLineEdit *m_gitRef;
    QLineEdit *m_baseUrl;
    QSpinBox *m_concurrency;
    QSpinBox *m_timeout;
    qint64 m_mockId = 0;
    QComboBox *m_mock;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

class GoldenSuitesDialog : public ListDialog
{
    Q_OBJECT
public:
    GoldenSuitesDialog(TestRunsService *service, QWidget *parent = nullptr);

    GoldenSourcesModel *suites() const { return m_suites; }
    QTableView *suitesView() const { return m_view; }
    qint64 selectedSuite() const;
    bool isRunning() const { return m_job != 0; }

    void addSuite();
    void editSuite();
    void removeSuite();
    void runSelected();
    void cancelRun();
    void save(qint64 sourceId, const QString &name, const GoldenSuiteSettings &settings);

signals:
    void saved(bool ok, const QString &message);
    // runId: the run stored (0: none).
    void ran(bool ok, const QString &message, qint64 runId);

private:
    void updateButtons();
    TestRunsService *m_service;
    GoldenSourcesModel *m_suites;
    MocksModel *m_mocks;
    QList<MockServer> mocks() const;
    QTableView *m_view;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_run;
    QPushButton *m_cancel;
    quint64 m_job = 0;
    quint64 m_saveJob = 0;
};

} // namespace opsdeck
