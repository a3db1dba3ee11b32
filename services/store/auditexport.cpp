#include "services/store/auditexport.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace opsdeck::AuditExport {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AuditExport)
};

QByteArray csvField(const QString &value)
{
    QByteArray v = value.toUtf8();
    if (v.contains(',') || v.contains('"') || v.contains('\n') || v.contains('\r')) {
        v.replace("\"", "\"\"");
        v = '"' + v + '"';
    }
    return v;
}

QStringList fields(const AuditEvent &e)
{
    return {QString::number(e.id),
            e.source,
            e.timestamp.toUTC().toString(Qt::ISODateWithMs),
            e.osUser,
            e.backendIdentity,
            e.connectionId ? QString::number(*e.connectionId) : QString(),
            e.connectionName,
            e.system,
            e.action,
            e.targetKind,
            e.targetId,
            e.targetName,
            outcomeId(e.outcome),
            e.comment,
            QString::fromUtf8(QJsonDocument(e.details).toJson(QJsonDocument::Compact)),
            e.prevHash,
            e.hash};
}
} // namespace

std::optional<Format> formatFromId(const QString &id)
{
    if (id == QLatin1String("csv"))
        return Format::Csv;
    if (id == QLatin1String("jsonl"))
        return Format::JsonLines;
    return std::nullopt;
}

QStringList csvHeader()
{
    return {QStringLiteral("id"),
            QStringLiteral("source"),
            QStringLiteral("timestamp"),
            QStringLiteral("os_user"),
            QStringLiteral("backend_identity"),
            QStringLiteral("connection_id"),
            QStringLiteral("connection"),
            QStringLiteral("system"),
            QStringLiteral("action"),
            QStringLiteral("target_kind"),
            QStringLiteral("target_id"),
            QStringLiteral("target_name"),
            QStringLiteral("outcome"),
            QStringLiteral("comment"),
            QStringLiteral("details"),
            QStringLiteral("prev_hash"),
            QStringLiteral("hash")};
}

QByteArray csvLine(const AuditEvent &e)
{
    QByteArrayList out;
    for (const QString &f : fields(e))
        out << csvField(f);
    return out.join(',') + "\r\n";
}

QByteArray jsonLine(const AuditEvent &e)
{
    QJsonObject o{
        {QStringLiteral("id"), e.id},
        {QStringLiteral("source"), e.source},
        {QStringLiteral("timestamp"), e.timestamp.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("actor"), QJsonObject{{QStringLiteral("os_user"), e.osUser},
                                              {QStringLiteral("backend_identity"), e.backendIdentity}}},
        {QStringLiteral("connection"),
         QJsonObject{{QStringLiteral("id"), e.connectionId ? QJsonValue(*e.connectionId) : QJsonValue()},
                     {QStringLiteral("name"), e.connectionName},
                     {QStringLiteral("system"), e.system}}},
        {QStringLiteral("action"), e.action},
        {QStringLiteral("target"), QJsonObject{{QStringLiteral("kind"), e.targetKind},
                                               {QStringLiteral("id"), e.targetId},
                                               {QStringLiteral("name"), e.targetName}}},
        {QStringLiteral("outcome"), outcomeId(e.outcome)},
        {QStringLiteral("comment"), e.comment},
        {QStringLiteral("details"), e.details},
        {QStringLiteral("prev_hash"), e.prevHash},
        {QStringLiteral("hash"), e.hash}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

Result<qint64> write(QSqlDatabase db, const AuditFilter &filter, Format format, QIODevice *out,
                     const std::function<bool(qint64, qint64)> &progress)
{
    const auto total = countAuditEvents(db, filter);
    if (!total)
        return total.error();
    auto query = selectAuditEvents(db, filter);
    if (!query)
        return query.error();
    QSqlQuery &q = query.value();
    if (format == Format::Csv) {
        QByteArrayList header;
        for (const QString &h : csvHeader())
            header << h.toUtf8();
        if (out->write(header.join(',') + "\r\n") < 0)
            return makeError("export.write", Tr::tr("Cannot write the export: %1").arg(out->errorString()));
    }
    qint64 written = 0;
    while (q.next()) {
        const AuditEvent e = auditEventFromRecord(q.record());
        const QByteArray line = format == Format::Csv ? csvLine(e) : jsonLine(e);
        if (out->write(line) != line.size())
            return makeError("export.write", Tr::tr("Cannot write the export: %1").arg(out->errorString()));
        ++written;
        if (progress && written % 2000 == 0 && !progress(written, total.value()))
            return makeError(
                "export.cancelled",
                Tr::tr("The export was cancelled after %1 of %2 events.").arg(written).arg(total.value()));
    }
    if (progress)
        progress(written, total.value());
    return written;
}

QList<QStringList> parseCsv(const QByteArray &data)
{
    QList<QStringList> records;
    QStringList record;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data.at(i);
        if (quoted) {
            if (c == '"' && i + 1 < data.size() && data.at(i + 1) == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record << QString::fromUtf8(field);
            field.clear();
        } else if (c == '\r' && i + 1 < data.size() && data.at(i + 1) == '\n') {
            continue;
        } else if (c == '\n') {
            record << QString::fromUtf8(field);
            field.clear();
            records << record;
            record.clear();
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !record.isEmpty()) {
        record << QString::fromUtf8(field);
        records << record;
    }
    return records;
}

} // namespace opsdeck::AuditExport
