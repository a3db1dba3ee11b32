// All panes of the main window, in sidebar order. The window builds a pane when it is first shown
// (or in idle time after the first paint): until then only its description exists.
#pragma once

#include "ui/panes/pane.h"

#include <functional>

namespace opsdeck {

class AppSettings;
class AuditService;
class DeployService;
class DockerService;
class GitHubService;
class LiteLLMService;
class OffboardingService;
class RegistryService;
class TestRunsService;
class TunnelService;
class WorkspaceService;

// What panes need from the application: models to read and services to ask.
struct PaneContext
{
    ConnectionsModel *connections = nullptr;
    AuditService *audit = nullptr;
    GitHubService *github = nullptr;
    DockerService *docker = nullptr;
    DeployService *deploy = nullptr;
    TunnelService *tunnel = nullptr;
    WorkspaceService *workspace = nullptr;
    OffboardingService *offboarding = nullptr;
    RegistryService *registry = nullptr;
    LiteLLMService *budgets = nullptr;
    TestRunsService *testruns = nullptr;
    AppSettings *settings = nullptr; // preferences a pane keeps (none: defaults)
};

// A pane before it is built: what the sidebar, the menus and the quick switcher show, and how to
// build it.
struct PaneSlot
{
    Pane::Info info;
    std::function<Pane *(QWidget *parent)> build;
};

QList<PaneSlot> paneSlots(const PaneContext &context);

} // namespace opsdeck
