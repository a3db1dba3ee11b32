#include "models/github/deviceflow.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DeviceFlow)
};

Error invalid(const QString &why)
{
    return makeError("github.device",
                     Tr::tr("GitHub's answer to the device flow is not what its documentation "
                            "describes: %1")
                         .arg(why));
}

QString describeError(const QString &error, const QString &description)
{
    if (error == QLatin1String("device_flow_disabled"))
        return Tr::tr(
            "The GitHub app does not allow the device flow: enable it in the app's settings on GitHub.");
    if (error == QLatin1String("incorrect_client_credentials"))
        return Tr::tr(
            "GitHub does not know this client ID: check the OAuth app's client ID on the connection.");
    return description.isEmpty() ? Tr::tr("GitHub answered %1.").arg(error)
                                 : Tr::tr("GitHub answered %1: %2").arg(error, description.left(300));
}
} // namespace

Result<DeviceCode> parseDeviceCode(const QByteArray &body)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return invalid(Tr::tr("not a JSON object."));
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1String("error")))
        return makeError("github.device",
                         describeError(o.value(QLatin1String("error")).toString(),
                                       o.value(QLatin1String("error_description")).toString()));
    DeviceCode c;
    c.deviceCode = o.value(QLatin1String("device_code")).toString();
    c.userCode = o.value(QLatin1String("user_code")).toString();
    c.verificationUri = QUrl(o.value(QLatin1String("verification_uri")).toString(), QUrl::StrictMode);
    const QJsonValue expires = o.value(QLatin1String("expires_in"));
    const QJsonValue interval = o.value(QLatin1String("interval"));
    static const QRegularExpression userCode(QStringLiteral("\\A[A-Z0-9]{4}-[A-Z0-9]{4}\\z"));
    if (c.deviceCode.isEmpty() || c.deviceCode.size() > 200)
        return invalid(Tr::tr("no device_code."));
    if (!userCode.match(c.userCode).hasMatch())
        return invalid(Tr::tr("the user_code is not eight characters with a hyphen in the middle."));
    if (!c.verificationUri.isValid() || (c.verificationUri.scheme() != QLatin1String("https") &&
                                         c.verificationUri.scheme() != QLatin1String("http")))
        return invalid(Tr::tr("the verification_uri is not a web address."));
    if (!expires.isDouble() || expires.toInt() <= 0 || expires.toInt() > 24 * 3600)
        return invalid(Tr::tr("expires_in is not a number of seconds."));
    if (!interval.isDouble() || interval.toInt() < 0 || interval.toInt() > 3600)
        return invalid(Tr::tr("interval is not a number of seconds."));
    c.expiresIn = expires.toInt();
    c.interval = interval.toInt();
    return c;
}

DevicePoll parseDevicePoll(const QByteArray &body, int lastInterval)
{
    DevicePoll p;
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject()) {
        p.message = invalid(Tr::tr("not a JSON object.")).message;
        return p;
    }
    const QJsonObject o = doc.object();
    const QString error = o.value(QLatin1String("error")).toString();
    if (error.isEmpty()) {
        p.accessToken = o.value(QLatin1String("access_token")).toString();
        if (p.accessToken.isEmpty() || p.accessToken.size() > 4096 ||
            p.accessToken.contains(QLatin1Char('\n'))) {
            p.message = invalid(Tr::tr("no access_token.")).message;
            p.accessToken.clear();
            return p;
        }
        p.state = DevicePoll::State::Token;
        return p;
    }
    if (error == QLatin1String("authorization_pending")) {
        p.state = DevicePoll::State::Pending;
    } else if (error == QLatin1String("slow_down")) {
        p.state = DevicePoll::State::SlowDown;
        const int given = o.value(QLatin1String("interval")).toInt(0);
        p.interval = given > lastInterval && given <= 3600 ? given : lastInterval + 5;
    } else if (error == QLatin1String("expired_token")) {
        p.state = DevicePoll::State::Expired;
        p.message = Tr::tr("The code expired before it was entered: start again for a new one.");
    } else if (error == QLatin1String("access_denied")) {
        p.state = DevicePoll::State::Denied;
        p.message = Tr::tr("The request was denied on GitHub: nothing was linked.");
    } else {
        p.message = describeError(error, o.value(QLatin1String("error_description")).toString());
    }
    return p;
}

QUrl oauthOrigin(const QString &apiEndpoint)
{
    const QUrl api(apiEndpoint);
    QUrl origin;
    origin.setScheme(api.scheme());
    origin.setHost(api.host().compare(QLatin1String("api.github.com"), Qt::CaseInsensitive) == 0
                       ? QStringLiteral("github.com")
                       : api.host());
    origin.setPort(api.port());
    return origin;
}

} // namespace opsdeck
