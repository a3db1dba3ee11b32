#include "models/core/jsonlines.h"

#include <QJsonDocument>

namespace opsdeck {

QList<QJsonObject> JsonLineStream::feed(const QByteArray &data)
{
    m_buffer.append(data);
    QList<QJsonObject> out;
    qsizetype start = 0, nl;
    while ((nl = m_buffer.indexOf('\n', start)) >= 0) {
        const QJsonDocument doc = QJsonDocument::fromJson(m_buffer.mid(start, nl - start));
        if (doc.isObject())
            out << doc.object();
        start = nl + 1;
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > m_max)
        m_buffer.clear(); // not line-delimited: refuse to grow without bound
    return out;
}

PullUpdate parsePullUpdate(const QJsonObject &line)
{
    PullUpdate u;
    if (line.value(QLatin1String("error")).isString()) {
        u.error = line.value(QLatin1String("error")).toString();
        return u;
    }
    u.status = line.value(QLatin1String("status")).toString();
    u.layer = line.value(QLatin1String("id")).toString();
    const QJsonObject detail = line.value(QLatin1String("progressDetail")).toObject();
    const qint64 total = detail.value(QLatin1String("total")).toInteger(-1);
    if (total > 0 && !u.layer.isEmpty()) {
        u.hasProgress = true;
        u.total = total;
        u.current = qBound<qint64>(0, detail.value(QLatin1String("current")).toInteger(), total);
    }
    return u;
}

int pullPercent(const QHash<QString, std::pair<qint64, qint64>> &layers)
{
    double current = 0, total = 0; // doubles: sums of engine-sent sizes cannot overflow
    for (const auto &[done, size] : layers) {
        if (size <= 0)
            continue;
        current += double(qBound<qint64>(0, done, size));
        total += double(size);
    }
    if (total <= 0)
        return -1;
    return qBound(0, int(current * 100.0 / total), 99);
}

} // namespace opsdeck
