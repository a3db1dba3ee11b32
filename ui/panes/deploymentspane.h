// The Deployments pane.
#pragma once

#include "pane.h"

namespace opsdeck {

class DeploymentsPane : public Pane
{
    Q_OBJECT
public:
    explicit DeploymentsPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
