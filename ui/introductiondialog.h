// The first-run introduction: what Opsdeck does, and where to begin. A button for a first
// connection of each kind, one to join a team workspace and one to open the demo. The main window
// shows it once per person on a start with no connections, and again from Help › Introduction.
#pragma once

#include "models/connections/connection.h"

#include <QDialog>
#include <QMap>

class QCommandLinkButton;

namespace opsdeck {

class IntroductionDialog : public QDialog
{
    Q_OBJECT
public:
    // inDemo: the window is the demo, which neither joins a team nor opens another demo.
    explicit IntroductionDialog(bool inDemo, QWidget *parent = nullptr);

    // What a first connection of a kind brings to the window, in one sentence.
    static QString kindPurpose(ConnectionKind kind);

    QCommandLinkButton *addButton(ConnectionKind kind) const { return m_add.value(kind); }
    QCommandLinkButton *joinButton() const { return m_join; }
    QCommandLinkButton *demoButton() const { return m_demo; }

signals:
    // Each choice closes the dialog first.
    void addConnectionChosen(opsdeck::ConnectionKind kind);
    void joinTeamChosen();
    void demoChosen();

private:
    QMap<ConnectionKind, QCommandLinkButton *> m_add;
    QCommandLinkButton *m_join;
    QCommandLinkButton *m_demo;
};

} // namespace opsdeck
