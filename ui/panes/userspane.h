// The Users pane.
#pragma once

#include "ui/panes/pane.h"

namespace opsdeck {

class UsersPane : public Pane
{
    Q_OBJECT
public:
    explicit UsersPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
