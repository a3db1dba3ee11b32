// The one fast write path into the cache for every pane's ingest: rows go through a prepared
// multi-row statement ("INSERT ... VALUES (...), (...), ..." with an optional upsert clause), reused
// for every full batch, bound straight through SQLite's API as UTF-8 (no QVariant per value, no
// UTF-16 text for SQLite to convert). One statement per batch also means one full-text index
// flush per batch where a trigger feeds an FTS5 table, instead of one per row.
//
//   BatchWriter w(tx.db(), "INSERT INTO t (a, b) VALUES", 2, "ON CONFLICT (a) DO UPDATE ...");
//   for (...) { w.add(id); w.add(name); if (auto r = w.endRow(); !r) return r; }
//   if (auto r = w.finish(); !r) return r;      // before the transaction commits
#pragma once

#include "models/core/result.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

#include <optional>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace opsdeck {

class BatchWriter
{
public:
    static constexpr int defaultRows = 128;

    // head: "INSERT INTO table (columns) VALUES"; tail: what follows the values (an upsert
    // clause) or empty. what names the write in error messages ("Writing runners to the cache").
    BatchWriter(QSqlDatabase db, QString head, int columns, QString tail, QString what,
                int rowsPerStatement = defaultRows);
    ~BatchWriter();
    BatchWriter(const BatchWriter &) = delete;
    BatchWriter &operator=(const BatchWriter &) = delete;
    BatchWriter(BatchWriter &&other) noexcept;
    BatchWriter &operator=(BatchWriter &&) = delete;

    void add(qint64 value) { m_values.emplace_back(value); }
    void add(int value) { m_values.emplace_back(qint64(value)); }
    void add(bool value) { m_values.emplace_back(qint64(value ? 1 : 0)); }
    void add(double value) { m_values.emplace_back(value); }
    void add(const QString &text) { m_values.emplace_back(text.toUtf8()); } // a null QString is ''
    void add(QByteArray utf8) { m_values.emplace_back(std::move(utf8)); }
    void add(std::optional<qint64> value);
    void addNull() { m_values.emplace_back(std::monostate{}); }

    // Ends the row begun by the add() calls; writes a batch when one is full.
    Result<void> endRow();
    // Writes the rows still pending. Call before the transaction commits.
    [[nodiscard]] Result<void> finish();
    qint64 rowsWritten() const { return m_written; }
    // The rowid of the last row written (of a one-row statement: that row's).
    qint64 lastInsertId() const;

private:
    using Value = std::variant<std::monostate, qint64, double, QByteArray>;
    Result<void> write(int rows);
    Result<sqlite3_stmt *> prepare(int rows);
    Error failure(const char *step) const;

    QSqlDatabase m_db;
    sqlite3 *m_handle = nullptr;
    QString m_head, m_tail, m_what;
    int m_columns;
    int m_rowsPerStatement;
    sqlite3_stmt *m_full = nullptr; // prepared once for rowsPerStatement rows
    std::vector<Value> m_values;
    int m_rows = 0;
    qint64 m_written = 0;
};

} // namespace opsdeck
