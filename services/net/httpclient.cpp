#include "services/net/httpclient.h"

#include "services/net/networkdefaults.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslError>
#include <QTimeZone>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

Q_LOGGING_CATEGORY(lcHttp, "opsdeck.http", QtInfoMsg)

namespace opsdeck {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::HttpClient)
};

QString hostOf(const QUrl &url)
{
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

QString reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 409:
        return QStringLiteral("Conflict");
    case 410:
        return QStringLiteral("Gone");
    case 422:
        return QStringLiteral("Unprocessable Entity");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return {};
    }
}

bool isRetryableStatus(int status)
{
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

} // namespace

const char *httpStatusErrorCode(int status)
{
    switch (status) {
    case 401:
        return "http.unauthorized";
    case 403:
        return "http.forbidden";
    case 404:
        return "http.not-found";
    case 409:
        return "http.conflict";
    case 422:
        return "http.invalid";
    case 429:
        return "http.rate-limited";
    default:
        return status >= 500 ? "http.server" : "http.status";
    }
}

bool HttpRequest::isIdempotent() const
{
    if (idempotent)
        return *idempotent;
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

std::optional<RateLimit> RateLimit::fromHeaders(const HeaderList &headers)
{
    RateLimit r;
    for (const auto &[name, value] : headers) {
        const QByteArray n = name.toLower();
        if (n == "x-ratelimit-limit")
            r.limit = value.toInt();
        else if (n == "x-ratelimit-remaining")
            r.remaining = value.toInt();
        else if (n == "x-ratelimit-reset")
            r.reset = QDateTime::fromSecsSinceEpoch(value.toLongLong(), Qt::UTC);
        else if (n == "x-ratelimit-resource")
            r.resource = QString::fromLatin1(value);
    }
    if (!r.isValid())
        return std::nullopt;
    return r;
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

Result<QJsonDocument> HttpResponse::json() const
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError("json.malformed", Tr::tr("The answer from %1 is not valid JSON (%2 at byte %3).")
                                               .arg(hostOf(url), parseError.errorString())
                                               .arg(parseError.offset));
    return doc;
}

QMap<QString, QUrl> HttpResponse::links() const
{
    return parseLinkHeader(header("Link"), url);
}

QMap<QString, QUrl> parseLinkHeader(const QByteArray &value, const QUrl &base)
{
    QMap<QString, QUrl> links;
    const QString text = QString::fromUtf8(value);
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype open = text.indexOf(QLatin1Char('<'), pos);
        if (open < 0)
            break;
        const qsizetype close = text.indexOf(QLatin1Char('>'), open + 1);
        if (close < 0)
            break;
        const QString target = text.mid(open + 1, close - open - 1).trimmed();
        qsizetype end = close + 1;
        // Parameters run to the next comma that is outside quotes.
        bool quoted = false;
        while (end < text.size() && (quoted || text.at(end) != QLatin1Char(','))) {
            if (text.at(end) == QLatin1Char('"'))
                quoted = !quoted;
            ++end;
        }
        const QString params = text.mid(close + 1, end - close - 1);
        static const QRegularExpression relRe(QStringLiteral(R"re(;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+)))re"),
                                              QRegularExpression::CaseInsensitiveOption);
        const auto match = relRe.match(params);
        if (match.hasMatch()) {
            const QString rels = match.captured(1).isEmpty() ? match.captured(2) : match.captured(1);
            QUrl url(target);
            if (url.isRelative() && base.isValid())
                url = base.resolved(url);
            if (url.isValid())
                for (const QString &rel : rels.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                    links.insert(rel.toLower(), url);
        }
        pos = end + 1;
    }
    return links;
}

std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional<qint64>(seconds);
    // HTTP-date (IMF-fixdate), e.g. "Wed, 21 Oct 2015 07:28:00 GMT"
    QDateTime when =
        QLocale::c().toDateTime(QString::fromLatin1(v), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (when.isValid())
        when.setTimeSpec(Qt::UTC);
    else
        when = QDateTime::fromString(QString::fromLatin1(v), Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return qMax<qint64>(0, now.secsTo(when));
}

QString redactCredentials(QString text, const HeaderList &headers)
{
    for (const auto &[name, value] : headers) {
        const QByteArray lower = name.toLower();
        if (lower != "authorization" && !lower.contains("token") && !lower.contains("key") &&
            !lower.contains("secret"))
            continue;
        QList<QByteArray> secrets{value};
        const qsizetype space = value.indexOf(' ');
        if (space > 0) {
            const QByteArray credential = value.mid(space + 1).trimmed();
            secrets << credential;
            if (value.left(space).toLower() == "basic") {
                const QByteArray decoded = QByteArray::fromBase64(credential);
                secrets << decoded << decoded.mid(decoded.indexOf(':') + 1);
            }
        }
        for (const QByteArray &secret : secrets)
            if (secret.size() >= 6)
                text.replace(QString::fromUtf8(secret), QStringLiteral("[redacted]"));
    }
    return text;
}

QString errorMessageFromBody(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonObject o = doc.object();
    if (!o.isEmpty()) {
        // GitHub: {"message": "..."}; LiteLLM: {"detail": {"error": "..."}} or {"detail": "..."}
        if (o.value(QLatin1String("message")).isString())
            return o.value(QLatin1String("message")).toString();
        const QJsonValue detail = o.value(QLatin1String("detail"));
        if (detail.isString())
            return detail.toString();
        if (detail.isObject() && detail.toObject().value(QLatin1String("error")).isString())
            return detail.toObject().value(QLatin1String("error")).toString();
        if (o.value(QLatin1String("error")).isString())
            return o.value(QLatin1String("error")).toString();
        if (o.value(QLatin1String("error")).isObject())
            return o.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
        // OCI / Harbor / Cloudflare: {"errors": [{"code": ..., "message": ...}]}
        const QJsonArray errors = o.value(QLatin1String("errors")).toArray();
        QStringList messages;
        for (const QJsonValue &e : errors) {
            const QJsonObject eo = e.toObject();
            QString m = eo.value(QLatin1String("message")).toString();
            const QJsonValue code = eo.value(QLatin1String("code"));
            if (code.isString() && !code.toString().isEmpty())
                m = code.toString() + QStringLiteral(": ") + m;
            if (!m.isEmpty())
                messages << m;
        }
        if (!messages.isEmpty())
            return messages.join(QStringLiteral("; "));
    }
    const QString text = QString::fromUtf8(body.left(300)).simplified();
    if (!text.isEmpty() && !text.startsWith(QLatin1Char('<')) && !text.startsWith(QLatin1Char('{')))
        return text;
    return {};
}

QUrl withQueryItem(const QUrl &url, const QString &key, const QString &value)
{
    QUrlQuery query(url);
    query.removeAllQueryItems(key);
    query.addQueryItem(key, value);
    QUrl result = url;
    result.setQuery(query);
    return result;
}

struct HttpClient::Job
{
    quint64 id = 0;
    HttpRequest request;
    QPointer<QObject> context;
    bool hasContext = false;
    Callback done;
    QPointer<QNetworkReply> reply;
    QByteArray body;
    int attempts = 0;
    bool timedOut = false;
    bool tooLarge = false;
    bool cancelled = false;
    QList<QSslError> sslErrors;  // why the TLS handshake was refused
    QTimer timer;                // inactivity timeout, then retry delay
    std::unique_ptr<QFile> file; // request.saveTo, while a 2xx body is written to it
    qint64 saved = 0;
    QString fileError;
};

// What was wrong with the certificate, and what the admin can do about it.
static QString tlsAdvice(const QList<QSslError> &errors, const QString &fallback)
{
    for (const QSslError &e : errors) {
        const QSslCertificate cert = e.certificate();
        switch (e.error()) {
        case QSslError::CertificateExpired:
            return Tr::tr("it expired on %1. The server's certificate must be renewed.")
                .arg(cert.expiryDate().toUTC().toString(Qt::ISODate));
        case QSslError::CertificateNotYetValid:
            return Tr::tr("it is valid only from %1 (is this computer's clock right?).")
                .arg(cert.effectiveDate().toUTC().toString(Qt::ISODate));
        case QSslError::HostNameMismatch: {
            QStringList names = cert.subjectAlternativeNames().values();
            if (names.isEmpty())
                names = cert.subjectInfo(QSslCertificate::CommonName);
            return Tr::tr("it was issued for %1, not for this address. Use one of those names in the "
                          "connection's endpoint.")
                .arg(names.join(QStringLiteral(", ")));
        }
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::CertificateUntrusted:
            return Tr::tr("it is not signed by a certificate authority this computer trusts (%1). If the "
                          "server uses a private CA, set its CA file on the connection.")
                .arg(e.errorString());
        default:
            break;
        }
    }
    return errors.isEmpty() ? fallback : errors.first().errorString();
}

HttpClient::HttpClient(QObject *parent)
    : QObject(parent), m_nam(new QNetworkAccessManager(this)),
      m_ssl(QSslConfiguration::defaultConfiguration())
{
    qRegisterMetaType<opsdeck::RateLimit>();
    m_nam->setAutoDeleteReplies(false);
}

HttpClient::~HttpClient()
{
    const auto jobs = m_jobs;
    m_jobs.clear();
    for (Job *job : jobs) {
        if (job->reply) {
            job->reply->disconnect(this);
            job->reply->abort();
            job->reply->deleteLater();
        }
        delete job;
    }
}

Result<void> HttpClient::setCaFile(const QString &path)
{
    m_ssl = QSslConfiguration::defaultConfiguration();
    if (path.isEmpty())
        return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError("tls.ca-file",
                         Tr::tr("Cannot read the CA file %1: %2").arg(path, file.errorString()));
    const QList<QSslCertificate> certs = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certs.isEmpty())
        return makeError("tls.ca-file", Tr::tr("The CA file %1 holds no PEM certificate.").arg(path));
    m_ssl.addCaCertificates(certs);
    return {};
}

void HttpClient::setBackoff(int baseMs, int maxMs)
{
    m_backoffBaseMs = baseMs;
    m_backoffMaxMs = maxMs;
}

quint64 HttpClient::send(const HttpRequest &request, QObject *context, Callback done)
{
    auto *job = new Job;
    job->id = m_nextId++;
    job->request = request;
    if (job->request.timeoutMs < 0)
        job->request.timeoutMs = NetworkDefaults::timeoutMs();
    if (job->request.maxRetries < 0)
        job->request.maxRetries = NetworkDefaults::retries();
    job->context = context;
    job->hasContext = context != nullptr;
    job->done = std::move(done);
    job->timer.setSingleShot(true);
    m_jobs.insert(job->id, job);
    const quint64 id = job->id; // the job may finish (and be deleted) before send() returns
    startRespectingLimit(job);
    return id;
}

void HttpClient::startRespectingLimit(Job *job)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!m_rateLimitedUntil.isValid() || m_rateLimitedUntil <= now)
        return start(job);
    const qint64 waitMs = now.msecsTo(m_rateLimitedUntil) + 250;
    if (waitMs / 1000 > m_maxRetryAfterSec) {
        HttpResponse response;
        response.url = job->request.url;
        response.error = makeError(
            "http.rate-limited",
            Tr::tr("%1: the API rate limit of %2 is used up until %3 UTC; Opsdeck sends no more "
                   "requests until then.")
                .arg(job->request.what.isEmpty() ? job->request.url.path() : job->request.what,
                     hostOf(job->request.url), m_rateLimitedUntil.toString(QStringLiteral("HH:mm:ss"))));
        // Answered from the event loop, like every other answer: never inside send().
        QTimer::singleShot(0, this, [this, id = job->id, response] {
            if (Job *pending = m_jobs.value(id))
                finish(pending, response);
        });
        return;
    }
    job->timer.disconnect();
    job->timer.setInterval(int(waitMs));
    connect(&job->timer, &QTimer::timeout, this, [this, job] {
        if (m_jobs.contains(job->id) && !job->cancelled)
            start(job);
    });
    job->timer.start();
}

void HttpClient::start(Job *job)
{
    ++job->attempts;
    job->body.clear();
    job->timedOut = false;
    job->tooLarge = false;
    job->saved = 0;
    job->fileError.clear();
    job->file.reset();

    const HttpRequest &r = job->request;
    QNetworkRequest req(r.url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, r.followRedirects
                                                                   ? QNetworkRequest::SameOriginRedirectPolicy
                                                                   : QNetworkRequest::ManualRedirectPolicy);
    req.setMaximumRedirectsAllowed(m_maxRedirects);
    req.setSslConfiguration(m_ssl);
    req.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Opsdeck/" OPSDECK_VERSION));
    if (!r.withoutDefaultHeaders)
        for (const auto &[name, value] : m_defaultHeaders)
            req.setRawHeader(name, value);
    for (const auto &[name, value] : r.headers)
        req.setRawHeader(name, value);
    if (r.useEtag) {
        const auto cached = m_etagCache.constFind(r.url.toString());
        if (cached != m_etagCache.constEnd())
            req.setRawHeader("If-None-Match", cached->etag);
    }

    // HEAD through its own call: a custom "HEAD" would wait for the body its Content-Length announces.
    QNetworkReply *reply =
        r.method == "HEAD" ? m_nam->head(req) : m_nam->sendCustomRequest(req, r.method, r.body);
    job->reply = reply;
    job->timer.disconnect();
    job->timer.setInterval(r.timeoutMs);
    connect(&job->timer, &QTimer::timeout, reply, [job, reply] {
        job->timedOut = true;
        reply->abort();
    });
    job->timer.start();
    const auto keepAlive = [job] {
        job->timer.start();
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, [job, reply, keepAlive] {
        keepAlive();
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > job->request.maxBytes) {
            job->tooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::uploadProgress, this, keepAlive);
    connect(reply, &QNetworkReply::readyRead, this, [job, reply, keepAlive] {
        keepAlive();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (!job->request.saveTo.isEmpty() && status >= 200 && status < 300) {
            // Written as it comes; an error page still goes to memory, for its message.
            if (!job->file) {
                job->file = std::make_unique<QFile>(job->request.saveTo);
                if (!job->file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
                    job->fileError = job->file->errorString();
                    reply->abort();
                    return;
                }
            }
            const QByteArray chunk = reply->readAll();
            job->saved += chunk.size();
            if (job->file->write(chunk) != chunk.size()) {
                job->fileError = job->file->errorString();
                reply->abort();
                return;
            }
            if (job->saved > job->request.maxBytes) {
                job->tooLarge = true;
                reply->abort();
            }
            return;
        }
        job->body += reply->readAll();
        if (job->body.size() > job->request.maxBytes) {
            job->tooLarge = true;
            job->body.clear();
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::sslErrors, this,
            [job](const QList<QSslError> &errors) { job->sslErrors = errors; });
    connect(reply, &QNetworkReply::finished, this, [this, job] { onFinished(job); });
}

void HttpClient::onFinished(Job *job)
{
    job->timer.stop();
    QNetworkReply *reply = job->reply;
    if (!reply)
        return;
    if (!job->tooLarge && !job->timedOut && !job->cancelled &&
        reply->isOpen()) { // an aborted reply is closed
        const QByteArray rest = reply->readAll();
        if (job->file && job->fileError.isEmpty()) {
            job->saved += rest.size();
            if (job->file->write(rest) != rest.size())
                job->fileError = job->file->errorString();
        } else {
            job->body += rest;
        }
    }
    if (job->file && !job->file->flush() && job->fileError.isEmpty())
        job->fileError = job->file->errorString();
    job->file.reset();
    reply->deleteLater();
    job->reply = nullptr;

    const HttpRequest &r = job->request;
    const QString host = hostOf(r.url);
    const QString what =
        r.what.isEmpty() ? QStringLiteral("%1 %2").arg(QString::fromLatin1(r.method), r.url.path()) : r.what;
    HttpResponse response;
    response.url = reply->url();
    response.attempts = job->attempts;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &pair : reply->rawHeaderPairs())
        response.headers.emplaceBack(pair.first, pair.second);
    response.rateLimit = RateLimit::fromHeaders(response.headers);
    if (response.rateLimit) {
        emit rateLimitChanged(*response.rateLimit);
        if (response.rateLimit->remaining == 0 && response.rateLimit->reset > QDateTime::currentDateTimeUtc())
            m_rateLimitedUntil = response.rateLimit->reset; // respected by every later request
    }

    const QNetworkReply::NetworkError netError = reply->error();
    if (job->cancelled) {
        response.error = makeError("http.cancelled", Tr::tr("%1 was cancelled.").arg(what));
    } else if (!job->fileError.isEmpty()) {
        response.error = makeError("file.write", Tr::tr("%1: the answer from %2 cannot be saved to %3: %4")
                                                     .arg(what, host, r.saveTo, job->fileError));
    } else if (job->tooLarge) {
        response.error =
            makeError("http.too-large", Tr::tr("%1: the answer from %2 is larger than the limit of %3 MB.")
                                            .arg(what, host)
                                            .arg(double(r.maxBytes) / (1024 * 1024), 0, 'f', 1));
    } else if (job->timedOut) {
        response.error = makeError("net.timeout", Tr::tr("%1: %2 did not answer within %3 seconds.")
                                                      .arg(what, host)
                                                      .arg(r.timeoutMs / 1000.0, 0, 'g', 3));
    } else if (netError == QNetworkReply::TooManyRedirectsError ||
               netError == QNetworkReply::InsecureRedirectError) {
        response.error =
            makeError("http.redirects", Tr::tr("%1: %2 redirected too often or to another site (%3).")
                                            .arg(what, host, reply->errorString()));
    } else if (netError == QNetworkReply::SslHandshakeFailedError) {
        response.error =
            makeError("net.tls", Tr::tr("%1: the TLS certificate of %2 was refused: %3")
                                     .arg(what, host, tlsAdvice(job->sslErrors, reply->errorString())));
    } else if (response.status == 304 && r.useEtag && m_etagCache.contains(r.url.toString())) {
        const CachedAnswer &cached = m_etagCache[r.url.toString()];
        response.status = 200;
        response.notModified = true;
        response.body = cached.body;
    } else if (response.status >= 400) {
        response.body = job->body;
        // A server that quotes the credentials back (an echoing proxy, a verbose error page) must
        // not carry them into the UI, the log or the audit log.
        const QString detail =
            redactCredentials(errorMessageFromBody(job->body), m_defaultHeaders + r.headers);
        const QString reason = reasonPhrase(response.status);
        QString message =
            Tr::tr("%1: %2 answered %3 %4").arg(what, host).arg(response.status).arg(reason).trimmed();
        if (!detail.isEmpty())
            message += QStringLiteral(": ") + detail;
        if (response.status == 401)
            message += Tr::tr(" (check the connection's credentials)");
        response.error = makeError(httpStatusErrorCode(response.status), message);
    } else if (netError != QNetworkReply::NoError || response.status == 0) {
        const bool reset = netError == QNetworkReply::RemoteHostClosedError && response.status != 0;
        const char *code = reset ? "net.reset"
                           : (netError == QNetworkReply::ConnectionRefusedError ||
                              netError == QNetworkReply::HostNotFoundError ||
                              netError == QNetworkReply::TemporaryNetworkFailureError ||
                              netError == QNetworkReply::NetworkSessionFailedError ||
                              netError == QNetworkReply::RemoteHostClosedError ||
                              netError == QNetworkReply::UnknownNetworkError)
                               ? "net.unreachable"
                               : "net.error";
        response.error =
            makeError(code, reset ? Tr::tr("%1: the connection to %2 broke off during the answer (%3).")
                                        .arg(what, host, reply->errorString())
                                  : Tr::tr("%1: cannot reach %2: %3.").arg(what, host, reply->errorString()));
    } else if (const QByteArray type = response.header("Content-Type").toLower();
               r.expectJson && !job->body.isEmpty() && !type.isEmpty() && !type.contains("json")) {
        // A sign-in page of a proxy, a captive portal, an HTML error page: not the API's answer.
        response.body = job->body;
        response.error =
            makeError("http.content-type",
                      Tr::tr("%1: %2 answered with %3 instead of JSON (a proxy or sign-in page in between?).")
                          .arg(what, host,
                               QString::fromLatin1(
                                   type.left(type.indexOf(';') < 0 ? type.size() : type.indexOf(';')))));
    } else {
        response.body = job->body;
        if (r.useEtag) {
            const QByteArray etag = response.header("ETag");
            if (!etag.isEmpty())
                m_etagCache.insert(r.url.toString(), CachedAnswer{etag, response.body, response.headers});
        }
    }

    qCInfo(lcHttp).noquote() << r.method
                             << (r.secretUrl ? r.url.scheme() + QStringLiteral("://") + hostOf(r.url) +
                                                   QStringLiteral("/[redacted]")
                                             : r.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery))
                             << response.status << "attempt" << job->attempts
                             << (response.error
                                     ? response.error->code + QStringLiteral(": ") + response.error->message
                                     : QStringLiteral("ok"));

    if (response.error && !job->cancelled && scheduleRetry(job, response))
        return;
    finish(job, std::move(response));
}

bool HttpClient::scheduleRetry(Job *job, const HttpResponse &response)
{
    const HttpRequest &r = job->request;
    if (!r.isIdempotent() || job->attempts > r.maxRetries)
        return false;
    const QString code = response.error->code;
    const QByteArray retryAfterHeader = response.header("Retry-After");
    const bool rateLimited =
        response.status == 429 || (response.status == 403 && !retryAfterHeader.isEmpty()) ||
        (response.status == 403 && response.rateLimit && response.rateLimit->remaining == 0);
    const bool retryable = rateLimited || isRetryableStatus(response.status) ||
                           code == QLatin1String("net.timeout") || code == QLatin1String("net.reset") ||
                           code == QLatin1String("net.unreachable");
    if (!retryable)
        return false;

    qint64 delayMs = -1;
    if ((response.status == 429 || response.status == 503 || rateLimited) && !retryAfterHeader.isEmpty()) {
        const auto seconds = parseRetryAfter(retryAfterHeader, QDateTime::currentDateTimeUtc());
        if (seconds) {
            if (*seconds > m_maxRetryAfterSec)
                return false; // too long to wait inside one action: the caller shows the message
            delayMs = *seconds * 1000;
        }
    }
    const bool primaryExhausted = (response.status == 403 || response.status == 429) && response.rateLimit &&
                                  response.rateLimit->remaining == 0;
    if (delayMs < 0 && primaryExhausted) {
        const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(response.rateLimit->reset);
        if (seconds > m_maxRetryAfterSec)
            return false;
        delayMs = qMax<qint64>(0, seconds) * 1000 + 250;
    }
    if (delayMs < 0) {
        // Exponential backoff with jitter: half fixed, half random.
        const qint64 cap =
            qMin<qint64>(m_backoffMaxMs, qint64(m_backoffBaseMs) << qMin(job->attempts - 1, 16));
        delayMs = cap / 2 + QRandomGenerator::global()->bounded(cap / 2 + 1);
    }
    job->timer.disconnect();
    job->timer.setInterval(int(delayMs));
    connect(&job->timer, &QTimer::timeout, this, [this, job] {
        if (m_jobs.contains(job->id) && !job->cancelled)
            start(job);
    });
    job->timer.start();
    return true;
}

void HttpClient::finish(Job *job, HttpResponse response)
{
    m_jobs.remove(job->id);
    const bool deliver = !job->hasContext || !job->context.isNull();
    Callback done = std::move(job->done);
    delete job;
    if (deliver && done)
        done(response);
}

void HttpClient::cancel(quint64 id)
{
    Job *job = m_jobs.value(id);
    if (!job)
        return;
    job->cancelled = true;
    if (job->reply) {
        job->reply->abort(); // finished -> onFinished -> "cancelled"
    } else {
        job->timer.stop(); // waiting to retry
        HttpResponse response;
        response.url = job->request.url;
        response.attempts = job->attempts;
        response.error = makeError("http.cancelled", Tr::tr("The request was cancelled."));
        finish(job, response);
    }
}

void HttpClient::cancelAll()
{
    const auto ids = m_jobs.keys();
    for (quint64 id : ids)
        cancel(id);
}

HttpClient::NextPage HttpClient::linkNext()
{
    return [](const HttpResponse &response, int) -> std::optional<QUrl> {
        const auto links = response.links();
        if (links.contains(QStringLiteral("next")))
            return links.value(QStringLiteral("next"));
        return std::nullopt;
    };
}

HttpClient::NextPage HttpClient::pageNumberNext(const QString &pageParam, int pageSize,
                                                std::function<int(const HttpResponse &)> countItems,
                                                int firstPage)
{
    return [=](const HttpResponse &response, int pagesSoFar) -> std::optional<QUrl> {
        if (countItems(response) < pageSize)
            return std::nullopt;
        return withQueryItem(response.url, pageParam, QString::number(firstPage + pagesSoFar));
    };
}

void HttpClient::fetchPages(const HttpRequest &first, int maxPages, QObject *context,
                            std::function<void(const Result<QList<HttpResponse>> &)> done, NextPage next)
{
    if (!next)
        next = linkNext();
    auto pages = std::make_shared<QList<HttpResponse>>();
    auto step = std::make_shared<std::function<void(const HttpRequest &)>>();
    QPointer<QObject> guard = context;
    const bool hasContext = context != nullptr;
    *step = [this, pages, step, maxPages, done, next, guard, hasContext](const HttpRequest &request) {
        send(request, nullptr,
             [pages, step, maxPages, done, next, guard, hasContext, request](const HttpResponse &r) {
                 const auto deliver = [&](const Result<QList<HttpResponse>> &result) {
                     *step = nullptr; // break the self-reference
                     if (!hasContext || guard)
                         done(result);
                 };
                 if (!r.ok())
                     return deliver(*r.error);
                 pages->append(r);
                 const auto nextUrl = next(r, int(pages->size()));
                 if (!nextUrl || pages->size() >= maxPages)
                     return deliver(*pages);
                 if (nextUrl->host() != request.url.host() || nextUrl->scheme() != request.url.scheme())
                     return deliver(makeError(
                         "http.pagination",
                         Tr::tr("The next page points to another server (%1).").arg(nextUrl->host())));
                 HttpRequest nextRequest = request;
                 nextRequest.url = *nextUrl;
                 (*step)(nextRequest);
             });
    };
    (*step)(first);
}

} // namespace opsdeck
