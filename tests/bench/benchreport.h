// Benchmarks print their figures for people and, when OPSDECK_BENCH_JSON names a file, append
// each key figure to it as one JSON object per line; scripts/bench.sh collects them into a table
// and one JSON document.
#pragma once

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

inline void benchFigure(const QString &bench, const QString &figure, double value, const QString &unit,
                        double reference = NAN, const QString &referenceName = {})
{
    const QString path = qEnvironmentVariable("OPSDECK_BENCH_JSON");
    if (path.isEmpty())
        return;
    QJsonObject o{{QStringLiteral("bench"), bench},
                  {QStringLiteral("figure"), figure},
                  {QStringLiteral("value"), value},
                  {QStringLiteral("unit"), unit}};
    if (!std::isnan(reference) && reference > 0) {
        o.insert(QStringLiteral("reference"), reference);
        o.insert(QStringLiteral("reference_name"), referenceName);
        o.insert(QStringLiteral("ratio"), value / reference);
    }
    QFile f(path);
    if (f.open(QIODevice::Append))
        f.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
}
