#include "services/store/demoworkspace.h"

#include "models/connections/connectionstore.h"
#include "models/deploy/job.h"
#include "models/docker/container.h"
#include "models/docker/engineapi.h"
#include "models/docker/hostimage.h"
#include "models/github/labelpolicy.h"
#include "models/github/runner.h"
#include "models/github/runnerpolicystore.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "models/workspace/permissions.h"
#include "services/store/auditlog.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck::DemoWorkspace {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DemoWorkspace)
};
} // namespace

QString dataDir(const QString &baseDataDir)
{
    return baseDataDir + QStringLiteral("/demo");
}

namespace {
// A few hundred runners per GitHub connection: Linux, Windows and macOS pools, online, offline
// and busy, custom and system labels, and some that are gone from GitHub (history).
Result<void> seedRunners(QSqlDatabase db, const Connection &c, const QDateTime &now)
{
    QRandomGenerator rng(quint32(qHash(c.name)));
    const int count = c.option(QStringLiteral("org")) == QLatin1String("infra") ? 90 : 220;
    struct Pool
    {
        const char *prefix, *os, *arch;
        QStringList custom;
    };
    const QList<Pool> pools{
        {"ci-linux-x64", "linux", "x64", {QStringLiteral("team-platform")}},
        {"ci-linux-arm", "linux", "arm64", {QStringLiteral("team-platform"), QStringLiteral("arm-build")}},
        {"gpu-a100", "linux", "x64", {QStringLiteral("gpu-1"), QStringLiteral("team-ml")}},
        {"ci-win", "windows", "x64", {QStringLiteral("team-desktop")}},
        {"ci-mac", "macos", "arm64", {QStringLiteral("team-mobile"), QStringLiteral("xcode-16")}}};
    QList<Runner> runners;
    for (int i = 0; i < count; ++i) {
        const Pool &pool = pools.at(i % pools.size());
        Runner r;
        r.id = 1000 + i;
        r.name = QStringLiteral("%1-%2").arg(QLatin1String(pool.prefix)).arg(i, 3, 10, QLatin1Char('0'));
        r.os = QLatin1String(pool.os) == QLatin1String("macos")     ? QStringLiteral("macOS")
               : QLatin1String(pool.os) == QLatin1String("windows") ? QStringLiteral("Windows")
                                                                    : QStringLiteral("Linux");
        const int roll = int(rng.bounded(100));
        r.status = roll < 12 ? QStringLiteral("offline") : QStringLiteral("online");
        r.busy = r.status == QLatin1String("online") && roll % 3 == 0;
        r.ephemeral = i % 4 == 0;
        r.groupId = 1;
        r.labels =
            QStringList{QStringLiteral("self-hosted"), QLatin1String(pool.os), QLatin1String(pool.arch)} +
            pool.custom;
        if (i % 37 == 0)
            r.labels << QStringLiteral("privileged"); // drifted: forbidden by the demo policy
        runners << r;
    }
    const QString scope = QStringLiteral("org:") + c.option(QStringLiteral("org"));
    // An earlier sync knew some runners that are gone now: they stay as history.
    QList<Runner> earlier = runners;
    for (int i = 0; i < 6; ++i) {
        Runner gone = runners.at(i);
        gone.id = 900 + i;
        gone.name = QStringLiteral("old-build-%1").arg(i);
        earlier << gone;
    }
    if (auto r = storeRunners(db, c.id, scope, earlier, now.addDays(-3)); !r)
        return r.error();
    if (auto r = storeRunners(db, c.id, scope, runners, now.addSecs(-120)); !r)
        return r.error();
    // Some were provisioned through Opsdeck: who asked, when, with which labels. A few have had
    // a label added by hand since: drift.
    const QStringList admins{QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("chen")};
    for (int i = 1; i < runners.size(); i += 5) {
        const Runner &r = runners.at(i);
        RunnerPolicyStore::Provisioning p;
        p.scope = scope;
        p.runnerId = r.id;
        p.name = r.name;
        p.labels = r.labels;
        if (i % 25 == 1 && p.labels.size() > 3)
            p.labels.removeLast();
        p.mode = i % 2 ? ProvisioningMode::JitConfig : ProvisioningMode::RegistrationToken;
        p.requestedBy = admins.at((i / 5) % admins.size());
        p.requestedAt = now.addDays(-(i % 30) - 1);
        if (auto rec = RunnerPolicyStore::recordProvisioning(db, c.id, p); !rec)
            return rec.error();
    }
    // Repositories with runners of their own.
    int nextId = 5000;
    for (const RunnerScope &repo : runnerScopes(c)) {
        if (repo.isOrg())
            continue;
        QList<Runner> own;
        const int n = 6 + int(rng.bounded(8));
        for (int i = 0; i < n; ++i) {
            Runner r;
            r.id = nextId++;
            r.name = QStringLiteral("%1-%2").arg(repo.repo).arg(i + 1, 2, 10, QLatin1Char('0'));
            r.os = QStringLiteral("Linux");
            r.status = rng.bounded(100) < 15 ? QStringLiteral("offline") : QStringLiteral("online");
            r.busy = r.status == QLatin1String("online") && rng.bounded(2) == 0;
            r.ephemeral = true;
            r.groupId = 1;
            r.labels =
                QStringList{QStringLiteral("self-hosted"), QStringLiteral("linux"), QStringLiteral("x64"),
                            QStringLiteral("team-") + repo.repo.section(QLatin1Char('-'), 0, 0)};
            own << r;
        }
        if (auto r = storeRunners(db, c.id, repo.id(), own, now.addSecs(-120)); !r)
            return r.error();
    }
    LabelPolicy policy;
    policy.allowed = {
        parseLabelPattern(QStringLiteral("team-*")), parseLabelPattern(QStringLiteral("re:gpu-[0-9]+")),
        parseLabelPattern(QStringLiteral("arm-build")), parseLabelPattern(QStringLiteral("xcode-*"))};
    policy.required = {QStringLiteral("self-hosted")};
    policy.forbidden = {QStringLiteral("privileged")};
    policy.requireEphemeral = true;
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO runner_policies (connection_id, policy_json, updated_at) VALUES (?, ?, ?)"));
    q.addBindValue(c.id);
    q.addBindValue(QString::fromUtf8(QJsonDocument(policy.toJson()).toJson(QJsonDocument::Compact)));
    q.addBindValue(toStoredTime(now));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Writing the demo label policy"));
    return {};
}
// Finished, failed and cancelled deploy jobs with their steps and logs.
Result<void> seedJobs(QSqlDatabase db, const Connection &c, const QDateTime &now)
{
    struct Demo
    {
        QString kind, title;
        JobState state;
        QStringList steps; // id:title:state
        QString message;
        int minutesAgo, seconds;
        QStringList log;      // stream|text
        QString project = {}; // what a succeeded deploy made (its owner is who asked for it)
        QString by = QStringLiteral("alice");
    };
    const QList<Demo> demos{
        {QStringLiteral("repository"),
         QStringLiteral("Deploy acme/shop"),
         JobState::Succeeded,
         {QStringLiteral("clone:Clone acme/shop:done"), QStringLiteral("up:docker compose up:done"),
          QStringLiteral("done:Done:done")},
         QStringLiteral("shop runs: 4 containers."),
         3 * 24 * 60,
         95,
         {QStringLiteral("info|Step: Clone acme/shop"), QStringLiteral("info|Step: docker compose up"),
          QStringLiteral("stdout| Container shop-web-1  Started")},
         QStringLiteral("shop"),
         QStringLiteral("bob")},
        {QStringLiteral("repository"),
         QStringLiteral("Deploy acme/monitoring"),
         JobState::Succeeded,
         {QStringLiteral("clone:Clone acme/monitoring:done"), QStringLiteral("up:docker compose up:done"),
          QStringLiteral("done:Done:done")},
         QStringLiteral("monitoring runs: 2 containers."),
         9 * 24 * 60,
         61,
         {QStringLiteral("info|Step: Clone acme/monitoring"), QStringLiteral("info|Step: docker compose up"),
          QStringLiteral("stdout| Container monitoring-grafana-1  Started")},
         QStringLiteral("monitoring"),
         QStringLiteral("farid")},
        {QStringLiteral("quick-service"),
         QStringLiteral("Quick service excalidraw/excalidraw:latest"),
         JobState::Succeeded,
         {QStringLiteral("validate:Validate:done"), QStringLiteral("pull:Pull the image:done"),
          QStringLiteral("create:Create the container:done"), QStringLiteral("start:Start it:done"),
          QStringLiteral("done:Done:done")},
         QStringLiteral("excalidraw runs, published on port 8090."),
         2 * 24 * 60,
         41,
         {QStringLiteral("info|Step: Validate"),
          QStringLiteral(
              "info|Host port 8090 chosen (free on this machine, not published by any container)."),
          QStringLiteral("info|Step: Pull the image"),
          QStringLiteral("stdout|latest: Pulling from excalidraw/excalidraw"),
          QStringLiteral("stdout|8a49fdb3b6a5: Pull complete"),
          QStringLiteral(
              "stdout|Digest: sha256:5f6a0e4c1d2b3a49e8f7c6b5a4d3e2f1c0b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5"),
          QStringLiteral("info|Step: Create the container"),
          QStringLiteral("info|Created container excalidraw (3f2a9c1b7d4e)."),
          QStringLiteral("info|Step: Start it"),
          QStringLiteral("info|excalidraw runs, published on port 8090.")},
         QStringLiteral("excalidraw")},
        {QStringLiteral("quick-service"),
         QStringLiteral("Quick service grafana/grafana:11.3.0"),
         JobState::Failed,
         {QStringLiteral("validate:Validate:done"), QStringLiteral("pull:Pull the image:done"),
          QStringLiteral("create:Create the container:done"), QStringLiteral("start:Start it:failed"),
          QStringLiteral("done:Done:skipped")},
         QStringLiteral(
             "Starting grafana-2 failed: the Docker engine answered 500: driver failed programming external "
             "connectivity: Bind for 0.0.0.0:3001 failed: port is already allocated"),
         9 * 24 * 60 + 30,
         12,
         {QStringLiteral("info|Step: Validate"), QStringLiteral("info|Step: Pull the image"),
          QStringLiteral("stdout|Status: Image is up to date for grafana/grafana:11.3.0"),
          QStringLiteral("info|Step: Create the container"),
          QStringLiteral("info|Created container grafana-2 (9e1d0c2b4a6f)."),
          QStringLiteral("info|Step: Start it"),
          QStringLiteral(
              "error|Starting grafana-2 failed: the Docker engine answered 500: driver failed programming "
              "external connectivity: Bind for 0.0.0.0:3001 failed: port is already allocated"),
          QStringLiteral("info|Removed the container 9e1d0c2b4a6f that this job had created.")}},
        {QStringLiteral("quick-service"),
         QStringLiteral("Quick service louislam/uptime-kuma:2"),
         JobState::Cancelled,
         {QStringLiteral("validate:Validate:done"), QStringLiteral("pull:Pull the image:cancelled"),
          QStringLiteral("create:Create the container:skipped"), QStringLiteral("start:Start it:skipped"),
          QStringLiteral("done:Done:skipped")},
         QStringLiteral("Cancelled while pulling: nothing was created."),
         6 * 24 * 60,
         8,
         {QStringLiteral("info|Step: Validate"), QStringLiteral("info|Step: Pull the image"),
          QStringLiteral("stdout|2: Pulling from louislam/uptime-kuma"),
          QStringLiteral("error|Cancel requested by alice."),
          QStringLiteral("error|Cancelled while pulling: nothing was created.")}}};
    const QStringList stepStates{QStringLiteral("pending"), QStringLiteral("running"),
                                 QStringLiteral("done"),    QStringLiteral("failed"),
                                 QStringLiteral("skipped"), QStringLiteral("cancelled")};
    for (const Demo &d : demos) {
        Job j;
        j.connectionId = c.id;
        j.kind = d.kind;
        j.title = d.title;
        j.state = d.state;
        for (const QString &step : d.steps) {
            const QStringList parts = step.split(QLatin1Char(':'));
            j.steps << JobStep{parts.at(0), parts.at(1),
                               StepState(qMax<qsizetype>(0, stepStates.indexOf(parts.at(2)))), QString()};
        }
        j.message = d.message;
        j.requestedBy = d.by;
        if (!d.project.isEmpty())
            j.spec = QJsonObject{{QStringLiteral("project"), d.project}};
        j.createdAt = j.startedAt = now.addSecs(-60LL * d.minutesAgo);
        j.finishedAt = j.startedAt.addSecs(d.seconds);
        auto id = JobStore::create(db, j);
        if (!id)
            return id.error();
        j.id = id.value();
        if (auto r = JobStore::update(db, j); !r)
            return r;
        QList<JobStore::LogEntry> lines;
        int i = 0;
        for (const QString &line : d.log)
            lines << JobStore::LogEntry{j.startedAt.addMSecs(700LL * i++),
                                        line.section(QLatin1Char('|'), 0, 0),
                                        line.section(QLatin1Char('|'), 1)};
        if (auto r = JobStore::appendLog(db, j.id, lines); !r)
            return r;
    }
    return {};
}

// Containers in every state across compose projects and Opsdeck quick services, with health,
// published ports and volumes, and the host's version and disk usage.
Result<void> seedContainers(QSqlDatabase db, const Connection &c, const QDateTime &now)
{
    const bool build = c.name.startsWith(QLatin1String("build"));
    struct Item
    {
        const char *name, *image, *state, *status, *project;
        int privatePort, publicPort;
        const char *volume;
    };
    const QList<Item> items =
        build ? QList<Item>{{"ci-cache", "registry.acme.internal/infra/sccache:0.8", "running", "Up 6 days",
                             "", 4226, 4226, "sccache-data"},
                            {"buildkitd", "moby/buildkit:v0.17.2", "running", "Up 6 days (healthy)", "", 0, 0,
                             "buildkit-state"},
                            {"artifact-proxy", "nginx:1.27-alpine", "running", "Up 2 hours (unhealthy)", "",
                             80, 8088, ""},
                            {"nightly-e2e-7f3a", "registry.acme.internal/qa/e2e-runner:2026.11.22", "exited",
                             "Exited (1) 5 hours ago", "nightly", 0, 0, ""},
                            {"nightly-e2e-9c21", "registry.acme.internal/qa/e2e-runner:2026.11.21", "exited",
                             "Exited (0) 29 hours ago", "nightly", 0, 0, ""}}
              : QList<Item>{
                    {"shop-web-1", "registry.acme.internal/shop/web:2.4.1", "running", "Up 3 hours (healthy)",
                     "shop", 3000, 3000, ""},
                    {"shop-api-1", "ghcr.io/acme/shop-api:1.42.0", "running", "Up 3 hours (healthy)", "shop",
                     8080, 8081, ""},
                    {"shop-db-1", "postgres:16", "running", "Up 3 days (healthy)", "shop", 5432, 0,
                     "shop_pgdata"},
                    {"shop-redis-1", "redis:7.4", "restarting", "Restarting (1) 12 seconds ago", "shop", 6379,
                     0, ""},
                    {"excalidraw", "excalidraw/excalidraw:latest", "running", "Up 2 days", "excalidraw", 80,
                     8090, ""},
                    {"excalidraw-2", "excalidraw/excalidraw:latest", "exited", "Exited (0) 2 days ago",
                     "excalidraw", 80, 0, ""},
                    {"grafana", "grafana/grafana:11.3.0", "running", "Up 9 days", "monitoring", 3000, 3001,
                     "grafana-data"},
                    {"prometheus", "prom/prometheus:v2.55.1", "paused", "Up 9 days (Paused)", "monitoring",
                     9090, 9090, "a3f1c0de9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060f1e"},
                    {"uptime-kuma", "louislam/uptime-kuma:1.23", "created", "Created", "", 3001, 0, ""},
                    {"old-wiki", "requarks/wiki:2.5", "dead", "Dead", "", 3000, 0, "wiki-data"},
                    {"hello", "busybox:1.37", "exited", "Exited (0) 4 weeks ago", "", 0, 0, ""}};
    QList<Container> containers;
    int n = 0;
    for (const Item &item : items) {
        Container k;
        k.id = QString::fromLatin1(
            QCryptographicHash::hash(c.name.toUtf8() + item.name, QCryptographicHash::Sha256).toHex());
        k.name = QLatin1String(item.name);
        k.image = QLatin1String(item.image);
        k.imageId = QStringLiteral("sha256:") +
                    QString::fromLatin1(
                        QCryptographicHash::hash(k.image.toUtf8(), QCryptographicHash::Sha256).toHex());
        k.state = QLatin1String(item.state);
        k.status = QLatin1String(item.status);
        k.health = healthFromStatus(k.status);
        const QString project = QLatin1String(item.project);
        if (!project.isEmpty())
            k.labels.insert(project == QLatin1String("shop") || project == QLatin1String("monitoring")
                                ? QStringLiteral("com.docker.compose.project")
                                : QStringLiteral("opsdeck.project"),
                            project);
        k.project = projectOf(k.labels);
        if (k.image.startsWith(QLatin1String("registry.acme.internal/shop/")))
            k.labels.insert(QStringLiteral("opsdeck.image-project"), QStringLiteral("shop"));
        if (item.privatePort)
            k.ports << PortBinding{item.publicPort ? QStringLiteral("0.0.0.0") : QString(), item.privatePort,
                                   item.publicPort, QStringLiteral("tcp")};
        if (*item.volume)
            k.volumes << QLatin1String(item.volume);
        k.created = now.addSecs(-3600LL * (3 + 17 * n++));
        containers << k;
    }
    if (auto r = storeContainers(db, c.id, containers, now); !r)
        return r.error();
    // The host's images: those its containers run, plus some nothing uses and two without a tag.
    QList<HostImage> images;
    QSet<QString> seen;
    const auto imageOf = [&now](const QString &name, qint64 size, int daysOld, bool tagged = true) {
        HostImage i;
        i.id =
            QStringLiteral("sha256:") +
            QString::fromLatin1(QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex());
        if (tagged)
            i.tags << name;
        // Images from the demo's Harbor carry the digest it scanned (services/store/demoimages.cpp).
        if (tagged && name.startsWith(QLatin1String("registry.acme.internal/"))) {
            const QString inRegistry = name.mid(int(qstrlen("registry.acme.internal/")));
            i.digests << name.section(QLatin1Char(':'), 0, 0) + QStringLiteral("@sha256:") +
                             QString::fromLatin1(
                                 QCryptographicHash::hash((inRegistry + QStringLiteral("@demo")).toUtf8(),
                                                          QCryptographicHash::Sha256)
                                     .toHex());
        }
        i.size = size;
        i.created = now.addDays(-daysOld);
        return i;
    };
    const qint64 mib = 1024LL * 1024;
    int age = 3;
    for (const Container &k : std::as_const(containers))
        if (!seen.contains(k.image)) {
            seen.insert(k.image);
            images << imageOf(k.image, (40 + 37 * (age % 11)) * mib, age);
            age += 5;
        }
    for (const char *unused :
         build
             ? QList<const char *>{"registry.acme.internal/qa/e2e-runner:2026.11.20",
                                   "registry.acme.internal/qa/e2e-runner:2026.11.19", "golang:1.23-bookworm"}
             : QList<const char *>{"ghcr.io/acme/shop-web:1.41.2", "postgres:15", "node:20-alpine"}) {
        images << imageOf(QLatin1String(unused), (180 + 90 * (age % 5)) * mib, 20 + age);
        ++age;
    }
    images << imageOf(c.name + QStringLiteral("-dangling-1"), 612 * mib, 41, false)
           << imageOf(c.name + QStringLiteral("-dangling-2"), 233 * mib, 65, false);
    if (auto r = storeHostImages(db, c.id, images, now); !r)
        return r.error();
    if (!build)
        if (auto r = seedJobs(db, c, now); !r)
            return r;
    const QJsonObject version{{QStringLiteral("Version"), QStringLiteral("27.3.1")},
                              {QStringLiteral("ApiVersion"), QStringLiteral("1.47")},
                              {QStringLiteral("MinAPIVersion"), QStringLiteral("1.24")},
                              {QStringLiteral("Os"), QStringLiteral("linux")},
                              {QStringLiteral("Arch"), QStringLiteral("amd64")}};
    const qint64 gib = 1024LL * 1024 * 1024;
    const QList<DiskUsageKind> usage{
        {QStringLiteral("images"), 23, 9, 14 * gib, 6 * gib + gib / 3},
        {QStringLiteral("containers"), int(items.size()), 7, 2 * gib / 5, gib / 9},
        {QStringLiteral("volumes"), 8, 5, 31 * gib, 3 * gib},
        {QStringLiteral("build cache"), 412, 0, 9 * gib, 9 * gib}};
    return storeHostFacts(db, c.id, version, QString::fromLatin1(EngineApi::newest), diskUsageToJson(usage),
                          now.addSecs(-60));
}
} // namespace

// The team workspace as this desktop's copy has it: people in every role and state, the default
// grants and a few of the team's own.
static Result<void> seedWorkspace(QSqlDatabase db, const QDateTime &now)
{
    struct Person
    {
        const char *login, *name, *role;
        bool active;
        const char *github;
        int seenHoursAgo;
    };
    const Person people[] = {
        {"alice", "Alice Martin", "superuser", true, "alice-m", 1},
        {"chen", "Chen Wei", "superuser", true, "chenw", 5},
        {"bob", "Bob Okafor", "admin", true, "bokafor", 2},
        {"dana", "Dana Kowalski", "admin", true, "dkowal", 30},
        {"erin", "Erin Walsh", "user", true, "erinw", 3},
        {"gwen", "Gwen Silva", "user", true, "", 200},
        {"farid", "Farid Haddad", "user", false, "fhaddad", 24 * 40},
    };
    QSqlQuery q(db);
    // A copy the workspace service wrote before the demo was seeded gives way to the demo's team.
    for (const char *table : {"workspace_people", "workspace_grants", "workspace_state"})
        if (!q.exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table))))
            return Database::describe(q.lastError(), Tr::tr("Writing the demo team"));
    q.prepare(QStringLiteral(
        "INSERT INTO workspace_people (login, email, display_name, role, active, github_login, "
        "created_at, last_seen_at, harbor_user, litellm_user) VALUES (?,?,?,?,?,?,?,?,?,?)"));
    for (const Person &p : people) {
        q.addBindValue(QLatin1String(p.login));
        q.addBindValue(QStringLiteral("%1@acme.example").arg(QLatin1String(p.login)));
        q.addBindValue(QLatin1String(p.name));
        q.addBindValue(QLatin1String(p.role));
        q.addBindValue(p.active ? 1 : 0);
        q.addBindValue(QLatin1String(p.github));
        q.addBindValue(toStoredTime(now.addDays(-200)));
        q.addBindValue(toStoredTime(now.addSecs(-3600LL * p.seenHoursAgo)));
        // Identities on Harbor and LiteLLM for those who have accounts there.
        const bool elsewhere = QByteArrayView(p.role) != "superuser" && QByteArrayView(p.login) != "gwen";
        q.addBindValue(elsewhere ? QString(QLatin1String(p.github)) : QStringLiteral(""));
        q.addBindValue(elsewhere ? QStringLiteral("%1@acme.example").arg(QLatin1String(p.login))
                                 : QStringLiteral(""));
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Writing the demo team"));
    }
    QList<WorkspaceGrant> grants = defaultGrants();
    const auto extra = [](const char *kind, const char *subject, const char *action, const char *scope,
                          bool allow) {
        WorkspaceGrant g;
        g.subjectKind = QLatin1String(kind);
        g.subject = QLatin1String(subject);
        g.action = QLatin1String(action);
        g.scope = QLatin1String(scope);
        g.allow = allow;
        g.grantedBy = QStringLiteral("bob");
        return g;
    };
    grants << extra("person", "erin", "container.*", "project:shop", true)
           << extra("role", "user", "runner.provision", "connection:*-prod", false)
           << extra("person", "dana", "deploy.*", "connection:prod-*", false);
    q.prepare(
        QStringLiteral("INSERT INTO workspace_grants (id, subject_kind, subject, action, scope, effect, "
                       "granted_by) VALUES (?,?,?,?,?,?,?)"));
    int id = 0;
    for (const WorkspaceGrant &g : grants) {
        q.addBindValue(++id);
        q.addBindValue(g.subjectKind);
        q.addBindValue(g.subject);
        q.addBindValue(g.action);
        q.addBindValue(g.scope);
        q.addBindValue(g.allow ? QStringLiteral("allow") : QStringLiteral("deny"));
        q.addBindValue(g.grantedBy);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Writing the demo grants"));
    }
    q.prepare(QStringLiteral("INSERT INTO workspace_state (id, address, online, problem, synced_at, kind, "
                             "desktop_id, login) VALUES "
                             "(1, ?, 1, '', ?, 'team', 'demo-desktop', 'alice')"));
    q.addBindValue(QStringLiteral("postgresql://alice@db.acme.example:5432/opsdeck"));
    q.addBindValue(toStoredTime(now.addSecs(-120)));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Writing the demo team"));

    // What the team's other desktops recorded, as pulled from the team workspace's audit trail.
    struct TeamEvent
    {
        const char *desktop, *person, *system, *action, *kind, *target, *outcome, *comment;
        int minutesAgo;
    };
    const TeamEvent events[] = {
        {"bob-laptop-3f2a91c0", "bob", "github", "runner.delete", "runner", "ci-linux-07", "success", "", 95},
        {"bob-laptop-3f2a91c0", "bob", "docker", "container.restart", "container", "shop-web-1", "success",
         "", 80},
        {"bob-laptop-3f2a91c0", "bob", "opsdeck", "workspace.join", "workspace", "opsdeck", "success", "",
         400},
        {"dana-ws-77c01b2e", "dana", "docker", "deploy.finish", "deployment", "docs-site", "failure",
         "compose config: service \"web\" has no image", 50},
        {"dana-ws-77c01b2e", "dana", "github", "policy.update", "policy", "acme", "success",
         "gpu runners for the ml team", 30},
        {"erin-mbp-0c9d4e11", "erin", "github", "runner.create", "runner", "jit-erin-4411", "success", "",
         12},
    };
    QHash<QString, int> seqs;
    for (const TeamEvent &t : events) {
        AuditEvent e;
        e.source = QStringLiteral("team:") + QLatin1String(t.desktop);
        e.timestamp = now.addSecs(-60 * t.minutesAgo);
        e.osUser = QLatin1String(t.person);
        e.system = QLatin1String(t.system);
        e.action = QLatin1String(t.action);
        e.targetKind = QLatin1String(t.kind);
        e.targetName = QLatin1String(t.target);
        e.outcome = outcomeFromId(QLatin1String(t.outcome)).value_or(AuditOutcome::Success);
        e.comment = QLatin1String(t.comment);
        const int seq = ++seqs[QLatin1String(t.desktop)] * 7;
        e.details = QJsonObject{
            {QStringLiteral("team"), QJsonObject{{QStringLiteral("desktop"), QLatin1String(t.desktop)},
                                                 {QStringLiteral("seq"), seq},
                                                 {QStringLiteral("os_user"), QLatin1String(t.person)}}}};
        if (auto r = AuditLog::import(db, e); !r)
            return r.error();
        q.prepare(QStringLiteral("INSERT INTO team_audit_pulled (desktop_id, seq) VALUES (?, ?) ON CONFLICT "
                                 "(desktop_id) DO UPDATE SET seq = excluded.seq"));
        q.addBindValue(QLatin1String(t.desktop));
        q.addBindValue(seq);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Writing the demo team"));
    }
    return {};
}

Result<void> seed()
{
    QSqlDatabase db = Database::connection();
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM connections")) || !q.next())
            return Database::describe(q.lastError(), Tr::tr("Reading the demo workspace"));
        if (q.value(0).toInt() > 0)
            return {};
    }
    QFile file(QStringLiteral(":/demo/connections.json"));
    if (!file.open(QIODevice::ReadOnly))
        return makeError("demo.missing", Tr::tr("The demo data is missing from this build."));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError("demo.invalid",
                         Tr::tr("The demo data is invalid: %1").arg(parseError.errorString()));

    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    qint64 harborId = 0;
    qint64 mirrorId = 0;
    qint64 liteLLMId = 0;
    qint64 githubId = 0;
    for (const QJsonValue &value : doc.object().value(QLatin1String("connections")).toArray()) {
        const QJsonObject o = value.toObject();
        Connection c;
        c.kind = kindFromId(o.value(QLatin1String("kind")).toString()).value_or(ConnectionKind::GitHub);
        c.name = o.value(QLatin1String("name")).toString();
        c.endpoint = o.value(QLatin1String("endpoint")).toString();
        c.auth = authFromId(o.value(QLatin1String("auth")).toString()).value_or(AuthKind::None);
        c.username = o.value(QLatin1String("username")).toString();
        c.syncIntervalSec = o.value(QLatin1String("sync_interval_s")).toInt(300);
        c.options = o.value(QLatin1String("options")).toObject();
        auto stored = ConnectionStore::save(tx.db(), c);
        if (!stored)
            return stored.error();
        // Sync history relative to now, so staleness reads naturally in the status bar.
        const QJsonObject sync = o.value(QLatin1String("sync")).toObject();
        const int minutesAgo = sync.value(QLatin1String("success_minutes_ago")).toInt(-1);
        if (minutesAgo >= 0)
            if (auto r = ConnectionStore::recordSuccess(tx.db(), stored->id, QStringLiteral("health"),
                                                        now.addSecs(-60 * minutesAgo));
                !r)
                return r;
        const QString error = sync.value(QLatin1String("error")).toString();
        if (!error.isEmpty()) {
            const int errorAgo = sync.value(QLatin1String("error_minutes_ago")).toInt(0);
            if (auto r = ConnectionStore::recordFailure(
                    tx.db(), stored->id, QStringLiteral("health"), now.addSecs(-60 * errorAgo),
                    Error{sync.value(QLatin1String("error_code")).toString(QStringLiteral("http.server")),
                          error});
                !r)
                return r;
        }
        tx.touch(Tables::connections, stored->id);
        tx.touch(Tables::syncState, stored->id);
        if (stored->kind == ConnectionKind::Harbor && harborId == 0)
            harborId = stored->id;
        if (stored->kind == ConnectionKind::Registry && mirrorId == 0)
            mirrorId = stored->id;
        if (stored->kind == ConnectionKind::LiteLLM && liteLLMId == 0)
            liteLLMId = stored->id;
        if (stored->kind == ConnectionKind::GitHub) {
            if (githubId == 0)
                githubId = stored->id;
            if (auto r = seedRunners(tx.db(), stored.value(), now); !r)
                return r;
            tx.touch(Tables::runners, stored->id);
        }
        if (stored->kind == ConnectionKind::Docker) {
            if (auto r = seedContainers(tx.db(), stored.value(), now); !r)
                return r;
            tx.touch(Tables::containers, stored->id);
            tx.touch(Tables::dockerHosts, stored->id);
            tx.touch(Tables::hostImages, stored->id);
            tx.touch(Tables::jobs, stored->id);
        }
    }
    if (auto r = seedWorkspace(tx.db(), now); !r)
        return r;
    if (auto r = seedOffboarding(tx.db(), now); !r)
        return r;
    if (auto r = seedImages(tx.db(), now, harborId, mirrorId); !r)
        return r;
    if (auto r = seedBudgets(tx.db(), now, liteLLMId); !r)
        return r;
    if (auto r = seedTestRuns(tx.db(), now, githubId); !r)
        return r;
    for (const char *table : {"test_sources", "test_runs", "test_cases", "test_workflow_runs",
                              "test_artifacts", "test_mocks", "test_mock_health"})
        tx.touch(QLatin1String(table));
    for (const char *table :
         {"litellm_organizations", "litellm_teams", "litellm_team_members", "litellm_users", "litellm_keys",
          "litellm_customers", "litellm_spend_logs", "litellm_daily_spend", "litellm_proxy_state",
          "budget_thresholds", "budget_alerts"})
        tx.touch(QLatin1String(table), liteLLMId);
    for (const char *table : {"registry_tags", "registry_repositories", "harbor_projects",
                              "workspace_projects", "workspace_image_allowlist", "workspace_image_requests",
                              "image_vulnerabilities", "workspace_image_gate", "workspace_cve_exceptions"})
        tx.touch(QLatin1String(table));
    tx.touch(QStringLiteral("offboardings"));
    tx.touch(QStringLiteral("offboarding_steps"));
    tx.touch(QStringLiteral("workspace_people"));
    tx.touch(QStringLiteral("workspace_grants"));
    tx.touch(QStringLiteral("workspace_state"));
    tx.touch(AuditLog::table);
    return tx.commit();
}

Result<void> seedAudit(int count, const std::function<bool(qint64, qint64)> &progress)
{
    QSqlDatabase db = Database::connection();
    auto connections = ConnectionStore::all(db);
    if (!connections)
        return connections.error();
    if (connections->isEmpty())
        return makeError("demo.empty",
                         Tr::tr("The demo workspace has no connections to write audit events for."));

    struct Template
    {
        const QString &action;
        const char *targetKind;
        const char *targetPattern;
        int weight;
    };
    const QHash<ConnectionKind, QList<Template>> templates{
        {ConnectionKind::GitHub,
         {{AuditAction::syncComplete, "runners", "organization runners", 40},
          {AuditAction::runnerCreate, "runner", "ci-linux-x64-%1", 8},
          {AuditAction::runnerDelete, "runner", "ci-linux-x64-%1", 6},
          {AuditAction::runnerDrift, "runner", "gpu-runner-%1", 2},
          {AuditAction::policyUpdate, "label-policy", "default policy", 1},
          {AuditAction::userDisable, "user", "contractor-%1", 1},
          {AuditAction::syncFailed, "runners", "organization runners", 2}}},
        {ConnectionKind::Docker,
         {{AuditAction::syncComplete, "containers", "all containers", 30},
          {AuditAction::containerStart, "container", "grafana-%1", 5},
          {AuditAction::containerStop, "container", "grafana-%1", 5},
          {AuditAction::containerRestart, "container", "excalidraw-%1", 4},
          {AuditAction::containerRemove, "container", "scratch-%1", 2},
          {AuditAction::deployStart, "project", "team-wiki-%1", 3},
          {AuditAction::deployFinish, "project", "team-wiki-%1", 3}}},
        {ConnectionKind::Harbor,
         {{AuditAction::syncComplete, "projects", "all projects", 20},
          {AuditAction::imageRequest, "image", "library/postgres:16.%1", 3},
          {AuditAction::imageApprove, "image", "library/postgres:16.%1", 2}}},
        {ConnectionKind::LiteLLM,
         {{AuditAction::syncComplete, "budgets", "all budgets", 20},
          {AuditAction::budgetUpdate, "team", "team-%1", 2}}},
        {ConnectionKind::Cloudflare, {{AuditAction::syncComplete, "tunnel", "acme tunnel", 15}}},
        {ConnectionKind::Registry, {{AuditAction::syncComplete, "catalog", "catalog", 10}}},
    };
    const QStringList users{QStringLiteral("maria"), QStringLiteral("jonas"), QStringLiteral("priya"),
                            QStringLiteral("tom"), QStringLiteral("svc-opsdeck")};
    const QStringList comments{QStringLiteral("decommissioned with the old build farm"),
                               QStringLiteral("runner stuck offline for 3 days"),
                               QStringLiteral("rotating after the label policy change"),
                               QStringLiteral("requested in OPS-1432"),
                               QStringLiteral("quarterly clean-up"),
                               QStringLiteral("incident 2026-10-14: restart after OOM")};
    const QStringList errors{
        QStringLiteral("HTTP 503 Service Unavailable"), QStringLiteral("connection timed out"),
        QStringLiteral("409 Conflict: runner is busy"), QStringLiteral("TLS handshake failed")};

    QRandomGenerator rng(4711); // the same demo every time
    const QDateTime end = QDateTime::currentDateTimeUtc().addSecs(-60);
    const QDateTime start = end.addDays(-90);
    const qint64 spanMs = start.msecsTo(end);
    constexpr int batch = 10000;
    for (int done = 0; done < count;) {
        CacheTransaction tx;
        if (auto r = tx.begin(); !r)
            return r;
        AuditAppender appender(tx.db());
        if (auto r = appender.start(); !r)
            return r;
        const int upto = qMin(count, done + batch);
        for (; done < upto; ++done) {
            const Connection &c = connections->at(int(rng.bounded(int(connections->size()))));
            const QList<Template> &choices = templates.value(c.kind);
            int total = 0;
            for (const Template &t : choices)
                total += t.weight;
            int pick = int(rng.bounded(total));
            const Template *t = &choices.first();
            for (const Template &candidate : choices) {
                if (pick < candidate.weight) {
                    t = &candidate;
                    break;
                }
                pick -= candidate.weight;
            }
            AuditEvent e;
            e.timestamp = start.addMSecs(qint64(double(spanMs) * done / count) + qint64(rng.bounded(1000)));
            const bool service =
                t->action == AuditAction::syncComplete || t->action == AuditAction::syncFailed;
            e.osUser = service ? QStringLiteral("svc-opsdeck") : users.at(int(rng.bounded(4)));
            e.backendIdentity =
                c.kind == ConnectionKind::GitHub ? e.osUser + QStringLiteral("-acme") : QString();
            e.connectionId = c.id;
            e.connectionName = c.name;
            e.system = kindId(c.kind);
            e.action = t->action;
            e.targetKind = QString::fromLatin1(t->targetKind);
            const int number = int(rng.bounded(1, 120));
            e.targetId = QString::number(100000 + number);
            const QString pattern = QString::fromLatin1(t->targetPattern);
            e.targetName = pattern.contains(QLatin1String("%1"))
                               ? pattern.arg(number, 3, 10, QLatin1Char('0'))
                               : pattern;
            const int roll = int(rng.bounded(100));
            e.outcome = t->action == AuditAction::syncFailed ? AuditOutcome::Failure
                        : roll < 3                           ? AuditOutcome::Failure
                        : roll < 4                           ? AuditOutcome::Partial
                                                             : AuditOutcome::Success;
            if (t->action == AuditAction::runnerDelete || t->action == AuditAction::containerRemove ||
                t->action == AuditAction::userDisable)
                e.comment = comments.at(int(rng.bounded(int(comments.size()))));
            QJsonObject details{{QStringLiteral("duration_ms"), int(rng.bounded(40, 4000))}};
            if (service)
                details.insert(QStringLiteral("rows"), int(rng.bounded(5, 400)));
            if (e.outcome != AuditOutcome::Success)
                details.insert(QStringLiteral("error"), errors.at(int(rng.bounded(int(errors.size())))));
            e.details = details;
            if (auto r = appender.append(e); !r)
                return r.error();
        }
        if (auto r = appender.finish(); !r)
            return r;
        tx.touch(AuditLog::table);
        if (auto r = tx.commit(); !r)
            return r;
        if (progress && !progress(done, count))
            return makeError("demo.cancelled", Tr::tr("Preparing the demo audit log was cancelled."));
    }
    return {};
}

} // namespace opsdeck::DemoWorkspace
