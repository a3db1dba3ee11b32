// The Budgets pane.
#pragma once

#include "ui/panes/pane.h"

namespace opsdeck {

class BudgetsPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    explicit BudgetsPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
