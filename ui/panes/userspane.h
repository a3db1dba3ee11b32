// The Users pane.
#pragma once

#include "ui/panes/pane.h"

namespace opsdeck {

class UsersPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    explicit UsersPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
