// Test runs › Mocks…: the mock servers golden suites run against, each with its state, uptime over
// the last day and week and its outages; adds, edits and removes mocks, checks one now, and restarts
// the container that runs one (through the Docker connection, confirmed and audited there).
#pragma once

#include "models/testruns/mocks.h"
#include "ui/panes/testruns/listdialog.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace opsdeck {

class ConnectionsModel;
class DockerService;
class TestRunsService;

class MockForm : public QDialog
{
    Q_OBJECT
public:
    MockForm(ConnectionsModel *connections, QWidget *parent = nullptr);
    void setMock(const MockServer &mock);
    MockServer mock() const;
    QString problem() const;

private:
    void check();
    qint64 m_id = 0;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_path;
    QSpinBox *m_interval;
    QComboBox *m_docker;
    QLineEdit *m_container;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

class MocksDialog : public ListDialog
{
    Q_OBJECT
public:
    MocksDialog(TestRunsService *service, DockerService *docker, ConnectionsModel *connections,
                QWidget *parent = nullptr);

    MocksModel *mocks() const { return m_mocks; }
    QTableView *view() const { return m_view; }
    qint64 selectedMock() const;

    void addMock();
    void editMock();
    void removeMock();
    void checkSelected();
    // ask: confirm first (the button); tests restart without the question.
    void restartSelected(bool ask = true);
    void save(const MockServer &mock);

signals:
    void saved(bool ok, const QString &message);
    void restarted(bool ok, const QString &message);

private:
    void updateButtons();
    TestRunsService *m_service;
    DockerService *m_docker;
    ConnectionsModel *m_connections;
    MocksModel *m_mocks;
    QTableView *m_view;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_check;
    QPushButton *m_restart;
    quint64 m_saveJob = 0;
    quint64 m_restartJob = 0;
};

} // namespace opsdeck
