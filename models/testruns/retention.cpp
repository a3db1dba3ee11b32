#include "models/testruns/retention.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QStringList>

#include <algorithm>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Retention)
};
} // namespace

Uptime uptimeOf(const QList<HealthSample> &samples, const QDateTime &from, const QDateTime &now)
{
    Uptime u;
    qint64 upSeconds = 0;
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const HealthSample &s = samples.at(i);
        if (s.at > now)
            break;
        u.known = true;
        u.upNow = s.up;
        const QDateTime end =
            i + 1 < samples.size() && samples.at(i + 1).at < now ? samples.at(i + 1).at : now;
        const QDateTime start = qMax(s.at, from);
        if (end <= start)
            continue;
        const qint64 seconds = start.secsTo(end);
        u.coveredSeconds += seconds;
        if (s.up) {
            upSeconds += seconds;
            continue;
        }
        // A down sample starts an outage or continues the one before it.
        if (!u.outages.isEmpty() && u.outages.last().to == start)
            u.outages.last().to = end;
        else
            u.outages << Outage{start, end};
    }
    if (!u.outages.isEmpty() && !u.upNow && u.outages.last().to == now)
        u.outages.last().to = QDateTime(); // still down
    u.percent = u.coveredSeconds > 0 ? 100.0 * double(upSeconds) / double(u.coveredSeconds) : 100.0;
    return u;
}

QList<qint64> runsToRemove(const QList<RetainedRun> &runs, const RetentionRules &rules, const QDateTime &now)
{
    QHash<QString, QList<const RetainedRun *>> bySource;
    for (const RetainedRun &r : runs)
        bySource[r.source] << &r;
    QList<qint64> out;
    const QDateTime cutoff = rules.maxAgeDays > 0 ? now.addDays(-rules.maxAgeDays) : QDateTime();
    for (auto it = bySource.begin(); it != bySource.end(); ++it) {
        QList<const RetainedRun *> list = it.value();
        std::sort(list.begin(), list.end(), [](const RetainedRun *a, const RetainedRun *b) {
            return a->startedAt != b->startedAt ? a->startedAt > b->startedAt : a->id > b->id; // newest first
        });
        int kept = 0; // the newest unpinned runs; a pinned one takes no place among them
        for (const RetainedRun *r : std::as_const(list)) {
            if (r->pinned)
                continue;
            const bool tooOld = cutoff.isValid() && r->startedAt < cutoff;
            const bool beyond = rules.maxRunsPerSource > 0 && kept >= rules.maxRunsPerSource;
            kept += tooOld || beyond ? 0 : 1;
            if (tooOld || beyond)
                out << r->id;
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

QDateTime healthCutoff(const RetentionRules &rules, const QDateTime &now)
{
    if (rules.maxAgeDays <= 0)
        return {};
    return now.addDays(-qMax(rules.maxAgeDays, 8));
}

QString retentionSummaryText(const RetentionSummary &s, bool preview)
{
    if (s.isEmpty()) {
        QString text = preview ? Tr::tr("A cleanup now would remove nothing: every run is within the limits.")
                               : Tr::tr("Nothing to clean up: every run is within the limits.");
        if (s.keptRuns > 0)
            text +=
                QLatin1Char(' ') +
                Tr::tr("%n run(s) you kept stay although the limits would remove them.", nullptr, s.keptRuns);
        return text;
    }
    QStringList parts;
    if (s.runs > 0) {
        QStringList sources;
        for (const auto &[name, count] : s.bySource)
            sources << QStringLiteral("%1 %2").arg(name, QLocale().toString(count));
        QString runs = Tr::tr("%n run(s)", nullptr, s.runs);
        if (!sources.isEmpty())
            runs += QStringLiteral(" (") + sources.join(QStringLiteral(", ")) + QLatin1Char(')');
        if (s.artifactFolders > 0)
            runs += QLatin1Char(' ') + Tr::tr("with %n artifact folder(s) of %1", nullptr, s.artifactFolders)
                                           .arg(QLocale().formattedDataSize(s.artifactBytes));
        parts << runs;
    }
    if (s.healthSamples > 0)
        parts << Tr::tr("%n mock health sample(s)", nullptr, s.healthSamples);
    QString text = (preview ? Tr::tr("A cleanup now would remove %1.") : Tr::tr("Removed %1."))
                       .arg(parts.join(Tr::tr(" and ")));
    text += QLatin1Char(' ') + Tr::tr("%n run(s) stay.", nullptr, s.remainingRuns);
    if (s.keptRuns > 0)
        text += QLatin1Char(' ') +
                Tr::tr("%n run(s) you kept stay although the limits would remove them.", nullptr, s.keptRuns);
    return text;
}

} // namespace opsdeck
