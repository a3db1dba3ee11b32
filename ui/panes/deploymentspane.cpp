#include "deploymentspane.h"

namespace opsdeck {

DeploymentsPane::DeploymentsPane(ConnectionsModel *connections, QWidget *parent)
    : Pane({QStringLiteral("deployments"),
            tr("Deployments"),
            QStringLiteral("applications-system"),
            {ConnectionKind::Docker, ConnectionKind::Cloudflare},
            tr("Containers and deployments on your Docker hosts"),
            tr("This pane runs and manages services on a Docker host: one-click services from an image, "
               "deploys of GitHub template repositories with compose, live logs, and routes through a "
               "Cloudflare tunnel.")},
           connections, parent)
{
}

} // namespace opsdeck
