// Test runs › Settings › Signing Key…: which key this desktop signs runs with (by its id, never shown
// itself), copying it for a teammate (after a warning; the clipboard is cleared again after a minute),
// and taking the team's key instead, so that teammates' runs verify here and this desktop's there.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace opsdeck {

class TestRunsService;

class SigningKeyDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SigningKeyDialog(TestRunsService *service, QWidget *parent = nullptr);

    QLabel *keyLabel() const { return m_keyLabel; }
    QLineEdit *teamKeyEdit() const { return m_teamKey; }
    QPushButton *useButton() const { return m_use; }
    QPushButton *copyButton() const { return m_copy; }
    QLabel *messageLabel() const { return m_message; }
    // ask: false skips the confirmations (tests).
    void copyKey(bool ask = true);
    void useTeamKey(bool ask = true);

signals:
    void keyChanged(bool ok);

private:
    void checkTeamKey();

    TestRunsService *m_service;
    QLabel *m_keyLabel;
    QPushButton *m_copy;
    QLineEdit *m_teamKey;
    QLabel *m_teamKeyId;
    QPushButton *m_use;
    QLabel *m_message;
    QByteArray m_key;
    QString m_keyId;
    quint64 m_job = 0;
};

} // namespace opsdeck
