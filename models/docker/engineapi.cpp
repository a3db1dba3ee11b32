#include "models/docker/engineapi.h"

#include "models/core/jsonanswer.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::EngineApi)
};
} // namespace

int EngineApi::number(const QString &version)
{
    static const QRegularExpression re(QStringLiteral("^([0-9]{1,3})\\.([0-9]{1,3})$"));
    const auto m = re.match(version);
    return m.hasMatch() ? m.captured(1).toInt() * 1000 + m.captured(2).toInt() : 0;
}

Result<EngineApi::Negotiated> EngineApi::negotiate(const QByteArray &versionBody, const QString &engineName)
{
    auto object =
        jsonObjectAnswer(versionBody, Tr::tr("%1's answer to GET /version").arg(engineName), "docker.schema");
    if (!object)
        return object.error();
    const QJsonObject &o = object.value();
    Negotiated n;
    n.answer = o;
    n.engineVersion = o.value(QLatin1String("Version")).toString();
    n.engineApi = o.value(QLatin1String("ApiVersion")).toString();
    n.engineMinApi = o.value(QLatin1String("MinAPIVersion")).toString();
    const QString supported =
        Tr::tr(
            "Opsdeck speaks Docker Engine API %1 to %2 (Docker Engine 1.12 to 27, or any newer engine that "
            "still accepts API %2; podman 3 and later).")
            .arg(QLatin1String(oldest), QLatin1String(newest));
    // An engine that names no API version is taken to speak the oldest one, as the Docker CLI does.
    const int engineNewest = n.engineApi.isEmpty() ? number(QLatin1String(oldest)) : number(n.engineApi);
    if (engineNewest == 0)
        return makeError("docker.schema",
                         Tr::tr("%1 gave \"%2\" as its API version, which is not a version number. %3")
                             .arg(engineName, n.engineApi, supported));
    const int engineOldest = n.engineMinApi.isEmpty() ? 0 : number(n.engineMinApi);
    if (!n.engineMinApi.isEmpty() && engineOldest == 0)
        return makeError("docker.schema",
                         Tr::tr("%1 gave \"%2\" as its oldest API version, which is not a version number. %3")
                             .arg(engineName, n.engineMinApi, supported));
    const QString engine =
        n.engineVersion.isEmpty() ? engineName : Tr::tr("%1 (engine %2)").arg(engineName, n.engineVersion);
    if (engineNewest < number(QLatin1String(oldest)))
        return makeError(
            "docker.api-version",
            Tr::tr("%1 speaks Docker Engine API up to %2, older than Opsdeck reads. %3 Upgrade the "
                   "engine.")
                .arg(engine, n.engineApi, supported));
    if (engineOldest > number(QLatin1String(newest)))
        return makeError("docker.api-version",
                         Tr::tr("%1 no longer accepts API %2: it speaks %3 to %4, and its answers in those "
                                "versions have shapes Opsdeck does not read. %5 Use an engine that still "
                                "accepts API %2, or a newer Opsdeck.")
                             .arg(engine, QLatin1String(newest), n.engineMinApi, n.engineApi, supported));
    const int pinned = qMin(engineNewest, number(QLatin1String(newest)));
    n.version = QByteArray::number(pinned / 1000) + '.' + QByteArray::number(pinned % 1000);
    return n;
}

} // namespace opsdeck
