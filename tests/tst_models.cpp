// Item models over the cache: QAbstractItemModelTester attached before filling, and row-by-row
// merges that keep selection (persistent indexes) across reloads, never a reset.
#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/store/cachetablemodel.h"
#include "models/store/database.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

namespace {
class ListModel : public CacheTableModel
{
public:
    CacheRows rows;

protected:
    CacheLoader loader() const override
    {
        const CacheRows copy = rows;
        return [copy](QSqlDatabase) -> Result<CacheRows> {
            return copy;
        };
    }
    QStringList watchedTables() const override { return {QStringLiteral("things")}; }
    QStringList headers() const override { return {QStringLiteral("Name"), QStringLiteral("Value")}; }
};

CacheRows make(const QList<QPair<int, QString>> &items)
{
    CacheRows rows;
    for (const auto &[key, value] : items)
        rows << CacheRow{key, {QStringLiteral("row %1").arg(key), value}};
    return rows;
}

QList<int> keys(const CacheTableModel &m)
{
    QList<int> k;
    for (int r = 0; r < m.rowCount(); ++r)
        k << m.rowAt(r).key.toInt();
    return k;
}
} // namespace

class TestModels : public QObject
{
    Q_OBJECT
private slots:
    void mergeKeepsPersistentIndexes();
    void mergeRandomised();
    void largeArrivalIsOneReset();
    void connectionsModelFollowsCache();
};

void TestModels::mergeKeepsPersistentIndexes()
{
    ListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.merge(make({{1, QStringLiteral("a")}, {2, QStringLiteral("b")}, {3, QStringLiteral("c")}}));
    QCOMPARE(keys(model), QList<int>({1, 2, 3}));
    QCOMPARE(resets.count(), 1); // the first fill of an empty model is one reset
    resets.clear();

    QItemSelectionModel selection(&model);
    selection.setCurrentIndex(model.index(2, 0),
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const QPersistentModelIndex selected = model.index(2, 0);

    // Insert before the selection, change a value, remove one, move one.
    model.merge(make({{0, QStringLiteral("z")},
                      {3, QStringLiteral("c")},
                      {1, QStringLiteral("A")},
                      {4, QStringLiteral("d")}}));
    QCOMPARE(keys(model), QList<int>({0, 3, 1, 4}));
    QCOMPARE(model.index(2, 1).data().toString(), QStringLiteral("A"));
    QVERIFY(selected.isValid());
    QCOMPARE(selected.data(CacheTableModel::KeyRole).toInt(), 3);
    QCOMPARE(selection.currentIndex().data(CacheTableModel::KeyRole).toInt(), 3);
    QVERIFY(selection.isRowSelected(selected.row(), {}));
    QCOMPARE(resets.count(), 0);
    QVERIFY(changed.count() >= 1);

    // Unchanged data emits nothing.
    changed.clear();
    model.merge(make({{0, QStringLiteral("z")},
                      {3, QStringLiteral("c")},
                      {1, QStringLiteral("A")},
                      {4, QStringLiteral("d")}}));
    QCOMPARE(changed.count(), 0);

    model.merge({});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!selected.isValid());
}

void TestModels::mergeRandomised()
{
    ListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QRandomGenerator rng(42);
    for (int round = 0; round < 200; ++round) {
        QList<QPair<int, QString>> items;
        for (int k = 0; k < 30; ++k)
            if (rng.bounded(3) != 0)
                items << qMakePair(k, QString::number(rng.bounded(3)));
        // shuffle a little: the cache may return rows in a new order after a sort change
        for (int i = 0; i < items.size(); ++i)
            if (rng.bounded(5) == 0)
                items.swapItemsAt(i, rng.bounded(int(items.size())));
        const CacheRows rows = make(items);
        model.merge(rows);
        QCOMPARE(model.rowCount(), int(rows.size()));
        for (int r = 0; r < rows.size(); ++r)
            QCOMPARE(model.rowAt(r), rows.at(r));
    }
}

void TestModels::largeArrivalIsOneReset()
{
    // A sorting proxy takes inserted rows one by one into its sorted mapping; thousands of new
    // rows at once arrive as one reset instead, small changes as row-by-row merges.
    ListModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(1);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QList<QPair<int, QString>> items;
    for (int i = 0; i < 10; ++i)
        items.append({i, QStringLiteral("v%1").arg(i)});
    model.merge(make(items));
    QCOMPARE(resets.count(), 1);
    for (int i = 10; i < 15; ++i)
        items.append({i, QStringLiteral("v%1").arg(i)});
    model.merge(make(items));
    QCOMPARE(resets.count(), 1);
    QCOMPARE(inserted.count(), 1);
    for (int i = 15; i < 5015; ++i)
        items.append({i, QStringLiteral("v%1").arg(i)});
    model.merge(make(items));
    QCOMPARE(resets.count(), 2);
    QCOMPARE(model.rowCount(), 5015);
    QCOMPARE(proxy.rowCount(), 5015);
    QCOMPARE(proxy.index(0, 1).data().toString(), QStringLiteral("v0"));
    QCOMPARE(proxy.index(5014, 1).data().toString(), QStringLiteral("v999")); // sorted as text
}

void TestModels::connectionsModelFollowsCache()
{
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    ConnectionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    const auto add = [](const QString &name, ConnectionKind kind) {
        Connection c;
        c.kind = kind;
        c.name = name;
        c.endpoint =
            kind == ConnectionKind::Docker ? QStringLiteral("/run/docker.sock") : defaultBaseUrl(kind);
        c.auth = authKindsFor(kind).first();
        if (kind == ConnectionKind::GitHub)
            c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
        if (c.auth == AuthKind::Basic)
            c.username = QStringLiteral("u");
        CacheTransaction tx;
        QVERIFY(tx.begin().ok());
        auto saved = ConnectionStore::save(tx.db(), c);
        QVERIFY2(saved.ok(), qPrintable(saved.message()));
        tx.touch(Tables::connections, saved->id);
        QVERIFY(tx.commit().ok());
    };
    add(QStringLiteral("bravo"), ConnectionKind::Docker);
    add(QStringLiteral("delta"), ConnectionKind::GitHub);
    QTRY_COMPARE(model.rowCount(), 2);
    resets.clear(); // the first fill of an empty model is one reset; merges after it are not
    QCOMPARE(model.index(0, ConnectionsModel::Name).data().toString(), QStringLiteral("bravo"));
    QCOMPARE(model.index(1, ConnectionsModel::Kind).data().toString(),
             kindDisplayName(ConnectionKind::GitHub));
    QCOMPARE(model.index(0, ConnectionsModel::Health).data().toString(), QStringLiteral("not synced yet"));

    QItemSelectionModel selection(&model);
    selection.setCurrentIndex(model.index(1, 0), QItemSelectionModel::ClearAndSelect);
    add(QStringLiteral("alpha"), ConnectionKind::Harbor); // sorts first: the selection must follow "delta"
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(selection.currentIndex().data().toString(), QStringLiteral("delta"));
    QCOMPARE(selection.currentIndex().row(), 2);

    // A recorded sync shows up as a change of the health column.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const qint64 deltaId = model.connectionAt(2).id;
    {
        CacheTransaction tx;
        QVERIFY(tx.begin().ok());
        QVERIFY(ConnectionStore::recordFailure(
                    tx.db(), deltaId, QStringLiteral("health"), QDateTime::currentDateTimeUtc(),
                    Error{QStringLiteral("http.unauthorized"), QStringLiteral("401 Bad credentials")})
                    .ok());
        tx.touch(Tables::syncState, deltaId);
        QVERIFY(tx.commit().ok());
    }
    QTRY_VERIFY(changed.count() > 0);
    QCOMPARE(model.healthAt(2).state, ConnectionHealth::Failed);
    QCOMPARE(model.index(2, ConnectionsModel::Health).data(Qt::ToolTipRole).toString(),
             QStringLiteral("401 Bad credentials"));

    model.setSyncing(deltaId, true, 40);
    QCOMPARE(model.healthAt(2).state, ConnectionHealth::Syncing);
    QCOMPARE(model.syncProgress(deltaId), 40);
    model.setSyncing(deltaId, false);

    {
        CacheTransaction tx;
        QVERIFY(tx.begin().ok());
        QVERIFY(ConnectionStore::remove(tx.db(), model.connectionAt(0).id).ok());
        tx.touch(Tables::connections);
        QVERIFY(tx.commit().ok());
    }
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(selection.currentIndex().data().toString(), QStringLiteral("delta"));
    QCOMPARE(resets.count(), 0);
    Database::close();
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
