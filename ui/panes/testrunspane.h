// The Test runs pane.
#pragma once

#include "ui/panes/pane.h"

namespace opsdeck {

class TestRunsPane : public Pane
{
    Q_OBJECT
public:
    explicit TestRunsPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
