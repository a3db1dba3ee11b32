// Add, change or remove a tunnel route: the hostname and the local port, the difference the
// change makes to the tunnel configuration shown before anything is written, then the result.
#pragma once

#include "services/tunnel/tunnelroutes.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace opsdeck {

class TunnelService;
struct Outcome;

class RouteDialog : public QDialog
{
    Q_OBJECT
public:
    RouteDialog(TunnelService *tunnel, qint64 connectionId, RouteOp op, const QString &hostname, int port,
                QWidget *parent = nullptr);
    QString diffText() const;
    QString message() const;
    QPushButton *applyButton() const { return m_apply; }
    void requestPreview();

signals:
    void applied();

private:
    void apply();

    TunnelService *m_tunnel;
    qint64 m_connectionId;
    RouteOp m_op;
    quint64 m_previewRequest = 0;
    quint64 m_applyRequest = 0;
    QString m_before;
    QLineEdit *m_hostname;
    QSpinBox *m_port;
    QPlainTextEdit *m_diff;
    QLabel *m_message;
    QPushButton *m_preview;
    QPushButton *m_apply;
};

} // namespace opsdeck
