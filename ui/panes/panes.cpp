#include "ui/panes/panes.h"

#include "ui/panes/audit/auditlogpane.h"
#include "ui/panes/budgets/budgetspane.h"
#include "ui/panes/deployments/deploymentspane.h"
#include "ui/panes/images/imagespane.h"
#include "ui/panes/runners/runnerspane.h"
#include "ui/panes/testrunspane.h"
#include "ui/panes/users/userspane.h"

namespace opsdeck {

QList<PaneSlot> paneSlots(const PaneContext &c)
{
    return {
        {RunnersPane::describe(),
         [c](QWidget *p) {
             return new RunnersPane(c.connections, c.github, p);
         }},
        {UsersPane::describe(),
         [c](QWidget *p) {
             auto *pane = new UsersPane(c.connections, c.workspace, c.offboarding, p);
             pane->setGitHub(c.github);
             return pane;
         }},
        {DeploymentsPane::describe(),
         [c](QWidget *p) {
             auto *pane = new DeploymentsPane(c.connections, c.docker, c.deploy, c.tunnel, p);
             pane->followSettings(c.settings);
             return pane;
         }},
        {ImagesPane::describe(),
         [c](QWidget *p) {
             return new ImagesPane(c.connections, c.workspace, c.registry, c.docker, p);
         }},
        {BudgetsPane::describe(),
         [c](QWidget *p) {
             return new BudgetsPane(c.connections, c.budgets, c.settings, p, c.workspace);
         }},
        {TestRunsPane::describe(),
         [c](QWidget *p) {
             auto *pane = new TestRunsPane(c.connections, c.testruns, c.settings, p);
             if (c.workspace)
                 pane->watchPublishing(c.workspace);
             pane->setGitHubService(c.github);
             pane->setDockerService(c.docker);
             return pane;
         }},
        {AuditLogPane::describe(),
         [c](QWidget *p) {
             return new AuditLogPane(c.connections, c.audit, p);
         }},
    };
}

} // namespace opsdeck
