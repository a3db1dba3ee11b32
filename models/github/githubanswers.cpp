#include "models/github/githubanswers.h"

#include "models/core/jsonanswer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GitHubAnswers)
};

Result<QJsonObject> object(const QByteArray &body)
{
    return jsonObjectAnswer(body, Tr::tr("GitHub's answer"), "github.schema");
}

Error missing(const char *field, const char *type)
{
    return makeError("github.schema", Tr::tr("GitHub's answer lacks a valid \"%1\" (%2 expected).")
                                          .arg(QLatin1String(field), QLatin1String(type)));
}
} // namespace

Result<JitConfigAnswer> parseJitConfigAnswer(const QByteArray &body)
{
    const auto o = object(body);
    if (!o)
        return o.error();
    const QJsonValue config = o->value(QLatin1String("encoded_jit_config"));
    if (!config.isString() || config.toString().isEmpty())
        return missing("encoded_jit_config", "string");
    if (!o->value(QLatin1String("runner")).isObject())
        return missing("runner", "object");
    auto runner = runnerFromJson(o->value(QLatin1String("runner")).toObject());
    if (!runner)
        return runner.error();
    return JitConfigAnswer{runner.value(), config.toString()};
}

Result<GitHubToken> parseTokenAnswer(const QByteArray &body)
{
    const auto o = object(body);
    if (!o)
        return o.error();
    const QJsonValue token = o->value(QLatin1String("token"));
    if (!token.isString() || token.toString().isEmpty())
        return missing("token", "string");
    const QDateTime expires =
        QDateTime::fromString(o->value(QLatin1String("expires_at")).toString(), Qt::ISODateWithMs);
    if (!expires.isValid())
        return missing("expires_at", "date-time");
    return GitHubToken{token.toString(), expires.toUTC()};
}

Result<QStringList> parseRunnerLabels(const QByteArray &body)
{
    const auto o = object(body);
    if (!o)
        return o.error();
    if (!o->value(QLatin1String("labels")).isArray())
        return missing("labels", "array");
    QStringList labels;
    for (const QJsonValue &v : o->value(QLatin1String("labels")).toArray()) {
        const QString label = v.toObject().value(QLatin1String("name")).toString();
        if (label.isEmpty())
            return makeError("github.schema", Tr::tr("GitHub sent a label without a name."));
        labels << label;
    }
    return labels;
}

} // namespace opsdeck
