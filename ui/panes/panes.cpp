#include "panes.h"

#include "runnerspane.h"
#include "userspane.h"
#include "deploymentspane.h"
#include "imagespane.h"
#include "budgetspane.h"
#include "testrunspane.h"
#include "auditlogpane.h"

namespace opsdeck {

QList<Pane *> createPanes(ConnectionsModel *connections, QWidget *parent)
{
    return {
        new RunnersPane(connections, parent),
        new UsersPane(connections, parent),
        new DeploymentsPane(connections, parent),
        new ImagesPane(connections, parent),
        new BudgetsPane(connections, parent),
        new TestRunsPane(connections, parent),
        new AuditLogPane(connections, parent),
    };
}

} // namespace opsdeck
