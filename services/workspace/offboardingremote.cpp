#include "services/workspace/offboardingremote.h"

#include "services/connections/probes.h"
#include "services/net/httpclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <memory>

namespace opsdeck {

namespace {
constexpr int pageSize = 100;
constexpr int maxPages = 100; // 10,000 projects or keys at most

int countArray(const HttpResponse &r)
{
    return int(QJsonDocument::fromJson(r.body).array().size());
}

int countKeys(const HttpResponse &r)
{
    return int(QJsonDocument::fromJson(r.body).object().value(QLatin1String("keys")).toArray().size());
}

QUrl withQuery(const QString &base, const QString &path, const QList<std::pair<QString, QString>> &items)
{
    QUrl url = apiUrl(base, path);
    QUrlQuery query;
    for (const auto &[k, v] : items)
        query.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    url.setQuery(query);
    return url;
}
} // namespace

OffboardingRemote::OffboardingRemote(QObject *parent) : QObject(parent) {}

void OffboardingRemote::withClient(const Connection &c, std::function<void(HttpClient *, const Error &)> then)
{
    ConnectionService::readSecret(c, this, [this, c, then](const Result<QString> &secret) {
        if (!secret)
            return then(nullptr, secret.error());
        if (!m_client)
            m_client = new HttpClient(this);
        if (auto r = m_client->setCaFile(c.caFile); !r)
            return then(nullptr, r.error());
        m_client->setDefaultHeaders(authHeaders(c, secret.value()));
        then(m_client, {});
    });
}

namespace {
// One offboarding step's walk through Harbor: held by the request in flight, so nothing outlives it.
struct HarborJob
{
    QObject *context;
    HttpClient *client;
    Connection c;
    QString user;
    OffboardingRemote::Done done;
    struct Project
    {
        qint64 id;
        QString name;
    };
    QList<Project> projects;
    Project current{};
    QList<qint64> memberships; // of the current project, still to remove
    QStringList removed;       // projects the user was removed from

    void fail(const Error &e) const
    {
        done(Outcome::failure(Error{e.code, removed.isEmpty()
                                                ? e.message
                                                : OffboardingRemote::tr("%1 (removed from %2 before that)")
                                                      .arg(e.message, removed.join(QStringLiteral(", ")))}));
    }
};

void harborNext(const std::shared_ptr<HarborJob> &job)
{
    if (!job->memberships.isEmpty()) {
        const qint64 mid = job->memberships.takeFirst();
        HttpRequest del;
        del.method = "DELETE";
        del.url = apiUrl(job->c.endpoint,
                         QStringLiteral("/api/v2.0/projects/%1/members/%2").arg(job->current.id).arg(mid));
        del.expectJson = false;
        del.what =
            OffboardingRemote::tr("Removing %1 from the Harbor project %2").arg(job->user, job->current.name);
        job->client->send(del, job->context, [job](const HttpResponse &r) {
            if (!r.ok() && r.status != 404) // 404: gone already
                return job->fail(*r.error);
            if (!job->removed.contains(job->current.name))
                job->removed << job->current.name;
            harborNext(job);
        });
        return;
    }
    if (job->projects.isEmpty()) {
        job->done(Outcome::success(
            job->removed.isEmpty()
                ? OffboardingRemote::tr("%1 is a member of no Harbor project.").arg(job->user)
                : OffboardingRemote::tr("%1 removed from %n project(s): %2", nullptr,
                                        int(job->removed.size()))
                      .arg(job->user, job->removed.join(QStringLiteral(", ")))));
        return;
    }
    job->current = job->projects.takeFirst();
    HttpRequest members;
    members.url =
        withQuery(job->c.endpoint, QStringLiteral("/api/v2.0/projects/%1/members").arg(job->current.id),
                  {{QStringLiteral("entityname"), job->user},
                   {QStringLiteral("page"), QStringLiteral("1")},
                   {QStringLiteral("page_size"), QString::number(pageSize)}});
    members.what =
        OffboardingRemote::tr("Reading the members of the Harbor project %1").arg(job->current.name);
    job->client->send(members, job->context, [job](const HttpResponse &r) {
        if (!r.ok())
            return job->fail(*r.error);
        for (const QJsonValue &v : QJsonDocument::fromJson(r.body).array()) {
            const QJsonObject m = v.toObject(); // the search matches parts of names: the user's own only
            if (m.value(QLatin1String("entity_type")).toString() == QLatin1String("u") &&
                m.value(QLatin1String("entity_name")).toString() == job->user)
                job->memberships << m.value(QLatin1String("id")).toInteger();
        }
        harborNext(job);
    });
}

// The same for LiteLLM: the user's keys not blocked yet, then the user.
struct LiteLlmJob
{
    QObject *context;
    HttpClient *client;
    Connection c;
    QString userId;
    OffboardingRemote::Done done;
    QStringList tokens;
    int blocked = 0;

    void fail(const Error &e) const
    {
        done(Outcome::failure(
            Error{e.code, blocked == 0
                              ? e.message
                              : OffboardingRemote::tr("%1 (%n key(s) blocked before that)", nullptr, blocked)
                                    .arg(e.message)}));
    }
};

void liteLlmNext(const std::shared_ptr<LiteLlmJob> &job)
{
    HttpRequest r;
    r.method = "POST";
    r.withHeader("Content-Type", "application/json");
    r.idempotent = true; // blocking twice is the same as once
    r.expectJson = false;
    if (job->tokens.isEmpty()) {
        // Last, the user: nothing of theirs works any more.
        r.url = apiUrl(job->c.endpoint, QStringLiteral("/user/update"));
        r.body = QJsonDocument(
                     QJsonObject{{QStringLiteral("user_id"), job->userId}, {QStringLiteral("blocked"), true}})
                     .toJson(QJsonDocument::Compact);
        r.what = OffboardingRemote::tr("Blocking the LiteLLM user %1").arg(job->userId);
        job->client->send(r, job->context, [job](const HttpResponse &u) {
            if (!u.ok())
                return job->fail(*u.error);
            job->done(Outcome::success(
                OffboardingRemote::tr("%1 is blocked, with %n key(s) of theirs.", nullptr, job->blocked)
                    .arg(job->userId)));
        });
        return;
    }
    r.url = apiUrl(job->c.endpoint, QStringLiteral("/key/block"));
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("key"), job->tokens.takeFirst()}})
                 .toJson(QJsonDocument::Compact);
    r.what = OffboardingRemote::tr("Blocking a LiteLLM key of %1").arg(job->userId);
    job->client->send(r, job->context, [job](const HttpResponse &k) {
        if (!k.ok())
            return job->fail(*k.error);
        ++job->blocked;
        liteLlmNext(job);
    });
}
} // namespace

void OffboardingRemote::removeHarborMember(const Connection &c, const QString &user, Done done)
{
    withClient(c, [this, c, user, done](HttpClient *client, const Error &error) {
        if (!client)
            return done(Outcome::failure(error));
        HttpRequest first;
        first.url = withQuery(c.endpoint, QStringLiteral("/api/v2.0/projects"),
                              {{QStringLiteral("page"), QStringLiteral("1")},
                               {QStringLiteral("page_size"), QString::number(pageSize)}});
        first.what = tr("Listing the Harbor projects of %1").arg(c.name);
        auto job = std::make_shared<HarborJob>(HarborJob{this, client, c, user, done, {}, {}, {}, {}});
        client->fetchPages(
            first, maxPages, this,
            [job](const Result<QList<HttpResponse>> &pages) {
                if (!pages)
                    return job->fail(pages.error());
                for (const HttpResponse &page : pages.value())
                    for (const QJsonValue &v : QJsonDocument::fromJson(page.body).array())
                        job->projects.append({v.toObject().value(QLatin1String("project_id")).toInteger(),
                                              v.toObject().value(QLatin1String("name")).toString()});
                harborNext(job);
            },
            HttpClient::pageNumberNext(QStringLiteral("page"), pageSize, countArray));
    });
}

void OffboardingRemote::blockLiteLlmUser(const Connection &c, const QString &userId, Done done)
{
    withClient(c, [this, c, userId, done](HttpClient *client, const Error &error) {
        if (!client)
            return done(Outcome::failure(error));
        HttpRequest first;
        first.url = withQuery(c.endpoint, QStringLiteral("/key/list"),
                              {{QStringLiteral("user_id"), userId},
                               {QStringLiteral("return_full_object"), QStringLiteral("true")},
                               {QStringLiteral("page"), QStringLiteral("1")},
                               {QStringLiteral("size"), QString::number(pageSize)}});
        first.what = tr("Listing the LiteLLM keys of %1").arg(userId);
        auto job = std::make_shared<LiteLlmJob>(LiteLlmJob{this, client, c, userId, done, {}, 0});
        client->fetchPages(
            first, maxPages, this,
            [job](const Result<QList<HttpResponse>> &pages) {
                if (!pages)
                    return job->fail(pages.error());
                for (const HttpResponse &page : pages.value())
                    for (const QJsonValue &v :
                         QJsonDocument::fromJson(page.body).object().value(QLatin1String("keys")).toArray()) {
                        const QJsonObject k = v.toObject();
                        if (!k.value(QLatin1String("blocked")).toBool() &&
                            !k.value(QLatin1String("token")).toString().isEmpty())
                            job->tokens << k.value(QLatin1String("token")).toString();
                    }
                liteLlmNext(job);
            },
            HttpClient::pageNumberNext(QStringLiteral("page"), pageSize, countKeys));
    });
}

} // namespace opsdeck
