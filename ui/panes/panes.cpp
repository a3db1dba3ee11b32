#include "panes.h"

#include "auditlogpane.h"
#include "budgetspane.h"
#include "deploymentspane.h"
#include "imagespane.h"
#include "runnerspane.h"
#include "testrunspane.h"
#include "userspane.h"

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
