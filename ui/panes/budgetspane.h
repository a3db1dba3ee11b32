// The Budgets pane.
#pragma once

#include "ui/panes/pane.h"

namespace opsdeck {

class BudgetsPane : public Pane
{
    Q_OBJECT
public:
    explicit BudgetsPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
