#include "models/testruns/goldensuite.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GoldenSuite)
};

QString xmlEscaped(const QString &text)
{
    QString out = text.toHtmlEscaped();
    // Characters XML 1.0 forbids (a response's control bytes) are shown, not written.
    for (qsizetype i = 0; i < out.size(); ++i) {
        const char16_t c = out.at(i).unicode();
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            out.replace(i, 1, QStringLiteral("\\x%1").arg(int(c), 2, 16, QLatin1Char('0')));
    }
    return out;
}

QString headersText(const GoldenHeaders &headers)
{
    QString out;
    for (const auto &[name, value] : headers)
        out += name + QStringLiteral(": ") + value + QLatin1Char('\n');
    return out;
}
} // namespace

QJsonObject GoldenSuiteSettings::toJson() const
{
    QJsonObject o{{QStringLiteral("folder"), folder},
                  {QStringLiteral("base_url"), baseUrl},
                  {QStringLiteral("concurrency"), concurrency},
                  {QStringLiteral("timeout_ms"), timeoutMs}};
    if (isGit()) {
        o.insert(QStringLiteral("git_url"), gitUrl);
        o.insert(QStringLiteral("git_ref"), gitRef);
    }
    if (mockId)
        o.insert(QStringLiteral("mock_id"), mockId);
    return o;
}

GoldenSuiteSettings GoldenSuiteSettings::fromJson(const QJsonObject &o)
{
    GoldenSuiteSettings s;
    s.folder = o.value(QLatin1String("folder")).toString();
    s.gitUrl = o.value(QLatin1String("git_url")).toString();
    s.gitRef = o.value(QLatin1String("git_ref")).toString();
    s.baseUrl = o.value(QLatin1String("base_url")).toString();
    s.concurrency = o.value(QLatin1String("concurrency")).toInt(4);
    s.timeoutMs = o.value(QLatin1String("timeout_ms")).toInt(10000);
    s.mockId = o.value(QLatin1String("mock_id")).toInteger();
    return s;
}

Result<void> GoldenSuiteSettings::check() const
{
    const QUrl base(baseUrl.trimmed(), QUrl::StrictMode);
    if (baseUrl.trimmed().isEmpty() || !base.isValid() || base.host().isEmpty() ||
        (base.scheme() != QLatin1String("http") && base.scheme() != QLatin1String("https")))
        return makeError("validation.url",
                         Tr::tr("The base URL must be an http or https address with a host, "
                                "such as http://127.0.0.1:8080 (got \"%1\").")
                             .arg(baseUrl));
    if (!base.query().isEmpty() || !base.fragment().isEmpty() || !base.userInfo().isEmpty())
        return makeError(
            "validation.url",
            Tr::tr("The base URL takes no query, fragment or credentials; cases add their own."));
    if (isGit()) {
        const QUrl git(gitUrl.trimmed());
        const QString scheme = git.scheme();
        if (!git.isValid() || (scheme != QLatin1String("https") && scheme != QLatin1String("http") &&
                               scheme != QLatin1String("git") && scheme != QLatin1String("file")))
            return makeError(
                "validation.url",
                Tr::tr("The repository must be an https, http, git or file URL (got \"%1\").").arg(gitUrl));
        if (!git.userInfo().isEmpty())
            return makeError(
                "validation.url",
                Tr::tr("The repository URL must not carry credentials; Opsdeck keeps no secret in "
                       "a suite's settings."));
        if (folder.contains(QLatin1String("..")) || folder.startsWith(QLatin1Char('/')))
            return makeError(
                "validation.path",
                Tr::tr("The folder within the repository must be relative and stay inside it (got "
                       "\"%1\").")
                    .arg(folder));
    } else if (folder.trimmed().isEmpty() || !QFileInfo(folder).isAbsolute()) {
        return makeError("validation.path",
                         Tr::tr("Choose the folder of the suite's case files (an absolute path)."));
    }
    if (concurrency < 1 || concurrency > 32)
        return makeError("validation.range", Tr::tr("Run 1 to 32 cases at once (got %1).").arg(concurrency));
    if (timeoutMs < 100 || timeoutMs > 600000)
        return makeError("validation.range",
                         Tr::tr("A case may take 0.1 to 600 seconds (got %1 ms).").arg(timeoutMs));
    return {};
}

QUrl GoldenSuiteSettings::urlFor(const QString &casePath) const
{
    QString base = baseUrl.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + (casePath.startsWith(QLatin1Char('/')) ? casePath : QLatin1Char('/') + casePath));
}

QByteArray goldenBodyBytes(const QJsonValue &body)
{
    if (body.isObject())
        return QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    if (body.isArray())
        return QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{body}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2); // a string, number, true, false or null on its own
}

QByteArray goldenRequestText(const GoldenResult &result, const QUrl &url)
{
    const GoldenRequest &r = result.goldenCase.request;
    QString out = r.method + QLatin1Char(' ') + url.toString() + QLatin1Char('\n') + headersText(r.headers);
    if (r.hasBody)
        out += QLatin1Char('\n') + QString::fromUtf8(goldenBodyBytes(r.body)) + QLatin1Char('\n');
    return out.toUtf8();
}

QByteArray goldenResponseText(const GoldenResult &result)
{
    if (!result.sendError.isEmpty())
        return Tr::tr("No response: %1\n").arg(result.sendError).toUtf8();
    QByteArray out = QByteArray::number(result.status) + '\n' + headersText(result.headers).toUtf8() + '\n';
    const QJsonDocument json = QJsonDocument::fromJson(result.body);
    out += json.isNull() ? result.body : json.toJson(QJsonDocument::Indented);
    return out;
}

QByteArray goldenJUnitReport(const QString &suite, const QList<GoldenResult> &results,
                             const QDateTime &startedAt)
{
    int failures = 0, errors = 0;
    qint64 totalMs = 0;
    QString cases;
    for (const GoldenResult &r : results) {
        totalMs += r.durationMs;
        const QFileInfo file(r.goldenCase.file);
        const QString classname =
            file.path() == QLatin1String(".") ? suite : suite + QLatin1Char('.') + file.path();
        QString body;
        if (!r.loadError.isEmpty() || !r.sendError.isEmpty()) {
            ++errors;
            const QString why = r.loadError.isEmpty() ? r.sendError : r.loadError;
            body = QStringLiteral("<error message=\"%1\" type=\"%2\">%1</error>")
                       .arg(xmlEscaped(why), r.loadError.isEmpty() ? QStringLiteral("no-response")
                                                                   : QStringLiteral("unreadable-case"));
        } else if (!r.mismatches.isEmpty()) {
            ++failures;
            const GoldenMismatch &first = r.mismatches.first();
            body =
                QStringLiteral("<failure message=\"%1\" type=\"mismatch\">%2</failure>")
                    .arg(
                        xmlEscaped(
                            Tr::tr("%1: expected %2, got %3").arg(first.where, first.expected, first.actual)),
                        xmlEscaped(goldenDiffText(r.mismatches)));
        }
        if (r.status > 0 || !r.sendError.isEmpty())
            body += QStringLiteral("<system-out>%1</system-out>")
                        .arg(xmlEscaped(QString::fromUtf8(goldenResponseText(r).left(16 * 1024))));
        cases +=
            QStringLiteral("<testcase classname=\"%1\" name=\"%2\" file=\"%3\" time=\"%4\">%5</testcase>\n")
                .arg(xmlEscaped(classname), xmlEscaped(r.goldenCase.name), xmlEscaped(r.goldenCase.file))
                .arg(double(r.durationMs) / 1000.0, 0, 'f', 3)
                .arg(body);
    }
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"%1\" tests=\"%2\" "
                          "failures=\"%3\" errors=\"%4\" time=\"%5\" timestamp=\"%6\">\n%7</testsuite>\n")
        .arg(xmlEscaped(suite))
        .arg(results.size())
        .arg(failures)
        .arg(errors)
        .arg(double(totalMs) / 1000.0, 0, 'f', 3)
        .arg(startedAt.toUTC().toString(Qt::ISODate), cases)
        .toUtf8();
}

} // namespace opsdeck
