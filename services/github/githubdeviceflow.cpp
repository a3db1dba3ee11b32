// GitHubService: linking a person's GitHub login through the OAuth device flow
// (../shared/specs/github/oauth-device-flow.excerpt.md, models/github/deviceflow.h).
#include "models/connections/connectionstore.h"
#include "models/core/validation.h"
#include "models/github/deviceflow.h"
#include "models/store/database.h"
#include "services/connections/probes.h"
#include "services/github/githubservice.h"
#include "services/github/githubservice_p.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUrlQuery>

namespace opsdeck {

struct GitHubService::DeviceLink
{
    Connection connection;
    QUrl origin;
    QString clientId;
    DeviceCode code;
    int interval = 5;
    QDeadlineTimer expires;
    QTimer *timer = nullptr;
    quint64 call = 0; // the request in flight
};

namespace {
QByteArray form(const QList<std::pair<QString, QString>> &fields)
{
    QUrlQuery q;
    for (const auto &[k, v] : fields)
        q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    return q.query(QUrl::FullyEncoded).toLatin1();
}

HttpRequest formPost(const QUrl &url, const QByteArray &body, const QString &what)
{
    HttpRequest r;
    r.method = "POST";
    r.url = url;
    r.body = body;
    r.what = what;
    r.withHeader("Accept", "application/json")
        .withHeader("Content-Type", "application/x-www-form-urlencoded");
    return r;
}
} // namespace

void GitHubService::linkIdentity(quint64 requestId, qint64 connectionId)
{
    const auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit identityLinked(requestId, Outcome::failure(found.error()), {});
    const Connection c = found.value();
    const QString clientId = c.option(QStringLiteral("oauth_client_id"));
    if (c.kind != ConnectionKind::GitHub || clientId.isEmpty())
        return emit identityLinked(
            requestId,
            Outcome::failure(
                makeError("github.oauth", tr("%1 has no OAuth client ID: add the client ID of an OAuth "
                                             "app with the device flow enabled to the connection first.")
                                              .arg(c.name))),
            {});
    if (m_demo)
        return emit identityLinked(requestId, Outcome::failure(demoError()), {});
    if (!m_deviceClient)
        m_deviceClient = new HttpClient(this);
    if (auto r = m_deviceClient->setCaFile(c.caFile); !r)
        return emit identityLinked(requestId, Outcome::failure(r.error()), {});
    auto link = std::make_shared<DeviceLink>();
    link->connection = c;
    link->origin = oauthOrigin(c.endpoint);
    link->clientId = clientId;
    m_links.insert(requestId, link);
    QUrl url = link->origin;
    url.setPath(QStringLiteral("/login/device/code"));
    link->call = m_deviceClient->send(
        formPost(url, form({{QStringLiteral("client_id"), clientId}, {QStringLiteral("scope"), QString()}}),
                 tr("Asking GitHub for a device code")),
        this, [this, requestId](const HttpResponse &response) {
            const auto waiting = m_links.value(requestId);
            if (!waiting)
                return;
            if (!response.ok())
                return endLink(requestId, Outcome::failure(*response.error));
            const auto code = parseDeviceCode(response.body);
            if (!code)
                return endLink(requestId, Outcome::failure(code.error()));
            waiting->code = code.value();
            waiting->interval = qMax(1, code->interval);
            waiting->expires = QDeadlineTimer(qint64(code->expiresIn) * m_deviceUnitMs);
            waiting->timer = new QTimer(this);
            waiting->timer->setSingleShot(true);
            // Never early: a coarse timer may fire 5 % before its time, and GitHub answers an
            // early poll with slow_down.
            waiting->timer->setTimerType(Qt::PreciseTimer);
            connect(waiting->timer, &QTimer::timeout, this, [this, requestId] { pollDevice(requestId); });
            waiting->timer->start(waiting->interval * m_deviceUnitMs);
            emit deviceCode(requestId, code->userCode, code->verificationUri, code->expiresIn);
        });
}

void GitHubService::pollDevice(quint64 requestId)
{
    const auto link = m_links.value(requestId);
    if (!link)
        return;
    if (link->expires.hasExpired())
        return endLink(requestId,
                       Outcome::failure(makeError("github.device",
                                                  tr("The code expired before it was entered: start again "
                                                     "for a new one."))));
    QUrl url = link->origin;
    url.setPath(QStringLiteral("/login/oauth/access_token"));
    link->call = m_deviceClient->send(
        formPost(url,
                 form({{QStringLiteral("client_id"), link->clientId},
                       {QStringLiteral("device_code"), link->code.deviceCode},
                       {QStringLiteral("grant_type"),
                        QStringLiteral("urn:ietf:params:oauth:grant-type:device_code")}}),
                 tr("Asking GitHub whether the code was entered")),
        this, [this, requestId](const HttpResponse &response) {
            const auto polled = m_links.value(requestId);
            if (!polled)
                return;
            if (!response.ok())
                return endLink(requestId, Outcome::failure(*response.error));
            const DevicePoll poll = parseDevicePoll(response.body, polled->interval);
            switch (poll.state) {
            case DevicePoll::State::Pending:
                polled->timer->start(polled->interval * m_deviceUnitMs);
                return;
            case DevicePoll::State::SlowDown:
                polled->interval = poll.interval; // never faster than GitHub asks
                polled->timer->start(polled->interval * m_deviceUnitMs);
                return;
            case DevicePoll::State::Token:
                break;
            default:
                return endLink(requestId, Outcome::failure(makeError("github.device", poll.message)));
            }
            // Who the token belongs to; the token is used for this one question only.
            HttpRequest who;
            who.url = apiUrl(polled->connection.endpoint, QStringLiteral("/user"));
            who.what = tr("Asking GitHub who signed in");
            who.withHeader("Authorization", "Bearer " + poll.accessToken.toUtf8())
                .withHeader("Accept", "application/vnd.github+json")
                .withHeader("X-GitHub-Api-Version", "2022-11-28");
            polled->call = m_deviceClient->send(who, this, [this, requestId](const HttpResponse &user) {
                if (!m_links.contains(requestId))
                    return;
                if (!user.ok())
                    return endLink(requestId, Outcome::failure(*user.error));
                const QString login =
                    QJsonDocument::fromJson(user.body).object().value(QLatin1String("login")).toString();
                if (!validateGitHubOwner(login))
                    return endLink(requestId,
                                   Outcome::failure(makeError(
                                       "github.device", tr("GitHub's answer to GET /user names no login."))));
                endLink(requestId, Outcome::success(tr("Signed in to GitHub as %1.").arg(login)), login);
            });
        });
}

void GitHubService::cancelLink(quint64 requestId)
{
    endLink(requestId, Outcome::failure(makeError("github.cancelled", tr("Cancelled: nothing was linked."))));
}

void GitHubService::endLink(quint64 requestId, const Outcome &outcome, const QString &login)
{
    const auto link = m_links.take(requestId);
    if (!link)
        return;
    if (link->timer)
        link->timer->deleteLater();
    if (link->call && m_deviceClient)
        m_deviceClient->cancel(link->call);
    emit identityLinked(requestId, outcome, login);
}

} // namespace opsdeck
