#include "ui/common/permissiongate.h"

#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"

#include <QAbstractButton>

namespace opsdeck {

PermissionGate::PermissionGate(QObject *parent) : QObject(parent)
{
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                for (const QString &t : tables)
                    if (t.startsWith(QLatin1String("workspace_")))
                        return update();
            });
}

void PermissionGate::guard(QAbstractButton *button, const QString &action, std::function<QString()> scope,
                           std::function<bool()> available)
{
    m_entries.append(Entry{button, action, std::move(scope), std::move(available), {}, button->toolTip()});
    update();
}

void PermissionGate::guardAny(QAbstractButton *button, const QString &action,
                              std::function<QStringList()> scopes)
{
    m_entries.append(Entry{button, action, {}, {}, std::move(scopes), button->toolTip()});
    update();
}

void PermissionGate::update()
{
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.button)
            continue;
        QStringList scopes = e.anyOf ? e.anyOf() : QStringList{e.scope ? e.scope() : QString()};
        if (scopes.isEmpty())
            scopes << QString();
        auto decided = decideActing(Database::connection(), e.action, scopes.first());
        for (qsizetype i = 1; i < scopes.size() && decided && !decided->decision.allowed; ++i)
            if (auto other = decideActing(Database::connection(), e.action, scopes.at(i));
                other && other->decision.allowed)
                decided = other;
        // A copy that cannot be read does not lock the window: the service decides then.
        const bool allowed = !decided || decided->decision.allowed;
        e.button->setEnabled(allowed && (!e.available || e.available()));
        e.button->setToolTip(
            allowed ? e.tooltip
                    : tr("%1 — not allowed: %2")
                          .arg(e.tooltip.isEmpty() ? e.button->text().remove(QLatin1Char('&')) : e.tooltip,
                               decided->decision.reason));
    }
}

} // namespace opsdeck
