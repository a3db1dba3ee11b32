#include "models/tunnel/cloudflareapi.h"

#include "models/core/jsonanswer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::CloudflareApi)
};

bool sameName(const QString &a, const QString &b)
{
    const auto bare = [](QString s) {
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1); // a fully qualified name's root dot
        return s;
    };
    return bare(a).compare(bare(b), Qt::CaseInsensitive) == 0;
}
} // namespace

Result<QJsonObject> cloudflareEnvelope(const QByteArray &body)
{
    const auto parsed = jsonObjectAnswer(body, Tr::tr("Cloudflare's answer"), "cloudflare.schema");
    if (!parsed)
        return parsed.error();
    const QJsonObject &o = parsed.value();
    if (!o.value(QLatin1String("success")).isBool())
        return makeError("cloudflare.schema",
                         Tr::tr("Cloudflare's answer is not the API's envelope (no \"success\" field)."));
    if (o.value(QLatin1String("success")).toBool())
        return o;
    QStringList errors;
    for (const QJsonValue &e : o.value(QLatin1String("errors")).toArray()) {
        const QJsonObject error = e.toObject();
        const QString message = error.value(QLatin1String("message")).toString().simplified().left(300);
        if (message.isEmpty())
            continue;
        errors << (error.value(QLatin1String("code")).isDouble()
                       ? QStringLiteral("%1 (code %2)")
                             .arg(message)
                             .arg(error.value(QLatin1String("code")).toInteger())
                       : message);
        if (errors.size() == 5)
            break; // enough to act on; the rest would only fill the status bar
    }
    if (errors.isEmpty())
        return makeError("cloudflare.error", Tr::tr("Cloudflare refused the request and gave no reason."));
    return makeError("cloudflare.error",
                     Tr::tr("Cloudflare refused: %1").arg(errors.join(QStringLiteral("; "))));
}

QString cnameRecordId(const QJsonObject &envelope, const QString &hostname, const QString &target)
{
    for (const QJsonValue &v : envelope.value(QLatin1String("result")).toArray()) {
        const QJsonObject record = v.toObject();
        const QString id = record.value(QLatin1String("id")).toString();
        if (!id.isEmpty() && record.value(QLatin1String("type")).toString() == QLatin1String("CNAME") &&
            sameName(record.value(QLatin1String("name")).toString(), hostname) &&
            sameName(record.value(QLatin1String("content")).toString(), target))
            return id;
    }
    return {};
}

} // namespace opsdeck
