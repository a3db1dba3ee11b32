// TestRunsService, third part: the mock servers golden suites run against, and their health.
#include "models/store/database.h"
#include "services/net/httpclient.h"
#include "services/testruns/mockstore.h"
#include "services/testruns/teamsettings.h"
#include "services/testruns/testrunsservice.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTimer>

#include <memory>

Q_LOGGING_CATEGORY(lcMocks, "opsdeck.mocks", QtInfoMsg)

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunsService)
};
} // namespace

void TestRunsService::saveMock(quint64 job, const MockServer &mock)
{
    if (auto allowed = TeamSettings::mayChange(QStringLiteral("testrun.mock"), mock.name.trimmed(),
                                               AuditAction::testrunMockSet);
        !allowed)
        return emit mockSaved(job, false, allowed.message(), mock.id);
    const auto saved = MockStore::save(mock);
    emit mockSaved(job, saved.ok(),
                   saved ? Tr::tr("%1 saved.").arg(mock.name.trimmed()) : saved.error().message,
                   saved ? saved.value() : mock.id);
    if (!saved)
        return;
    checkMock(saved.value());
    if (m_publishing)
        if (auto shared = TeamSettings::sharedMock(Database::connection(), saved.value()); shared) {
            TestRunRecordChange change;
            change.kind = TestRunRecordChange::Kind::SetMock;
            change.mock = shared.value();
            emit testSettingsToShare({change});
        }
}

void TestRunsService::removeMock(quint64 job, qint64 mockId)
{
    const auto shared = TeamSettings::sharedMock(Database::connection(), mockId);
    if (shared)
        if (auto allowed = TeamSettings::mayChange(QStringLiteral("testrun.mock"), shared->name,
                                                   AuditAction::testrunMockRemove);
            !allowed)
            return emit mockSaved(job, false, allowed.message(), mockId);
    const auto removed = MockStore::remove(mockId);
    m_mockUp.remove(mockId);
    emit mockSaved(job, removed.ok(), removed ? Tr::tr("Removed.") : removed.error().message, mockId);
    if (removed && shared && m_publishing) {
        TestRunRecordChange change;
        change.kind = TestRunRecordChange::Kind::RemoveMock;
        change.mock.name = shared->name;
        emit testSettingsToShare({change});
    }
}

void TestRunsService::setHealthChecks(bool on)
{
    if (!on) {
        if (m_healthTimer)
            m_healthTimer->stop();
        return;
    }
    if (!m_healthTimer) {
        m_healthTimer = new QTimer(this);
        m_healthTimer->setInterval(5000);
        connect(m_healthTimer, &QTimer::timeout, this, &TestRunsService::checkDueMocks);
    }
    m_healthTimer->start();
    checkDueMocks();
}

void TestRunsService::checkDueMocks()
{
    if (m_demo)
        return;
    const auto mocks = MockStore::all(Database::connection());
    if (!mocks)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const MockServer &m : mocks.value()) {
        const QDateTime last = MockStore::lastCheck(Database::connection(), m.id);
        if (!last.isValid() || last.secsTo(now) >= m.intervalSec)
            checkMock(m.id);
    }
}

void TestRunsService::checkMock(qint64 mockId)
{
    if (!m_http || m_checking.contains(mockId))
        return;
    const auto mocks = MockStore::all(Database::connection());
    if (!mocks)
        return;
    const auto found = std::find_if(mocks->cbegin(), mocks->cend(),
                                    [mockId](const MockServer &m) { return m.id == mockId; });
    if (found == mocks->cend())
        return;
    const MockServer mock = *found;
    HttpRequest request;
    request.url = mock.healthUrl();
    request.what = Tr::tr("Health check of %1").arg(mock.name);
    request.timeoutMs = qBound(1000, mock.intervalSec * 1000 / 2, 10000);
    request.maxRetries = 0;
    request.expectJson = false;
    request.maxBytes = 1024 * 1024;
    m_checking.insert(mockId);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_http->send(request, this, [this, mock, clock](const HttpResponse &r) {
        m_checking.remove(mock.id);
        HealthCheck check;
        check.at = QDateTime::currentDateTimeUtc();
        check.latencyMs = clock->elapsed();
        check.status = r.status;
        check.up = r.ok() && r.status >= 200 && r.status < 400;
        check.detail =
            check.up ? Tr::tr("%1 answered %2 in %3 ms.").arg(mock.name).arg(r.status).arg(check.latencyMs)
                     : (r.error ? r.error->message : Tr::tr("%1 answered %2.").arg(mock.name).arg(r.status));
        if (auto recorded = MockStore::record(mock.id, check); !recorded)
            qCWarning(lcMocks).noquote() << recorded.error().message;
        const auto before = m_mockUp.constFind(mock.id);
        if (before == m_mockUp.cend() || *before != check.up) {
            // Changes are worth a line in the log; every check is in the cache.
            if (check.up)
                qCInfo(lcMocks).noquote() << mock.name << "is up:" << check.detail;
            else
                qCWarning(lcMocks).noquote() << mock.name << "is down:" << check.detail;
        }
        m_mockUp.insert(mock.id, check.up);
        emit mockChecked(mock.id, check.up, check.detail);
    });
}

} // namespace opsdeck
