#include "ui/panes/testrunspane.h"

namespace opsdeck {

Pane::Info TestRunsPane::describe()
{
    return {QStringLiteral("testruns"),
            tr("Test runs"),
            QStringLiteral("emblem-default"),
            {ConnectionKind::GitHub},
            tr("Contract-test runs"),
            tr("This pane lists the contract-test runs of your repositories' workflows with their results "
               "and artifacts, so that a failing contract is seen at once.")};
}

TestRunsPane::TestRunsPane(ConnectionsModel *connections, QWidget *parent)
    : Pane(describe(), connections, parent)
{
}

} // namespace opsdeck
