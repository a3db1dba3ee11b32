// The Audit log pane.
#pragma once

#include "pane.h"

namespace opsdeck {

class AuditLogPane : public Pane
{
    Q_OBJECT
public:
    explicit AuditLogPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
