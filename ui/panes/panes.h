// All panes of the main window, in sidebar order.
#pragma once

#include "ui/panes/pane.h"

namespace opsdeck {

class AuditService;
class DeployService;
class DockerService;
class GitHubService;
class TunnelService;

// What panes need from the application: models to read and services to ask.
struct PaneContext
{
    ConnectionsModel *connections = nullptr;
    AuditService *audit = nullptr;
    GitHubService *github = nullptr;
    DockerService *docker = nullptr;
    DeployService *deploy = nullptr;
    TunnelService *tunnel = nullptr;
};

QList<Pane *> createPanes(const PaneContext &context, QWidget *parent);

} // namespace opsdeck
