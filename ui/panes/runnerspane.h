// The Runners pane.
#pragma once

#include "pane.h"

namespace opsdeck {

class RunnersPane : public Pane
{
    Q_OBJECT
public:
    explicit RunnersPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
