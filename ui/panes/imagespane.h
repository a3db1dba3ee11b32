// The Images pane.
#pragma once

#include "ui/panes/pane.h"

namespace opsdeck {

class ImagesPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    explicit ImagesPane(ConnectionsModel *connections, QWidget *parent = nullptr);
};

} // namespace opsdeck
