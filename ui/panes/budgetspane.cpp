#include "ui/panes/budgetspane.h"

namespace opsdeck {

BudgetsPane::BudgetsPane(ConnectionsModel *connections, QWidget *parent)
    : Pane({QStringLiteral("budgets"),
            tr("Budgets"),
            QStringLiteral("office-chart-line"),
            {ConnectionKind::LiteLLM},
            tr("LLM budgets and spend"),
            tr("This pane shows the budgets of teams, users and keys on your LiteLLM proxy, their "
               "inheritance, and the spend against them over time.")},
           connections, parent)
{
}

} // namespace opsdeck
