#include "models/core/jsonschema.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::JsonSchema)
};

bool hasType(const QJsonValue &v, const QString &type)
{
    if (type == QLatin1String("object"))
        return v.isObject();
    if (type == QLatin1String("array"))
        return v.isArray();
    if (type == QLatin1String("string"))
        return v.isString();
    if (type == QLatin1String("boolean"))
        return v.isBool();
    if (type == QLatin1String("null"))
        return v.isNull();
    if (type == QLatin1String("number"))
        return v.isDouble();
    if (type == QLatin1String("integer"))
        return v.isDouble() && std::floor(v.toDouble()) == v.toDouble() && std::isfinite(v.toDouble());
    return false;
}

std::optional<QString> check(const QJsonValue &v, const QJsonObject &s, const QString &path)
{
    if (s.contains(QStringLiteral("type"))) {
        const QJsonValue t = s.value(QStringLiteral("type"));
        bool ok = false;
        if (t.isArray()) {
            for (const QJsonValue &one : t.toArray())
                ok = ok || hasType(v, one.toString());
        } else {
            ok = hasType(v, t.toString());
        }
        if (!ok)
            return Tr::tr("%1 is not of type %2")
                .arg(path, t.isArray() ? QStringLiteral("one of its types") : t.toString());
    }
    if (s.contains(QStringLiteral("enum")) && !s.value(QStringLiteral("enum")).toArray().contains(v))
        return Tr::tr("%1 is not one of the allowed values").arg(path);
    if (v.isString()) {
        const qsizetype n = v.toString().size();
        if (s.contains(QStringLiteral("minLength")) && n < s.value(QStringLiteral("minLength")).toInt())
            return Tr::tr("%1 is too short").arg(path);
        if (s.contains(QStringLiteral("maxLength")) && n > s.value(QStringLiteral("maxLength")).toInt())
            return Tr::tr("%1 is too long").arg(path);
        if (s.contains(QStringLiteral("pattern")) &&
            !QRegularExpression(s.value(QStringLiteral("pattern")).toString()).match(v.toString()).hasMatch())
            return Tr::tr("%1 does not match its pattern").arg(path);
    }
    if (v.isDouble() && s.contains(QStringLiteral("minimum")) &&
        v.toDouble() < s.value(QStringLiteral("minimum")).toDouble())
        return Tr::tr("%1 is below its minimum").arg(path);
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (const QJsonValue &r : s.value(QStringLiteral("required")).toArray())
            if (!o.contains(r.toString()))
                return Tr::tr("%1 lacks %2").arg(path, r.toString());
        const QJsonObject properties = s.value(QStringLiteral("properties")).toObject();
        const bool closed = s.value(QStringLiteral("additionalProperties")) == QJsonValue(false);
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString at = path + QLatin1Char('.') + it.key();
            if (properties.contains(it.key())) {
                if (auto problem = check(it.value(), properties.value(it.key()).toObject(), at))
                    return problem;
            } else if (closed) {
                return Tr::tr("%1 is not allowed").arg(at);
            }
        }
    }
    if (v.isArray() && s.contains(QStringLiteral("items"))) {
        const QJsonArray a = v.toArray();
        const QJsonObject items = s.value(QStringLiteral("items")).toObject();
        for (qsizetype i = 0; i < a.size(); ++i)
            if (auto problem = check(a.at(i), items, QStringLiteral("%1[%2]").arg(path).arg(i)))
                return problem;
    }
    return std::nullopt;
}
} // namespace

Result<void> validateJson(const QJsonValue &value, const QJsonObject &schema)
{
    if (auto problem = check(value, schema, QStringLiteral("$")))
        return makeError("json.schema", Tr::tr("The document does not match its schema: %1.").arg(*problem));
    return {};
}

} // namespace opsdeck
