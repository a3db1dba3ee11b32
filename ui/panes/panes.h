// All panes of the main window, in sidebar order.
#pragma once

#include "pane.h"

namespace opsdeck {

QList<Pane *> createPanes(ConnectionsModel *connections, QWidget *parent);

} // namespace opsdeck
