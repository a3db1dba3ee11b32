// The Deployments pane's confirmations: removing a container names what goes with it.
#pragma once

#include <QStringList>

#include <optional>

class QWidget;

namespace opsdeck {

struct RemoveChoice
{
    bool volumes = false; // also delete its anonymous volumes (the engine's v=true)
    bool force = false;   // it is running: kill it first
};

// Asks to remove the container. volumes: the named volumes it mounts. Anonymous volumes (the
// engine's 64-hex names) go with "also delete"; volumes created with a name are kept by the engine
// either way, and the dialog says so. Empty when the admin cancels.
std::optional<RemoveChoice> askRemoveContainer(QWidget *parent, const QString &name, const QString &state,
                                               const QStringList &volumes);

// Anonymous volumes have 64 hexadecimal digits as their name.
bool isAnonymousVolume(const QString &name);

} // namespace opsdeck
