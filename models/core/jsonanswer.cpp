#include "models/core/jsonanswer.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::JsonAnswer)
};
} // namespace

namespace {
Result<QJsonDocument> document(const QByteArray &body, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError("json.malformed", Tr::tr("%1 is not valid JSON (%2 at byte %3).")
                                               .arg(source, parseError.errorString())
                                               .arg(parseError.offset));
    return doc;
}
} // namespace

Result<QJsonArray> jsonArrayAnswer(const QByteArray &body, const QString &source, const char *schemaCode)
{
    const auto doc = document(body, source);
    if (!doc)
        return doc.error();
    if (!doc->isArray())
        return makeError(schemaCode, Tr::tr("%1 is not a JSON array.").arg(source));
    return doc->array();
}

Result<QJsonObject> jsonObjectAnswer(const QByteArray &body, const QString &source, const char *schemaCode)
{
    const auto found = document(body, source);
    if (!found)
        return found.error();
    const QJsonDocument doc = found.value();
    if (!doc.isObject())
        return makeError(schemaCode, Tr::tr("%1 is not a JSON object.").arg(source));
    return doc.object();
}

} // namespace opsdeck
