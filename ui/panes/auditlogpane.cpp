#include "auditlogpane.h"

namespace opsdeck {

AuditLogPane::AuditLogPane(ConnectionsModel *connections, QWidget *parent)
    : Pane({QStringLiteral("audit"),
            tr("Audit log"),
            QStringLiteral("document-properties"),
            {},
            tr("The audit log"),
            tr("Every action Opsdeck performs, every connection change and every failure will be recorded "
               "here in a tamper-evident log that you can search, filter, verify and export, also with no "
               "network.")},
           connections, parent)
{
}

} // namespace opsdeck
