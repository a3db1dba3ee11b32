// Permission checks for a removal list of 10,000 runners: each runner's removal checked for one
// person against the defaults and 2,000 grants of a large team (the Users pane's and the runner
// service's question, "may bob remove this runner?"). Prints checks per second; never fails.
#include "benchreport.h"
#include "models/workspace/permissions.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace opsdeck;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<WorkspaceGrant> grants = defaultGrants();
    for (int i = 0; i < 2000; ++i) {
        WorkspaceGrant g;
        g.id = i + 1;
        g.subjectKind = i % 3 ? QStringLiteral("person") : QStringLiteral("role");
        g.subject = i % 3 ? QStringLiteral("person%1").arg(i % 500) : QStringLiteral("user");
        g.action = i % 2 ? QStringLiteral("runner.delete") : QStringLiteral("container.*");
        g.scope = QStringLiteral("connection:gh-%1 owner:self").arg(i % 40);
        g.allow = i % 7 != 0;
        grants << g;
    }
    const WorkspacePerson bob{QStringLiteral("person7"), QStringLiteral("user"), true};
    QStringList scopes;
    for (int r = 0; r < 10000; ++r)
        scopes << QStringLiteral("connection:gh-%1 owner:person%2 labels:linux,x64").arg(r % 40).arg(r % 500);
    int allowed = 0;
    QElapsedTimer clock;
    clock.start();
    const PermissionIndex index(grants); // built once for the list, as a removal of many runners does
    for (const QString &scope : std::as_const(scopes))
        allowed += index.decide(bob, QStringLiteral("runner.delete"), scope).allowed ? 1 : 0;
    const double seconds = clock.nsecsElapsed() / 1e9;
    const double perSecond = scopes.size() / seconds;
    printf("permission checks: %lld removals of a 10,000-runner list against %lld grants in %.1f ms "
           "(%.0f checks/s; %d allowed)\n",
           qint64(scopes.size()), qint64(grants.size()), seconds * 1000, perSecond, allowed);
    benchFigure(QStringLiteral("permissions"), QStringLiteral("runner removals checked (2,005 grants)"),
                perSecond, QStringLiteral("checks/s"));
    return 0;
}
