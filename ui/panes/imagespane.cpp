#include "ui/panes/imagespane.h"

namespace opsdeck {

Pane::Info ImagesPane::describe()
{
    return {QStringLiteral("images"),
            tr("Images"),
            QStringLiteral("drive-harddisk"),
            {ConnectionKind::Harbor, ConnectionKind::Registry},
            tr("The container image allowlist"),
            tr("This pane keeps the allowlist of container images on your Harbor registry: the images, their "
               "tags and scan results, and the requests for new images with their approvals.")};
}

ImagesPane::ImagesPane(ConnectionsModel *connections, QWidget *parent) : Pane(describe(), connections, parent)
{
}

} // namespace opsdeck
