#include "ui/panes/audit/auditreport.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTextDocument>

namespace opsdeck::AuditReport {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AuditReport)
};
} // namespace

Result<int> writePdf(const QString &path, const AuditFilter &filter,
                     const std::function<bool(int, int)> &progress)
{
    QSqlDatabase db = Database::connection();
    const auto count = countAuditEvents(db, filter);
    if (!count)
        return count.error();
    const qint64 total = count.value();
    auto query = selectAuditEvents(db, filter, maxEvents);
    if (!query)
        return query.error();
    QSqlQuery &q = query.value();

    const int shown = int(qMin<qint64>(total, maxEvents));
    QString html;
    html += QStringLiteral("<h2>%1</h2>").arg(Tr::tr("Opsdeck audit report").toHtmlEscaped());
    html +=
        QStringLiteral("<p><b>%1</b><br>%2<br>%3</p>")
            .arg(describeFilter(filter).toHtmlEscaped(),
                 Tr::tr("Generated %1 UTC by %2.")
                     .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), qEnvironmentVariable("USER"))
                     .toHtmlEscaped(),
                 (total > shown
                      ? Tr::tr("%1 matching events; the first %2 are listed. Export CSV or JSON Lines "
                               "for all of them.")
                            .arg(total)
                            .arg(shown)
                      : Tr::tr("%1 matching events.").arg(total))
                     .toHtmlEscaped());
    html += QStringLiteral(
                "<table border=1 cellspacing=0 cellpadding=2 width=100% style='font-size:7pt'>"
                "<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th><th>%5</th><th>%6</th><th>%7</th></tr>")
                .arg(Tr::tr("Time (UTC)"), Tr::tr("Actor"), Tr::tr("System"), Tr::tr("Action"),
                     Tr::tr("Target"), Tr::tr("Outcome"), Tr::tr("Comment"));
    int rows = 0;
    while (q.next()) {
        const AuditEvent e = auditEventFromRecord(q.record());
        html +=
            QStringLiteral(
                "<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td></tr>")
                .arg(e.timestamp.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), e.osUser.toHtmlEscaped(),
                     (e.connectionName.isEmpty() ? e.system : e.connectionName).toHtmlEscaped(),
                     e.action.toHtmlEscaped(),
                     (e.targetKind + QLatin1Char(' ') + (e.targetName.isEmpty() ? e.targetId : e.targetName))
                         .toHtmlEscaped(),
                     outcomeId(e.outcome), e.comment.toHtmlEscaped());
        ++rows;
        if (progress && rows % 500 == 0 && !progress(rows, shown))
            return makeError("export.cancelled", Tr::tr("The report was cancelled."));
    }
    html += QStringLiteral("</table>");

    {
        QFile probe(path);
        if (!probe.open(QIODevice::WriteOnly))
            return makeError("export.write", Tr::tr("Cannot write %1: %2").arg(path, probe.errorString()));
    }
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageOrientation(QPageLayout::Landscape);
    writer.setTitle(Tr::tr("Opsdeck audit report"));
    writer.setCreator(QStringLiteral("Opsdeck"));
    QTextDocument document;
    document.setHtml(html);
    document.print(&writer);
    if (progress)
        progress(rows, shown);
    return rows;
}

} // namespace opsdeck::AuditReport
