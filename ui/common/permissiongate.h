// The window's depth of the workspace's permissions: a button for something the person acting on
// this desktop may not do is disabled, with the reason (and the grant that decides) as its tooltip.
// Decided from the cache's copy of the workspace (models/workspace/actingperson.h), again whenever
// the copy changes or update() is called (a pane calls it when its selection changes the scope).
// The services refuse the same actions on their own; this only says so before the admin tries.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QAbstractButton;

namespace opsdeck {

class PermissionGate : public QObject
{
    Q_OBJECT
public:
    explicit PermissionGate(QObject *parent);
    // scope: the facets of what the button would act on now ("connection:acme owner:bob").
    // available: whether there is anything to act on now (a selection); the button is enabled when
    // it is and the person may.
    void guard(QAbstractButton *button, const QString &action, std::function<QString()> scope,
               std::function<bool()> available = {});
    // The same for an action whose target is chosen later (a deploy's host): enabled when any of
    // scopes() is allowed (or there are none to choose from), the reason of the first refusal shown
    // otherwise.
    void guardAny(QAbstractButton *button, const QString &action, std::function<QStringList()> scopes);
    void update();

private:
    struct Entry
    {
        QPointer<QAbstractButton> button;
        QString action;
        std::function<QString()> scope;
        std::function<bool()> available;
        std::function<QStringList()> anyOf;
        QString tooltip; // the button's own, shown while it is allowed
    };
    QList<Entry> m_entries;
};

} // namespace opsdeck
