// The one HTTP layer every remote service uses (GitHub, Harbor, registry, LiteLLM, Cloudflare).
// One HttpClient lives on its service's thread and owns that thread's QNetworkAccessManager.
// Per request: an inactivity timeout, bounded retries with exponential backoff and jitter for
// idempotent requests only, Retry-After for 429/503 (and 403 with Retry-After, GitHub's secondary
// limit), rate-limit headers surfaced, ETag reuse, a response-size cap, same-origin redirects with
// a cap, TLS verification always on with an optional extra CA file, and cancellation. Results are
// values: an HttpResponse carries either the answer or an Error with a message for people.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QMap>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace opsdeck {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

struct RateLimit
{
    int limit = -1;
    int remaining = -1;
    QDateTime reset;
    QString resource;
    bool isValid() const { return remaining >= 0; }
    static std::optional<RateLimit> fromHeaders(const HeaderList &headers);
};

struct HttpRequest
{
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    int timeoutMs = -1;             // no bytes for this long: the request fails (-1: NetworkDefaults)
    int maxRetries = -1;            // extra attempts, for idempotent requests only (-1: NetworkDefaults)
    std::optional<bool> idempotent; // unset: by method (GET, HEAD, PUT, DELETE, OPTIONS)
    bool useEtag = false;           // send If-None-Match and reuse the cached body on 304
    bool expectJson = true;         // a 2xx body with another Content-Type (an HTML page) fails
    qint64 maxBytes = 32 * 1024 * 1024;
    QString what;           // what this request does, for messages ("Listing runners")
    bool secretUrl = false; // the URL itself is a credential (a Slack webhook): logs show only its host
    // A 3xx is answered as it is (Location and all) instead of being followed.
    bool followRedirects = true;
    // Without the client's default headers (its Authorization): for a URL on another host, such as
    // the storage a GitHub artifact download redirects to.
    bool withoutDefaultHeaders = false;
    // A 2xx body goes to this file (created or truncated) instead of memory; maxBytes still applies.
    QString saveTo;

    bool isIdempotent() const;
    HttpRequest &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.emplaceBack(name, value);
        return *this;
    }
};

struct HttpResponse
{
    int status = 0;
    QByteArray body;
    HeaderList headers;
    QUrl url;
    bool notModified = false; // served from the ETag cache after a 304
    int attempts = 0;
    std::optional<Error> error;
    std::optional<RateLimit> rateLimit;

    bool ok() const { return !error.has_value(); }
    QByteArray header(const QByteArray &name) const;
    Result<QJsonDocument> json() const;
    QMap<QString, QUrl> links() const; // RFC 8288 Link header by rel
};

// RFC 8288: parses a Link header into rel -> URL (relative URLs resolved against base).
QMap<QString, QUrl> parseLinkHeader(const QByteArray &value, const QUrl &base = {});
// Retry-After: delta-seconds or an HTTP date; returns seconds from now (>= 0) or nullopt.
std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now);
// A readable message from an error body: GitHub/Harbor/OCI/LiteLLM/Cloudflare shapes.
QString errorMessageFromBody(const QByteArray &body);

// The error code for an HTTP error status, the same for every remote system (the Docker engine
// included): http.unauthorized (401), http.forbidden (403), http.not-found, http.conflict,
// http.invalid (422), http.rate-limited (429), http.server (5xx), else http.status.
const char *httpStatusErrorCode(int status);
// The text with every credential of the headers (Authorization and *token*/*key*/*secret* values,
// and the parts of Bearer/Basic credentials) replaced by "[redacted]".
QString redactCredentials(QString text, const HeaderList &headers);
// Replaces or adds a query parameter (page/size pagination).
QUrl withQueryItem(const QUrl &url, const QString &key, const QString &value);

class HttpClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const HttpResponse &)>;
    // Decides the next page from a response, or nullopt when done.
    using NextPage = std::function<std::optional<QUrl>(const HttpResponse &response, int pagesSoFar)>;

    explicit HttpClient(QObject *parent = nullptr);
    ~HttpClient() override;

    // Trust this PEM bundle in addition to the system CAs. Verification stays on.
    Result<void> setCaFile(const QString &path);
    void setDefaultHeaders(const HeaderList &headers) { m_defaultHeaders = headers; }
    void setBackoff(int baseMs, int maxMs);
    void setMaxRetryAfter(int seconds) { m_maxRetryAfterSec = seconds; }
    void setMaxRedirects(int count) { m_maxRedirects = count; }
    QNetworkAccessManager *networkManager() const { return m_nam; }

    // Sends the request; done runs on this thread unless context was destroyed first.
    quint64 send(const HttpRequest &request, QObject *context, Callback done);
    // Follows pages (Link rel="next" by default) up to maxPages; done gets all pages or the first error.
    void fetchPages(const HttpRequest &first, int maxPages, QObject *context,
                    std::function<void(const Result<QList<HttpResponse>> &)> done, NextPage next = {});
    static NextPage linkNext();
    // page/size style: asks for the next page while a page came back full. countItems counts a page.
    static NextPage pageNumberNext(const QString &pageParam, int pageSize,
                                   std::function<int(const HttpResponse &)> countItems, int firstPage = 1);

    void cancel(quint64 id);
    void cancelAll();
    int pendingCount() const { return int(m_jobs.size()); }

signals:
    void rateLimitChanged(const opsdeck::RateLimit &limit);

private:
    struct Job;
    void start(Job *job);
    // Starts now, or when the primary rate limit resets (or fails at once if that is too far off).
    void startRespectingLimit(Job *job);
    void onFinished(Job *job);
    void finish(Job *job, HttpResponse response);
    bool scheduleRetry(Job *job, const HttpResponse &response);

    QNetworkAccessManager *m_nam;
    QSslConfiguration m_ssl;
    HeaderList m_defaultHeaders;
    QHash<quint64, Job *> m_jobs;
    quint64 m_nextId = 1;
    int m_backoffBaseMs = 500;
    int m_backoffMaxMs = 30000;
    int m_maxRetryAfterSec = 120;
    int m_maxRedirects = 5;
    struct CachedAnswer
    {
        QByteArray etag;
        QByteArray body;
        HeaderList headers;
    };
    QHash<QString, CachedAnswer> m_etagCache;
    QDateTime m_rateLimitedUntil; // the primary rate limit is used up until then: hold requests
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::RateLimit)
