// Mock servers that golden suites run against: where one answers its health check and how often it
// is asked, optionally the container that runs it (restarted through Docker); and the Mocks list with
// each mock's state, its uptime over the last day and week and its outages (uptimeOf over the
// health history in the cache).
#pragma once

#include "models/core/result.h"
#include "models/store/cachetablemodel.h"
#include "models/testruns/retention.h"

#include <QUrl>

class QSqlQuery;

namespace opsdeck {

struct MockServer
{
    qint64 id = 0;
    QString name;
    QString url;                              // its base address, "http://payments-mock:8080"
    QString healthPath = QStringLiteral("/"); // what is asked on each check
    int intervalSec = 60;
    qint64 dockerConnectionId = 0; // 0: not run by a container Opsdeck knows
    QString container;             // its name or id on that connection

    QUrl healthUrl() const;
    // validation.* with what is wrong: the name, the URL (http or https with a host), the path (from
    // "/"), the interval (5 s to a day), a container without its connection.
    Result<void> check() const;
};

// The columns mockFromQuery reads, in its order, for "SELECT <these> FROM test_mocks".
QString mockColumns();
MockServer mockFromQuery(const QSqlQuery &q);

// One health check: up when the mock answered 2xx or 3xx in time.
struct HealthCheck
{
    QDateTime at;
    bool up = false;
    int status = 0;
    qint64 latencyMs = 0;
    QString detail;
};

class MocksModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Url, State, Uptime24h, Uptime7d, Outages, LastCheck, Container, ColumnCount };
    enum ExtraRoles { MockRole = RawRole + 1, UpRole };
    explicit MocksModel(QObject *parent = nullptr);
    MockServer mockAt(int row) const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::MockServer)
