#include "runnerspane.h"

namespace opsdeck {

RunnersPane::RunnersPane(ConnectionsModel *connections, QWidget *parent)
    : Pane({QStringLiteral("runners"),
            tr("Runners"),
            QStringLiteral("system-run"),
            {ConnectionKind::GitHub},
            tr("GitHub Actions self-hosted runners"),
            tr("This pane lists the self-hosted runners of your GitHub organization and repositories, "
               "provisions new ones under a label policy (just-in-time or registration token), removes them "
               "with an audited comment, and cleans up runners that drift from the policy.")},
           connections, parent)
{
}

} // namespace opsdeck
