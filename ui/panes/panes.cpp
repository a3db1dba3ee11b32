#include "ui/panes/panes.h"

#include "ui/panes/audit/auditlogpane.h"
#include "ui/panes/budgetspane.h"
#include "ui/panes/deployments/deploymentspane.h"
#include "ui/panes/imagespane.h"
#include "ui/panes/runners/runnerspane.h"
#include "ui/panes/testrunspane.h"
#include "ui/panes/userspane.h"

namespace opsdeck {

QList<Pane *> createPanes(const PaneContext &context, QWidget *parent)
{
    ConnectionsModel *connections = context.connections;
    return {
        new RunnersPane(connections, context.github, parent),
        new UsersPane(connections, parent),
        new DeploymentsPane(connections, context.docker, context.deploy, context.tunnel, parent),
        new ImagesPane(connections, parent),
        new BudgetsPane(connections, parent),
        new TestRunsPane(connections, parent),
        new AuditLogPane(connections, context.audit, parent),
    };
}

} // namespace opsdeck
