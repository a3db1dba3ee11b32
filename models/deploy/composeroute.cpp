// Where a tunnel route of a compose project points (composefile.h): the candidates, best first, the
// choice and its refusals, and the compose files a directory offers.
#include "models/deploy/composefile.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ComposeProject)
};

// Ports usually serving HTTP, and ports that do not.
int portScore(int port)
{
    switch (port) {
    case 80:
    case 8080:
    case 3000:
    case 8000:
    case 5000:
    case 8888:
    case 4000:
    case 9000:
    case 8081:
    case 3001:
    case 5173:
    case 8069:
    case 2368:
        return 100;
    case 443:
    case 8443: // TLS: the route's http:// would not reach it
        return 20;
    case 22:
    case 2222:
    case 5432:
    case 3306:
    case 6379:
    case 27017:
    case 11211:
    case 5672:
    case 9092:
    case 2181:
    case 1433:
    case 1521:
    case 25:
    case 53:
    case 389:
    case 636:
        return -100;
    default:
        return 10;
    }
}

bool databaseImage(const QString &image)
{
    static const QRegularExpression db(QStringLiteral(
        "(?:^|/)(?:postgres|postgis|mysql|mariadb|redis|valkey|mongo|memcached|rabbitmq|elasticsearch|"
        "opensearch|clickhouse|minio|openssh-server)(?:[:@/-]|$)"));
    return db.match(image.toLower()).hasMatch();
}
} // namespace

QList<RouteCandidate> routeCandidates(const ComposeProject &project)
{
    QList<RouteCandidate> out;
    for (const ComposeService &s : project.services) {
        if (!s.active)
            continue;
        const bool labelled = s.labels.contains(QStringLiteral("opsdeck.route"));
        const QString label = s.labels.value(QStringLiteral("opsdeck.route")).trimmed().toLower();
        const int labelPort = label.toInt();
        const bool db = databaseImage(s.image);
        QList<int> seen;
        int tcpPorts = 0;
        for (const ComposePort &p : s.ports)
            tcpPorts += p.protocol == QLatin1String("tcp") ? 1 : 0;
        const auto add = [&](const ComposePort &p) {
            RouteCandidate c;
            c.service = s.name;
            c.target = p.target;
            c.port = p;
            c.fixed = p.fixedHostPort();
            c.score = portScore(p.target) + (c.fixed ? 5 : 0) - (db ? 200 : 0);
            c.why = portScore(p.target) >= 100 ? Tr::tr("port %1 usually serves HTTP").arg(p.target)
                    : portScore(p.target) < 0  ? Tr::tr("port %1 usually does not serve HTTP").arg(p.target)
                                               : QString();
            if (db)
                c.why = Tr::tr("%1 is a database or other non-HTTP image").arg(s.image);
            if (labelled && (labelPort == p.target ||
                             ((label.isEmpty() || label == QLatin1String("true")) && tcpPorts == 1))) {
                c.score = 1000 + (c.fixed ? 5 : 0);
                c.why = Tr::tr("labelled opsdeck.route");
            }
            out << c;
        };
        for (const ComposePort &p : s.ports) {
            if (p.protocol != QLatin1String("tcp") || seen.contains(p.target))
                continue;
            seen << p.target;
            add(p);
        }
        for (int e : s.expose)
            if (!seen.contains(e)) {
                seen << e;
                ComposePort p;
                p.target = e;
                add(p);
            }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const RouteCandidate &a, const RouteCandidate &b) { return a.score > b.score; });
    return out;
}

Result<RouteCandidate> chooseRoute(const ComposeProject &project, const QString &service, int target)
{
    const QList<RouteCandidate> all = routeCandidates(project);
    const auto notFixed = [&](const RouteCandidate &c) {
        return makeError(
            "compose.route-port",
            c.port.published.isEmpty()
                ? Tr::tr("%1 publishes container port %2 without a fixed host port, so the engine picks a "
                         "new one "
                         "at every recreate and a route would soon point nowhere. Publish it on a fixed host "
                         "port "
                         "in %3, for example ports: [\"127.0.0.1:8080:%2\"], and deploy again.")
                      .arg(c.service)
                      .arg(c.target)
                      .arg(project.file)
                : Tr::tr(
                      "%1 publishes container port %2 on the host port range %3, which the engine picks from "
                      "at every recreate. Publish it on one fixed host port in %4, for example ports: "
                      "[\"127.0.0.1:%5:%2\"], and deploy again.")
                      .arg(c.service)
                      .arg(c.target)
                      .arg(c.port.published, project.file)
                      .arg(c.port.published.section(QLatin1Char('-'), 0, 0)));
    };
    if (service.isEmpty()) {
        if (all.isEmpty())
            return makeError(
                "compose.route-port",
                Tr::tr("No service of %1 publishes or exposes a TCP port to route to.").arg(project.file));
        const RouteCandidate &best = all.first();
        if (best.score < 0)
            return makeError(
                "compose.route-port",
                Tr::tr("No service of %1 looks like it serves HTTP (%2): choose the service and port "
                       "to route to.")
                    .arg(project.file, best.why));
        if (all.size() > 1 && all.at(1).score == best.score && best.score < 1000)
            return makeError(
                "compose.route-ambiguous",
                Tr::tr("%1 has more than one port that could serve HTTP (%2:%3 and %4:%5): choose the "
                       "service and port to route to, or label one service opsdeck.route.")
                    .arg(project.file, best.service)
                    .arg(best.target)
                    .arg(all.at(1).service)
                    .arg(all.at(1).target));
        if (!best.fixed)
            return notFixed(best);
        return best;
    }
    const ComposeService *s = project.service(service);
    if (!s)
        return makeError("compose.route-service",
                         Tr::tr("%1 has no service %2 to route to.").arg(project.file, service));
    if (!s->active)
        return makeError(
            "compose.route-service",
            Tr::tr("The service %1 runs only with the profile %2, which is not enabled: it would not "
                   "be started.")
                .arg(service, s->profiles.join(QStringLiteral(", "))));
    QList<RouteCandidate> own;
    for (const RouteCandidate &c : all)
        if (c.service == service && (target == 0 || c.target == target))
            own << c;
    if (own.isEmpty())
        return makeError("compose.route-port",
                         target ? Tr::tr("The service %1 does not publish or expose container port %2.")
                                      .arg(service)
                                      .arg(target)
                                : Tr::tr("The service %1 publishes no TCP port.").arg(service));
    if (target == 0 && own.size() > 1)
        return makeError(
            "compose.route-ambiguous",
            Tr::tr("The service %1 has several ports: choose the one to route to.").arg(service));
    if (!own.first().fixed)
        return notFixed(own.first());
    return own.first();
}

QStringList composeFileCandidates(const QStringList &fileNames)
{
    QStringList out;
    for (const char *name : {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"})
        if (fileNames.contains(QLatin1String(name)))
            out << QLatin1String(name);
    QStringList others;
    for (const QString &f : fileNames)
        if ((f.endsWith(QLatin1String(".yml")) || f.endsWith(QLatin1String(".yaml"))) && !out.contains(f) &&
            !f.startsWith(QLatin1Char('.')))
            others << f;
    others.sort();
    return out + others;
}

} // namespace opsdeck
