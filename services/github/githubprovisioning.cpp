// GitHubService, the provisioning half: new runners (JIT config or registration token) under the
// label policy, removal with a comment, label restore and policy changes. The sync half is
// githubservice.cpp.
#include "services/github/githubservice.h"
#include "services/github/githubservice_p.h"

#include "models/connections/connectionstore.h"
#include "models/github/githubanswers.h"
#include "models/github/runner.h"
#include "models/github/runnerpolicystore.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/connections/probes.h"
#include "services/connections/secretstore.h"
#include "services/github/githubapptoken.h"
#include "services/store/auditlog.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTimer>

namespace opsdeck {

namespace {
// https://api.github.com -> https://github.com; https://ghe.example/api/v3 -> https://ghe.example
QString webUrl(const Connection &c)
{
    QUrl url(c.endpoint.trimmed());
    if (url.host() == QLatin1String("api.github.com"))
        url.setHost(QStringLiteral("github.com"));
    QString path = url.path();
    if (path.endsWith(QLatin1String("/api/v3")))
        path.chop(7);
    url.setPath(path);
    return url.toString(QUrl::StripTrailingSlash);
}
} // namespace

void GitHubService::deleteRunner(const Connection &c, const QString &scopeId, qint64 runnerId,
                                 const QString &action, const QString &comment, const QJsonObject &details,
                                 Done done)
{
    withClient(c, [this, c, scopeId, runnerId, action, comment, details, done](HttpClient *client,
                                                                               const Error &error) {
        const auto audit = [c, scopeId, runnerId, action, comment,
                            details](const Outcome &outcome) -> Outcome {
            // The cache change (runner removed) and its audit event in one transaction.
            CacheTransaction tx;
            if (auto r = tx.begin(); !r)
                return Outcome::failure(r.error());
            QString name;
            {
                QSqlQuery q(tx.db());
                q.prepare(QStringLiteral(
                    "SELECT name FROM runners WHERE connection_id = ? AND scope = ? AND runner_id = ?"));
                q.addBindValue(c.id);
                q.addBindValue(scopeId);
                q.addBindValue(runnerId);
                if (q.exec() && q.next())
                    name = q.value(0).toString();
            }
            if (outcome.ok) {
                if (auto r =
                        markRunnerRemoved(tx.db(), c.id, scopeId, runnerId, QDateTime::currentDateTimeUtc());
                    !r)
                    return Outcome::failure(r.error());
            }
            AuditEvent e = githubEvent(c, action, QStringLiteral("runner"), QString::number(runnerId), name);
            e.comment = comment;
            e.outcome = outcome.ok ? AuditOutcome::Success : AuditOutcome::Failure;
            QJsonObject d = details;
            d.insert(QStringLiteral("scope"), scopeId);
            if (!outcome.ok)
                d.insert(QStringLiteral("error"), outcome.message);
            e.details = d;
            if (auto r = AuditLog::append(tx.db(), e); !r)
                return Outcome::failure(r.error());
            tx.touch(Tables::runners, c.id);
            tx.touch(AuditLog::table, c.id);
            if (auto r = tx.commit(); !r)
                return Outcome::failure(r.error());
            return outcome;
        };
        if (!client)
            return done(audit(Outcome::failure(error)));
        const auto scope = RunnerScope::fromId(scopeId);
        if (!scope)
            return done(audit(Outcome::failure(
                makeError("runner.scope", tr("Runner %1 has no known organization or repository (\"%2\").")
                                              .arg(runnerId)
                                              .arg(scopeId)))));
        HttpRequest r;
        r.method = "DELETE";
        r.url = apiUrl(c.endpoint, scope->apiPath() + QStringLiteral("/actions/runners/%1").arg(runnerId));
        r.what = tr("Removing runner %1").arg(runnerId);
        client->send(r, this, [audit, done](const HttpResponse &response) {
            done(audit(response.ok() ? Outcome::success() : Outcome::failure(*response.error)));
        });
    });
}

void GitHubService::removeRunners(quint64 requestId, qint64 connectionId, const QList<qint64> &runnerIds,
                                  const QString &comment)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found || comment.trimmed().isEmpty()) {
        const Outcome refused =
            !found ? Outcome::failure(found.error())
                   : Outcome::failure(makeError("runner.comment", tr("Removing runners needs a comment.")));
        for (qint64 id : runnerIds)
            emit runnerRemoved(requestId, id, refused);
        return emit removeFinished(requestId, 0, int(runnerIds.size()));
    }
    const Connection c = found.value();
    // Each runner's organization or repository, from the cache.
    QHash<qint64, QString> scopes;
    QHash<qint64, QString> owners; // who provisioned each runner through Opsdeck
    {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT runner_id, scope FROM runners WHERE connection_id = ? ORDER BY "
                                 "removed_at IS NULL"));
        q.addBindValue(connectionId);
        if (q.exec())
            while (q.next())
                scopes.insert(q.value(0).toLongLong(), q.value(1).toString());
        q.prepare(QStringLiteral(
            "SELECT runner_id, requested_by FROM runner_provisioning WHERE connection_id = ?"));
        q.addBindValue(connectionId);
        if (q.exec())
            while (q.next())
                owners.insert(q.value(0).toLongLong(), q.value(1).toString());
        // The team's record, which knows the runners other desktops provisioned, has the last word.
        q.prepare(
            QStringLiteral("SELECT runner, owner_login FROM workspace_runner_owners WHERE connection = ?"));
        q.addBindValue(c.name);
        if (q.exec())
            while (q.next())
                owners.insert(q.value(0).toLongLong(), q.value(1).toString());
    }
    auto remaining = std::make_shared<QList<qint64>>(runnerIds);
    auto removed = std::make_shared<int>(0);
    auto failed = std::make_shared<int>(0);
    const int total = int(runnerIds.size());
    // The loop holds itself only weakly; each pending request keeps it alive until it answers.
    auto step = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weak = step;
    *step = [this, c, scopes, owners, requestId, comment, remaining, removed, failed, total, weak] {
        if (remaining->isEmpty())
            return emit removeFinished(requestId, *removed, *failed);
        const qint64 id = remaining->takeFirst();
        const QString owner = owners.value(id);
        const auto decided = decideActing(
            Database::connection(), AuditAction::runnerDelete,
            connectionFacet(c.name) + (owner.isEmpty() ? QString() : QStringLiteral(" owner:") + owner));
        Result<void> allowed;
        if (!decided)
            allowed = decided.error();
        else if (!decided->decision.allowed)
            allowed = makeError(
                "permission.denied",
                !owner.isEmpty() && owner != decided->login
                    ? tr("Not yours: runner %1 was provisioned by %2. %3")
                          .arg(id)
                          .arg(owner, decided->decision.reason)
                    : tr("Refused by the workspace's permissions: %1").arg(decided->decision.reason));
        if (!allowed) {
            // Refused before GitHub hears of it, and audited as refused.
            AuditEvent e = githubEvent(c, AuditAction::runnerDelete, QStringLiteral("runner"),
                                       QString::number(id), QString());
            e.outcome = AuditOutcome::Failure;
            e.comment = comment.trimmed();
            e.details.insert(QStringLiteral("error"), allowed.message());
            if (auto r = AuditLog::record(e); !r)
                qCWarning(lcGitHub).noquote() << "cannot write the audit log:" << r.message();
            ++*failed;
            emit runnerRemoved(requestId, id, Outcome::failure(allowed.error()));
            emit removeProgress(requestId, total - int(remaining->size()), total);
            return (*weak.lock())();
        }
        deleteRunner(c, scopes.value(id), id, AuditAction::runnerDelete, comment.trimmed(), {},
                     [this, requestId, id, removed, failed, remaining, total,
                      self = weak.lock()](const Outcome &outcome) {
                         ++(outcome.ok ? *removed : *failed);
                         emit runnerRemoved(requestId, id, outcome);
                         emit removeProgress(requestId, total - int(remaining->size()), total);
                         (*self)();
                     });
    };
    (*step)();
}

void GitHubService::provision(quint64 requestId, qint64 connectionId, const QString &scopeId,
                              const QString &name, qint64 runnerGroupId, const QStringList &labels,
                              ProvisioningMode mode)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit provisioned(requestId, Outcome::failure(found.error()), {});
    const Connection c = found.value();
    const QList<RunnerScope> scopes = runnerScopes(c);
    std::optional<RunnerScope> chosen;
    for (const RunnerScope &s : scopes)
        if (s.id() == scopeId || (scopeId.isEmpty() && !chosen))
            chosen = s;
    const RunnerScope scope = chosen.value_or(RunnerScope{});
    AuditEvent event = githubEvent(c, AuditAction::runnerCreate, QStringLiteral("runner"), QString(), name);
    event.details = QJsonObject{{QStringLiteral("labels"), QJsonArray::fromStringList(labels)},
                                {QStringLiteral("mode"), provisioningModeId(mode)},
                                {QStringLiteral("runner_group_id"), runnerGroupId},
                                {QStringLiteral("scope"), scopeId.isEmpty() ? scope.id() : scopeId}};
    const auto refuse = [this, requestId](AuditEvent e, const Error &error) {
        e.outcome = AuditOutcome::Failure;
        e.details.insert(QStringLiteral("error"), error.message);
        if (auto r = AuditLog::record(e); !r)
            qCWarning(lcGitHub).noquote() << "cannot write the audit log:" << r.message();
        emit provisioned(requestId, Outcome::failure(error), {});
    };
    // Everything is checked here, before anything reaches GitHub: first whether this person may.
    if (auto allowed =
            checkActing(Database::connection(), QStringLiteral("runner.provision"),
                        QStringLiteral("%1 mode:%2 labels:%3")
                            .arg(connectionFacet(c.name),
                                 mode == ProvisioningMode::JitConfig ? QStringLiteral("jit")
                                                                     : QStringLiteral("registration"),
                                 labels.join(QLatin1Char(','))));
        !allowed)
        return refuse(event, allowed.error());
    if (!chosen)
        return refuse(event, makeError("runner.scope",
                                       tr("\"%1\" is not an organization or repository of the connection %2.")
                                           .arg(scopeId, c.name)));
    if (auto valid = validateRunnerName(name); !valid)
        return refuse(event, valid.error());
    auto policy = RunnerPolicyStore::load(Database::connection(), connectionId);
    if (!policy)
        return refuse(event, policy.error());
    const QList<PolicyViolation> violations = checkRequest(policy.value(), labels, mode);
    if (!violations.isEmpty()) {
        QStringList messages;
        for (const PolicyViolation &v : violations)
            messages << v.message;
        event.details.insert(QStringLiteral("violations"), QJsonArray::fromStringList(messages));
        return refuse(
            event, makeError("policy.violation",
                             tr("Refused by the label policy: %1").arg(messages.join(QStringLiteral(" ")))));
    }
    const bool ephemeral = policy->requireEphemeral;
    withClient(c, [this, c, scope, name, runnerGroupId, labels, mode, ephemeral, requestId, event,
                   refuse](HttpClient *client, const Error &error) mutable {
        if (!client)
            return refuse(event, error);
        HttpRequest r;
        r.method = "POST";
        const QStringList sent = mode == ProvisioningMode::JitConfig ? jitLabels(labels) : labels;
        if (mode == ProvisioningMode::JitConfig) {
            r.url =
                apiUrl(c.endpoint, scope.apiPath() + QStringLiteral("/actions/runners/generate-jitconfig"));
            r.body = QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                               {QStringLiteral("runner_group_id"), runnerGroupId},
                                               {QStringLiteral("labels"), QJsonArray::fromStringList(sent)},
                                               {QStringLiteral("work_folder"), QStringLiteral("_work")}})
                         .toJson(QJsonDocument::Compact);
            r.what = tr("Creating the just-in-time runner %1").arg(name);
        } else {
            r.url =
                apiUrl(c.endpoint, scope.apiPath() + QStringLiteral("/actions/runners/registration-token"));
            r.what = tr("Requesting a registration token for %1").arg(scope.display());
        }
        r.headers.emplaceBack("Content-Type", "application/json");
        client->send(
            r, this,
            [this, c, scope, name, runnerGroupId, sent, mode, ephemeral, requestId, event,
             refuse](const HttpResponse &response) mutable {
                if (!response.ok())
                    return refuse(event, *response.error);
                QJsonObject result;
                qint64 runnerId = 0;
                if (mode == ProvisioningMode::JitConfig) {
                    const auto answer = parseJitConfigAnswer(response.body);
                    if (!answer)
                        return refuse(event, answer.error());
                    const QString config = answer->encodedJitConfig;
                    runnerId = answer->runner.id;
                    result = {
                        {QStringLiteral("runner_id"), runnerId},
                        {QStringLiteral("encoded_jit_config"), config},
                        {QStringLiteral("run_command"),
                         QStringLiteral("./run.sh --jitconfig %1").arg(config)},
                        {QStringLiteral("container_command"),
                         QStringLiteral(
                             "docker run --rm ghcr.io/actions/actions-runner:latest ./run.sh --jitconfig %1")
                             .arg(config)}};
                } else {
                    const auto answer = parseTokenAnswer(response.body);
                    if (!answer)
                        return refuse(event, answer.error());
                    const QString token = answer->token;
                    QStringList args{
                        QStringLiteral("./config.sh"), QStringLiteral("--unattended"),
                        QStringLiteral("--url"),       webUrl(c) + QLatin1Char('/') + scope.display(),
                        QStringLiteral("--token"),     token,
                        QStringLiteral("--name"),      name};
                    if (!customLabels(sent).isEmpty())
                        args << QStringLiteral("--labels") << customLabels(sent).join(QLatin1Char(','));
                    if (runnerGroupId > 1)
                        args << QStringLiteral("--runnergroup") << QString::number(runnerGroupId);
                    if (ephemeral)
                        args << QStringLiteral("--ephemeral");
                    result = {{QStringLiteral("token"), token},
                              {QStringLiteral("expires_at"), answer->expiresAt.toString(Qt::ISODate)},
                              {QStringLiteral("config_command"), args.join(QLatin1Char(' '))}};
                }
                // Record what was asked, by whom, with the runner id (JIT) — never the config or token.
                CacheTransaction tx;
                if (auto b = tx.begin(); !b)
                    return refuse(event, b.error());
                RunnerPolicyStore::Provisioning p;
                p.scope = scope.id();
                // A registration token has no runner yet: a unique negative placeholder until the
                // sync sees a runner of this name register.
                p.runnerId = runnerId ? runnerId : -QDateTime::currentMSecsSinceEpoch();
                p.name = name;
                p.labels = sent;
                p.mode = mode;
                // The owner: the workspace person acting here (whom "owner:self" grants name), else
                // the OS user of a desktop that has not read its workspace yet.
                const auto acting = decideActing(tx.db(), AuditAction::runnerCreate, QString());
                p.requestedBy =
                    acting && !acting->login.isEmpty() ? acting->login : AuditLog::currentOsUser();
                p.requestedAt = QDateTime::currentDateTimeUtc();
                if (auto rec = RunnerPolicyStore::recordProvisioning(tx.db(), c.id, p); !rec)
                    return refuse(event, rec.error());
                event.targetId = runnerId ? QString::number(runnerId) : QString();
                event.details.insert(QStringLiteral("labels"), QJsonArray::fromStringList(sent));
                if (mode == ProvisioningMode::RegistrationToken)
                    event.details.insert(QStringLiteral("token_expires_at"),
                                         result.value(QLatin1String("expires_at")).toString());
                if (auto a = AuditLog::append(tx.db(), event); !a)
                    return refuse(event, a.error());
                tx.touch(Tables::runnerProvisioning, c.id);
                tx.touch(AuditLog::table, c.id);
                if (auto done = tx.commit(); !done)
                    return refuse(event, done.error());
                emit provisioned(requestId, Outcome::success(), result);
                if (runnerId)
                    syncRunners(c.id); // show the new runner
            });
    });
}

void GitHubService::restoreLabels(quint64 requestId, qint64 connectionId, qint64 runnerId)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit labelsRestored(requestId, Outcome::failure(found.error()));
    const Connection c = found.value();
    QString scopeId, name;
    QStringList current, provisioned;
    ProvisioningMode mode = ProvisioningMode::JitConfig;
    {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral(
            "SELECT r.scope, r.name, r.labels, p.labels, p.mode FROM runners r LEFT JOIN runner_provisioning "
            "p ON "
            "p.connection_id = r.connection_id AND p.scope = r.scope AND p.runner_id = r.runner_id "
            "WHERE r.connection_id = ? AND r.runner_id = ? AND r.removed_at IS NULL"));
        q.addBindValue(connectionId);
        q.addBindValue(runnerId);
        if (!q.exec() || !q.next())
            return emit labelsRestored(
                requestId,
                Outcome::failure(makeError("runner.unknown",
                                           tr("Runner %1 is not in the cache (removed?).").arg(runnerId))));
        scopeId = q.value(0).toString();
        name = q.value(1).toString();
        const auto list = [](const QVariant &json) {
            QStringList out;
            for (const QJsonValue &v : QJsonDocument::fromJson(json.toString().toUtf8()).array())
                out << v.toString();
            return out;
        };
        current = list(q.value(2));
        if (q.value(3).isNull())
            return emit labelsRestored(
                requestId,
                Outcome::failure(makeError(
                    "runner.labels",
                    tr("Opsdeck did not provision %1: there are no labels to go back to.").arg(name))));
        provisioned = list(q.value(3));
        mode = q.value(4).toString() == provisioningModeId(ProvisioningMode::RegistrationToken)
                   ? ProvisioningMode::RegistrationToken
                   : ProvisioningMode::JitConfig;
    }
    AuditEvent event =
        githubEvent(c, AuditAction::runnerLabels, QStringLiteral("runner"), QString::number(runnerId), name);
    event.details = QJsonObject{{QStringLiteral("scope"), scopeId},
                                {QStringLiteral("before"), QJsonArray::fromStringList(current)},
                                {QStringLiteral("after"), QJsonArray::fromStringList(provisioned)}};
    const auto finish = [this, requestId, c, event](const Outcome &outcome, const QStringList &labels,
                                                    const QString &scope, qint64 id) {
        AuditEvent e = event;
        CacheTransaction tx;
        if (auto r = tx.begin(); !r)
            return emit labelsRestored(requestId, Outcome::failure(r.error()));
        if (outcome.ok) {
            QSqlQuery q(tx.db());
            q.prepare(QStringLiteral(
                "UPDATE runners SET labels = ? WHERE connection_id = ? AND scope = ? AND runner_id = ?"));
            q.addBindValue(QString::fromUtf8(
                QJsonDocument(QJsonArray::fromStringList(labels)).toJson(QJsonDocument::Compact)));
            q.addBindValue(c.id);
            q.addBindValue(scope);
            q.addBindValue(id);
            if (!q.exec())
                return emit labelsRestored(
                    requestId,
                    Outcome::failure(Database::describe(q.lastError(), tr("Updating the runner's labels"))));
            e.details.insert(QStringLiteral("after"), QJsonArray::fromStringList(labels));
        } else {
            e.outcome = AuditOutcome::Failure;
            e.details.insert(QStringLiteral("error"), outcome.message);
        }
        if (auto r = AuditLog::append(tx.db(), e); !r)
            return emit labelsRestored(requestId, Outcome::failure(r.error()));
        tx.touch(Tables::runners, c.id);
        tx.touch(AuditLog::table, c.id);
        if (auto r = tx.commit(); !r)
            return emit labelsRestored(requestId, Outcome::failure(r.error()));
        emit labelsRestored(requestId, outcome);
    };
    // The labels to go back to must meet today's policy: otherwise the next sync deletes the runner.
    auto policy = RunnerPolicyStore::load(Database::connection(), connectionId);
    if (!policy)
        return finish(Outcome::failure(policy.error()), {}, scopeId, runnerId);
    const QList<PolicyViolation> violations = checkRequest(policy.value(), provisioned, mode);
    if (!violations.isEmpty()) {
        QStringList messages;
        for (const PolicyViolation &v : violations)
            messages << v.message;
        return finish(Outcome::failure(makeError(
                          "policy.violation", tr("The provisioned labels no longer meet the label policy: %1")
                                                  .arg(messages.join(QLatin1Char(' '))))),
                      {}, scopeId, runnerId);
    }
    const auto scope = RunnerScope::fromId(scopeId);
    if (!scope)
        return finish(Outcome::failure(makeError("runner.scope", tr("Runner %1 has no known organization or "
                                                                    "repository (\"%2\").")
                                                                     .arg(runnerId)
                                                                     .arg(scopeId))),
                      {}, scopeId, runnerId);
    withClient(c, [this, c, scope = *scope, runnerId, provisioned, finish](HttpClient *client,
                                                                           const Error &error) {
        if (!client)
            return finish(Outcome::failure(error), {}, scope.id(), runnerId);
        HttpRequest r;
        r.method = "PUT";
        r.url =
            apiUrl(c.endpoint, scope.apiPath() + QStringLiteral("/actions/runners/%1/labels").arg(runnerId));
        r.body = QJsonDocument(QJsonObject{{QStringLiteral("labels"),
                                            QJsonArray::fromStringList(customLabels(provisioned))}})
                     .toJson(QJsonDocument::Compact);
        r.headers.emplaceBack("Content-Type", "application/json");
        r.what = tr("Setting the labels of runner %1").arg(runnerId);
        client->send(r, this, [finish, scope, runnerId](const HttpResponse &response) {
            if (!response.ok())
                return finish(Outcome::failure(*response.error), {}, scope.id(), runnerId);
            // The answer lists every label the runner carries now, system ones included.
            const auto labels = parseRunnerLabels(response.body);
            if (!labels)
                return finish(Outcome::failure(labels.error()), {}, scope.id(), runnerId);
            finish(Outcome::success(), labels.value(), scope.id(), runnerId);
        });
    });
}

void GitHubService::savePolicy(quint64 requestId, qint64 connectionId, const LabelPolicy &policy)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit policySaved(requestId, Outcome::failure(found.error()));
    const Connection c = found.value();
    if (auto allowed =
            checkActing(Database::connection(), AuditAction::policyUpdate, connectionFacet(c.name));
        !allowed) {
        AuditEvent refused =
            githubEvent(c, AuditAction::policyUpdate, QStringLiteral("label-policy"), QString(), c.name);
        refused.outcome = AuditOutcome::Failure;
        refused.details.insert(QStringLiteral("error"), allowed.message());
        if (auto r = AuditLog::record(refused); !r)
            qCWarning(lcGitHub).noquote() << "cannot write the audit log:" << r.message();
        return emit policySaved(requestId, Outcome::failure(allowed.error()));
    }
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return emit policySaved(requestId, Outcome::failure(r.error()));
    const auto before = RunnerPolicyStore::load(tx.db(), connectionId);
    AuditEvent e =
        githubEvent(c, AuditAction::policyUpdate, QStringLiteral("label-policy"), QString(), c.name);
    e.details = QJsonObject{{QStringLiteral("before"), before ? before->toJson() : QJsonObject()},
                            {QStringLiteral("after"), policy.toJson()}};
    if (auto r = RunnerPolicyStore::save(tx.db(), connectionId, policy, QDateTime::currentDateTimeUtc());
        !r) {
        tx.rollback();
        e.outcome = AuditOutcome::Failure;
        e.details.insert(QStringLiteral("error"), r.message());
        if (auto audited = AuditLog::record(e); !audited)
            qCWarning(lcGitHub).noquote() << "cannot write the audit log:" << audited.message();
        return emit policySaved(requestId, Outcome::failure(r.error()));
    }
    if (auto r = AuditLog::append(tx.db(), e); !r)
        return emit policySaved(requestId, Outcome::failure(r.error()));
    tx.touch(Tables::runnerPolicies, c.id);
    tx.touch(AuditLog::table, c.id);
    if (auto r = tx.commit(); !r)
        return emit policySaved(requestId, Outcome::failure(r.error()));
    emit policySaved(requestId, Outcome::success());
}

} // namespace opsdeck
