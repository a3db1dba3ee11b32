// The Images pane.
#pragma once

#include "ui/panes/pane.h"

namespace opsdeck {

class ImagesPane : public Pane
{
    Q_OBJECT
public:
    explicit ImagesPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
