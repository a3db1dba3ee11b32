#include "ui/panes/budgetspane.h"

namespace opsdeck {

Pane::Info BudgetsPane::describe()
{
    return {QStringLiteral("budgets"),
            tr("Budgets"),
            QStringLiteral("office-chart-line"),
            {ConnectionKind::LiteLLM},
            tr("LLM budgets and spend"),
            tr("This pane shows the budgets of teams, users and keys on your LiteLLM proxy, their "
               "inheritance, and the spend against them over time.")};
}

BudgetsPane::BudgetsPane(ConnectionsModel *connections, QWidget *parent)
    : Pane(describe(), connections, parent)
{
}

} // namespace opsdeck
