#include "models/store/batchwriter.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QStringList>

#include <sqlite3.h>

#include <utility>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BatchWriter)
};

sqlite3 *handleOf(const QSqlDatabase &db)
{
    // Qt documents handle() of the QSQLITE driver as the connection's sqlite3 pointer.
    const QVariant v = db.driver() ? db.driver()->handle() : QVariant();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}
} // namespace

BatchWriter::BatchWriter(QSqlDatabase db, QString head, int columns, QString tail, QString what,
                         int rowsPerStatement)
    : m_db(std::move(db)), m_handle(handleOf(m_db)), m_head(std::move(head)), m_tail(std::move(tail)),
      m_what(std::move(what)), m_columns(columns),
      m_rowsPerStatement(qBound(1, rowsPerStatement, qMax(1, 32766 / qMax(1, columns))))
{
    m_values.reserve(size_t(m_columns) * size_t(m_rowsPerStatement));
}

BatchWriter::BatchWriter(BatchWriter &&other) noexcept
    : m_db(std::move(other.m_db)), m_handle(other.m_handle), m_head(std::move(other.m_head)),
      m_tail(std::move(other.m_tail)), m_what(std::move(other.m_what)), m_columns(other.m_columns),
      m_rowsPerStatement(other.m_rowsPerStatement), m_full(std::exchange(other.m_full, nullptr)),
      m_values(std::move(other.m_values)), m_rows(std::exchange(other.m_rows, 0)), m_written(other.m_written)
{
}

qint64 BatchWriter::lastInsertId() const
{
    return m_handle ? sqlite3_last_insert_rowid(m_handle) : 0;
}

BatchWriter::~BatchWriter()
{
    sqlite3_finalize(m_full); // rows still pending are dropped: the caller's transaction failed
}

void BatchWriter::add(std::optional<qint64> value)
{
    if (value)
        add(*value);
    else
        addNull();
}

Result<void> BatchWriter::endRow()
{
    if (int(m_values.size()) != (m_rows + 1) * m_columns)
        return makeError("db.error", Tr::tr("%1 failed: a row has %2 values instead of %3.")
                                         .arg(m_what)
                                         .arg(int(m_values.size()) - m_rows * m_columns)
                                         .arg(m_columns));
    if (++m_rows == m_rowsPerStatement)
        return write(m_rows);
    return {};
}

Result<void> BatchWriter::finish()
{
    if (m_rows == 0)
        return {};
    return write(m_rows);
}

Error BatchWriter::failure(const char *step) const
{
    // Through Database::describe, so that a full disk or a locked file reads as everywhere else.
    const QString text = m_handle ? QString::fromUtf8(sqlite3_errmsg(m_handle)) : QString::fromLatin1(step);
    const int code = m_handle ? sqlite3_extended_errcode(m_handle) : 1;
    return Database::describe(
        QSqlError(QString::fromLatin1(step), text, QSqlError::StatementError, QString::number(code)), m_what);
}

Result<sqlite3_stmt *> BatchWriter::prepare(int rows)
{
    QString marks = QStringLiteral("(?");
    for (int c = 1; c < m_columns; ++c)
        marks += QStringLiteral(",?");
    marks += QLatin1Char(')');
    QStringList all;
    all.reserve(rows);
    for (int r = 0; r < rows; ++r)
        all << marks;
    const QByteArray sql = (m_head + QLatin1Char(' ') + all.join(QLatin1Char(',')) +
                            (m_tail.isEmpty() ? QString() : QLatin1Char(' ') + m_tail))
                               .toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(m_handle, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
        sqlite3_finalize(statement);
        return failure("prepare");
    }
    return statement;
}

Result<void> BatchWriter::write(int rows)
{
    if (!m_handle)
        return makeError("db.error",
                         Tr::tr("%1 failed: the cache is not an open SQLite database.").arg(m_what));
    sqlite3_stmt *statement = nullptr;
    const bool full = rows == m_rowsPerStatement;
    if (full && m_full) {
        statement = m_full;
    } else {
        auto prepared = prepare(rows);
        if (!prepared) {
            m_values.clear();
            m_rows = 0;
            return prepared.error();
        }
        statement = *prepared;
        if (full)
            m_full = statement;
    }
    int index = 1;
    int rc = SQLITE_OK;
    for (const Value &v : m_values) {
        if (const auto *i = std::get_if<qint64>(&v))
            rc = sqlite3_bind_int64(statement, index, *i);
        else if (const auto *d = std::get_if<double>(&v))
            rc = sqlite3_bind_double(statement, index, *d);
        else if (const auto *t = std::get_if<QByteArray>(&v))
            rc = sqlite3_bind_text(statement, index, t->isNull() ? "" : t->constData(), int(t->size()),
                                   SQLITE_STATIC); // m_values outlives the step below
        else
            rc = sqlite3_bind_null(statement, index);
        if (rc != SQLITE_OK)
            break;
        ++index;
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_step(statement);
    const Error error = rc == SQLITE_DONE ? Error{} : failure("step");
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (statement != m_full)
        sqlite3_finalize(statement);
    m_values.clear();
    m_rows = 0;
    if (rc != SQLITE_DONE)
        return error;
    m_written += rows;
    return {};
}

} // namespace opsdeck
