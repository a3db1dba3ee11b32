#include "services/testruns/goldenrunner.h"

#include "services/net/httpclient.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <memory>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GoldenRunner)
};

constexpr qint64 maxCaseFileBytes = 4 * 1024 * 1024;
constexpr qint64 maxResponseBytes = 16 * 1024 * 1024;
} // namespace

Result<QList<GoldenResult>> loadGoldenCases(const QString &folder)
{
    const QDir dir(folder);
    if (folder.isEmpty() || !dir.exists())
        return makeError("golden.path", Tr::tr("The suite's folder %1 does not exist.").arg(folder));
    QStringList files;
    QDirIterator it(folder, {QStringLiteral("*.json")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << dir.relativeFilePath(it.next());
    std::sort(files.begin(), files.end());
    if (files.isEmpty())
        return makeError("golden.empty",
                         Tr::tr("The suite's folder %1 holds no case file (*.json).").arg(folder));
    QList<GoldenResult> cases;
    for (const QString &file : std::as_const(files)) {
        GoldenResult r;
        r.goldenCase.file = file;
        r.goldenCase.name = file.chopped(5);
        QFile f(dir.filePath(file));
        if (f.size() > maxCaseFileBytes) {
            r.loadError = Tr::tr("%1 is larger than %2 MiB; a case file is a request and its answer.")
                              .arg(file)
                              .arg(maxCaseFileBytes / (1024 * 1024));
        } else if (!f.open(QIODevice::ReadOnly)) {
            r.loadError = Tr::tr("%1 cannot be read: %2").arg(file, f.errorString());
        } else if (auto parsed = parseGoldenCase(f.readAll(), file)) {
            r.goldenCase = parsed.value();
            r.goldenCase.file = file;
            if (r.goldenCase.name == file) // unnamed: its path, without ".json"
                r.goldenCase.name = file.chopped(5);
        } else {
            r.loadError = parsed.error().message;
        }
        cases << r;
    }
    return cases;
}

GoldenRunner::GoldenRunner(QObject *parent) : QObject(parent), m_http(new HttpClient(this)) {}

GoldenRunner::~GoldenRunner()
{
    m_http->cancelAll();
}

void GoldenRunner::start(const GoldenSuiteSettings &settings, const QList<GoldenResult> &cases)
{
    m_settings = settings;
    m_results = cases;
    m_next = 0;
    m_done = 0;
    m_inFlight = 0;
    m_cancelled = false;
    m_running = true;
    // Cases that could not be read are done already.
    for (const GoldenResult &r : std::as_const(m_results))
        if (!r.loadError.isEmpty())
            ++m_done;
    emit progress(m_done, int(m_results.size()));
    sendNext();
}

void GoldenRunner::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    // A cancelled request answers at once, and the last answer ends the run: iterate over a copy.
    const QSet<quint64> requests = std::exchange(m_requests, {});
    for (quint64 id : requests)
        m_http->cancel(id);
    if (m_inFlight == 0)
        finish();
}

void GoldenRunner::sendNext()
{
    while (!m_cancelled && m_inFlight < m_settings.concurrency && m_next < m_results.size()) {
        const int index = m_next++;
        const GoldenResult &r = m_results.at(index);
        if (!r.loadError.isEmpty())
            continue;
        const GoldenRequest &c = r.goldenCase.request;
        HttpRequest request;
        request.method = c.method.toLatin1();
        request.url = m_settings.urlFor(c.path);
        request.timeoutMs = m_settings.timeoutMs;
        request.maxRetries = 0;
        request.idempotent = false;
        request.expectJson = false;
        request.maxBytes = maxResponseBytes;
        request.what = Tr::tr("Golden case %1").arg(r.goldenCase.name);
        bool typed = false;
        for (const auto &[name, value] : c.headers) {
            request.headers.emplaceBack(name.toLatin1(), value.toUtf8());
            typed = typed || name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) == 0;
        }
        if (c.hasBody) {
            request.body = goldenBodyBytes(c.body);
            if (!typed)
                request.headers.emplaceBack("Content-Type", "application/json");
        }
        ++m_inFlight;
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        const quint64 id = m_http->send(request, this, [this, index, clock](const HttpResponse &response) {
            GoldenResult &result = m_results[index];
            result.durationMs = clock->elapsed();
            if (response.status > 0 && (!response.error || response.status >= 400)) {
                // An HTTP error status is an answer too: the case says whether it was the right one.
                result.status = response.status;
                result.body = response.body;
                for (const auto &[name, value] : response.headers)
                    result.headers.append({QString::fromLatin1(name), QString::fromUtf8(value)});
                result.mismatches = compareGoldenResponse(result.goldenCase.expect, result.status,
                                                          result.headers, result.body);
            } else if (response.error && response.error->code == QLatin1String("http.cancelled")) {
                result.cancelled = true;
            } else {
                result.sendError = response.error ? response.error->message : Tr::tr("No answer.");
            }
            --m_inFlight;
            ++m_done;
            emit progress(m_done, int(m_results.size()));
            if (m_cancelled) {
                if (m_inFlight == 0)
                    finish();
                return;
            }
            sendNext();
        });
        m_requests.insert(id);
    }
    if (!m_cancelled && m_inFlight == 0 && m_next >= m_results.size())
        finish();
}

void GoldenRunner::finish()
{
    if (!m_running)
        return;
    m_running = false;
    m_requests.clear();
    emit finished(m_results, m_cancelled);
}

} // namespace opsdeck
