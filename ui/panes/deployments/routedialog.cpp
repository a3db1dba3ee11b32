#include "ui/panes/deployments/routedialog.h"

#include "models/core/validation.h"
#include "services/tunnel/tunnelservice.h"
#include "ui/common/requestid.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace opsdeck {

RouteDialog::RouteDialog(TunnelService *tunnel, qint64 connectionId, RouteOp op, const QString &hostname,
                         int port, QWidget *parent)
    : QDialog(parent), m_tunnel(tunnel), m_connectionId(connectionId), m_op(op)
{
    setWindowTitle(op == RouteOp::Add      ? tr("Add a tunnel route")
                   : op == RouteOp::Update ? tr("Change a tunnel route")
                                           : tr("Remove a tunnel route"));
    m_hostname = new QLineEdit(hostname, this);
    m_hostname->setPlaceholderText(tr("app.example.com"));
    m_hostname->setReadOnly(op != RouteOp::Add);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(port > 0 ? port : 8080);
    m_port->setPrefix(QStringLiteral("http://localhost:"));
    m_port->setEnabled(op != RouteOp::Remove);
    m_diff = new QPlainTextEdit(this);
    m_diff->setReadOnly(true);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_diff->setPlaceholderText(
        tr("The change to the tunnel configuration shows here before anything is written."));
    m_diff->setAccessibleName(tr("Difference"));
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview = new QPushButton(tr("&Preview"), this);
    m_apply = new QPushButton(op == RouteOp::Remove ? tr("&Remove") : tr("&Apply"), this);
    m_apply->setEnabled(false);
    auto *form = new QFormLayout;
    form->addRow(tr("&Hostname:"), m_hostname);
    form->addRow(tr("&Service:"), m_port);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_preview, QDialogButtonBox::ActionRole);
    buttons->addButton(m_apply, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_diff, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(720, 480);

    // Any change invalidates the preview: Apply writes only what was shown.
    connect(m_hostname, &QLineEdit::textChanged, this, [this] { m_apply->setEnabled(false); });
    connect(m_port, &QSpinBox::valueChanged, this, [this] { m_apply->setEnabled(false); });
    connect(m_preview, &QPushButton::clicked, this, &RouteDialog::requestPreview);
    connect(m_apply, &QPushButton::clicked, this, &RouteDialog::apply);
    connect(m_tunnel, &TunnelService::previewReady, this,
            [this](quint64 id, const Outcome &outcome, const RoutePreview &preview) {
                if (id != m_previewRequest)
                    return;
                m_previewRequest = 0;
                m_diff->setPlainText(outcome.ok ? preview.diff : QString());
                m_message->setText(outcome.ok ? tr("Check the difference, then apply it.") : outcome.message);
                m_before = preview.before;
                m_apply->setEnabled(outcome.ok);
            });
    connect(m_tunnel, &TunnelService::applied, this,
            [this](quint64 id, const Outcome &outcome, const QStringList &log) {
                if (id != m_applyRequest)
                    return;
                m_applyRequest = 0;
                m_diff->setPlainText(log.join(QLatin1Char('\n')));
                m_message->setText(outcome.ok ? tr("Done.") : outcome.message);
                m_preview->setEnabled(true);
                if (outcome.ok)
                    emit applied();
            });
    if (!hostname.isEmpty())
        requestPreview();
}

QString RouteDialog::diffText() const
{
    return m_diff->toPlainText();
}

QString RouteDialog::message() const
{
    return m_message->text();
}

void RouteDialog::requestPreview()
{
    if (auto valid = validateRouteHostname(m_hostname->text().trimmed()); !valid)
        return m_message->setText(valid.message());
    m_previewRequest = nextRequestId();
    m_message->setText(tr("Reading the tunnel configuration…"));
    QMetaObject::invokeMethod(m_tunnel, [t = m_tunnel, id = m_previewRequest, c = m_connectionId, op = m_op,
                                         host = m_hostname->text().trimmed(),
                                         port = m_port->value()] { t->preview(id, c, op, host, port); });
}

void RouteDialog::apply()
{
    m_applyRequest = nextRequestId();
    m_apply->setEnabled(false);
    m_preview->setEnabled(false);
    m_message->setText(tr("Applying…"));
    QMetaObject::invokeMethod(m_tunnel, [t = m_tunnel, id = m_applyRequest, c = m_connectionId, op = m_op,
                                         host = m_hostname->text().trimmed(), port = m_port->value(),
                                         before = m_before] { t->apply(id, c, op, host, port, before); });
}

} // namespace opsdeck
