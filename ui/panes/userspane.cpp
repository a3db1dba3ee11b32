#include "ui/panes/userspane.h"

namespace opsdeck {

Pane::Info UsersPane::describe()
{
    return {QStringLiteral("users"),
            tr("Users"),
            QStringLiteral("system-users"),
            {ConnectionKind::GitHub, ConnectionKind::Harbor, ConnectionKind::LiteLLM},
            tr("People across your platform"),
            tr("This pane brings together the members of your GitHub organization, Harbor users and LiteLLM "
               "users, so that you can see who has access where and disable an account in one place.")};
}

UsersPane::UsersPane(ConnectionsModel *connections, QWidget *parent) : Pane(describe(), connections, parent)
{
}

} // namespace opsdeck
