// Streams the audit events a filter selects to CSV or JSON Lines, row by row (constant memory),
// with progress and cancellation. Used by the Audit log pane and `opsdeck audit export`.
#pragma once

#include "models/audit/auditevent.h"
#include "models/core/result.h"

#include <QSqlDatabase>

#include <functional>

class QIODevice;

namespace opsdeck::AuditExport {

enum class Format { Csv, JsonLines };
std::optional<Format> formatFromId(const QString &id);

QStringList csvHeader();
QByteArray csvLine(const AuditEvent &event);
QByteArray jsonLine(const AuditEvent &event);

// Returns the number of events written. progress(done, total) may return false to cancel.
Result<qint64> write(QSqlDatabase db, const AuditFilter &filter, Format format, QIODevice *out,
                     const std::function<bool(qint64, qint64)> &progress = {});

// Parses one RFC 4180 CSV record (fields may hold commas, quotes and newlines); for tests and imports.
QList<QStringList> parseCsv(const QByteArray &data);

} // namespace opsdeck::AuditExport
