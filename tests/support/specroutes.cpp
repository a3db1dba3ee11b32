#include "specroutes.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

QString specsDir()
{
    return QStringLiteral(OPSDECK_SPECS_DIR);
}

void SpecRoutes::add(const QString &method, const QString &path, const QSet<QString> &query,
                     const QString &bodySchema)
{
    QString re = QRegularExpression::escape(path);
    // {param} segments match one path segment; escape() turned the braces into \{ \}
    re.replace(QRegularExpression(QStringLiteral(R"re(\\\{[^}]+\\\})re")), QStringLiteral("[^/]+"));
    m_routes.append({method.toUpper(), path, QRegularExpression(QLatin1Char('^') + re + QLatin1Char('$')),
                     query, bodySchema});
}

QString SpecRoutes::checkBody(const Route &route, const QByteArray &body) const
{
    if (route.bodySchema.isEmpty() || !m_schemas.contains(route.bodySchema))
        return {};
    const Schema &schema = m_schemas.value(route.bodySchema);
    const QString where = QStringLiteral("%1 %2 (%3)").arg(route.method, route.path, route.bodySchema);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("%1: the body is not a JSON object").arg(where);
    const QJsonObject o = doc.object();
    for (const QString &field : schema.required)
        if (!o.contains(field) || o.value(field).isNull())
            return QStringLiteral("%1: the required field \"%2\" is missing").arg(where, field);
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!schema.fields.contains(it.key()))
            return QStringLiteral("%1: the field \"%2\" is not in the API description").arg(where, it.key());
        const QString type = schema.fields.value(it.key());
        const QJsonValue v = it.value();
        if (v.isNull()) {
            if (!type.contains(QLatin1String("|null")))
                return QStringLiteral("%1: \"%2\" may not be null (%3)").arg(where, it.key(), type);
            continue;
        }
        bool ok = true;
        if (type.startsWith(QLatin1String("number")))
            ok = v.isDouble();
        else if (type.startsWith(QLatin1String("integer")))
            ok = v.isDouble() && v.toDouble() == double(qint64(v.toDouble()));
        else if (type.startsWith(QLatin1String("boolean")))
            ok = v.isBool();
        else if (type.startsWith(QLatin1String("array")))
            ok = v.isArray();
        else if (type.startsWith(QLatin1String("string")))
            ok = v.isString();
        else if (type.startsWith(QLatin1String("object")))
            ok = v.isObject();
        if (!ok)
            return QStringLiteral("%1: \"%2\" is not of the type %3").arg(where, it.key(), type);
    }
    return {};
}

QString SpecRoutes::check(const QByteArray &method, const QString &path, const QUrlQuery &query,
                          const QByteArray &body) const
{
    QStringList sameMethodPaths;
    for (const Route &r : m_routes) {
        if (!r.pattern.match(path).hasMatch())
            continue;
        if (r.method != QString::fromLatin1(method).toUpper()) {
            sameMethodPaths << r.method;
            continue;
        }
        for (const auto &[key, value] : query.queryItems()) {
            Q_UNUSED(value)
            if (!r.query.contains(key))
                return QStringLiteral(
                           "%1 %2: query parameter \"%3\" is not in the API description (allowed: %4)")
                    .arg(QString::fromLatin1(method), r.path, key,
                         QStringList(r.query.values()).join(QLatin1Char(',')));
        }
        return checkBody(r, body);
    }
    if (!sameMethodPaths.isEmpty())
        return QStringLiteral("%1 %2: the API description has only %3 for this path")
            .arg(QString::fromLatin1(method), path, sameMethodPaths.join(QLatin1Char(',')));
    return QStringLiteral("%1 %2: no such route in the API description")
        .arg(QString::fromLatin1(method), path);
}

SpecRoutes SpecRoutes::fromOpenApiJson(const QString &file)
{
    SpecRoutes routes;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return routes;
    const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonObject components =
        doc.value(QLatin1String("components")).toObject().value(QLatin1String("parameters")).toObject();
    const auto resolve = [&](const QJsonObject &p) {
        const QString ref = p.value(QLatin1String("$ref")).toString();
        if (ref.startsWith(QLatin1String("#/components/parameters/")))
            return components.value(ref.mid(24)).toObject();
        return p;
    };
    const QJsonObject paths = doc.value(QLatin1String("paths")).toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject item = it.value().toObject();
        QSet<QString> common;
        for (const QJsonValue &p : item.value(QLatin1String("parameters")).toArray()) {
            const QJsonObject param = resolve(p.toObject());
            if (param.value(QLatin1String("in")).toString() == QLatin1String("query"))
                common.insert(param.value(QLatin1String("name")).toString());
        }
        for (auto op = item.begin(); op != item.end(); ++op) {
            if (op.key() == QLatin1String("parameters"))
                continue;
            QSet<QString> query = common;
            for (const QJsonValue &p : op.value().toObject().value(QLatin1String("parameters")).toArray()) {
                const QJsonObject param = resolve(p.toObject());
                if (param.value(QLatin1String("in")).toString() == QLatin1String("query"))
                    query.insert(param.value(QLatin1String("name")).toString());
            }
            routes.add(op.key(), it.key(), query);
        }
    }
    return routes;
}

namespace {
int indentOf(const QString &line)
{
    int n = 0;
    while (n < line.size() && line.at(n) == QLatin1Char(' '))
        ++n;
    return n;
}

QString unquote(QString v)
{
    v = v.trimmed();
    if (v.size() >= 2 && (v.startsWith(QLatin1Char('"')) || v.startsWith(QLatin1Char('\''))))
        v = v.mid(1, v.size() - 2);
    return v;
}
} // namespace

SpecRoutes SpecRoutes::fromSwaggerYaml(const QString &file)
{
    SpecRoutes routes;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return routes;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));

    // Top-level "parameters:" section: NAME -> (name, in)
    QHash<QString, QPair<QString, QString>> shared;
    enum Section { None, Paths, Parameters } section = None;
    QString currentShared;
    for (const QString &line : lines) {
        if (!line.isEmpty() && indentOf(line) == 0) {
            section = line.startsWith(QLatin1String("paths:"))        ? Paths
                      : line.startsWith(QLatin1String("parameters:")) ? Parameters
                                                                      : None;
            if (line.startsWith(QLatin1String("basePath:")))
                routes.m_basePath = unquote(line.mid(9));
            continue;
        }
        if (section != Parameters)
            continue;
        if (indentOf(line) == 2 && line.trimmed().endsWith(QLatin1Char(':'))) {
            currentShared = line.trimmed().chopped(1);
        } else if (indentOf(line) == 4 && line.trimmed().startsWith(QLatin1String("name:"))) {
            shared[currentShared].first = unquote(line.trimmed().mid(5));
        } else if (indentOf(line) == 4 && line.trimmed().startsWith(QLatin1String("in:"))) {
            shared[currentShared].second = unquote(line.trimmed().mid(3));
        }
    }

    section = None;
    QString path;
    QString method;
    QSet<QString> query;
    QString pendingName;
    const auto flush = [&] {
        if (!path.isEmpty() && !method.isEmpty())
            routes.add(method, path, query);
        method.clear();
        query.clear();
    };
    static const QSet<QString> methods{QStringLiteral("get"),  QStringLiteral("post"),
                                       QStringLiteral("put"),  QStringLiteral("delete"),
                                       QStringLiteral("head"), QStringLiteral("patch")};
    for (const QString &line : lines) {
        if (!line.isEmpty() && indentOf(line) == 0) {
            if (section == Paths)
                flush();
            section = line.startsWith(QLatin1String("paths:")) ? Paths : None;
            continue;
        }
        if (section != Paths || line.trimmed().isEmpty())
            continue;
        const int indent = indentOf(line);
        const QString t = line.trimmed();
        if (indent == 2 && t.endsWith(QLatin1Char(':'))) {
            flush();
            path = unquote(t.chopped(1));
        } else if (indent == 4 && methods.contains(t.chopped(1))) {
            flush();
            method = t.chopped(1);
        } else if (!method.isEmpty()) {
            if (t.startsWith(QLatin1String("- name:")))
                pendingName = unquote(t.mid(7));
            else if (t.startsWith(QLatin1String("name:")))
                pendingName = unquote(t.mid(5));
            else if (t.startsWith(QLatin1String("in:")) && unquote(t.mid(3)) == QLatin1String("query"))
                query.insert(pendingName);
            else if (t.startsWith(QLatin1String("- $ref:"))) {
                const QString ref = unquote(t.mid(7));
                const auto p = shared.value(ref.section(QLatin1Char('/'), -1));
                if (p.second == QLatin1String("query"))
                    query.insert(p.first);
            }
        }
    }
    flush();
    return routes;
}

SpecRoutes SpecRoutes::fromLiteLlmSummary(const QString &file)
{
    SpecRoutes routes;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return routes;
    QString method;
    QString path;
    QString body;
    QSet<QString> query;
    bool inQuery = false;
    const auto flush = [&] {
        if (!method.isEmpty() && !path.isEmpty())
            routes.add(method, path, query, body);
        method.clear();
        path.clear();
        body.clear();
        query.clear();
        inQuery = false;
    };
    enum class Section { Other, Endpoints, Schemas } section = Section::Other;
    QString schema;
    bool inFields = false;
    bool inRequired = false;
    for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
        if (!line.isEmpty() && indentOf(line) == 0 && !line.startsWith(QLatin1Char('-'))) {
            if (section == Section::Endpoints)
                flush();
            section = line.startsWith(QLatin1String("endpoints:")) ? Section::Endpoints
                      : line.startsWith(QLatin1String("schemas:")) ? Section::Schemas
                                                                   : Section::Other;
            continue;
        }
        const QString t = line.trimmed();
        if (section == Section::Schemas) {
            // "  Name:", "    required: [] | - field", "    fields:", "      name: type"
            if (indentOf(line) == 2 && t.endsWith(QLatin1Char(':'))) {
                schema = t.chopped(1);
                routes.m_schemas.insert(schema, {});
                inFields = inRequired = false;
            } else if (indentOf(line) == 4 && !t.startsWith(QLatin1Char('-'))) {
                inFields = t == QLatin1String("fields:");
                inRequired = t == QLatin1String("required:");
            } else if (indentOf(line) == 4 && inRequired && t.startsWith(QLatin1String("- "))) {
                routes.m_schemas[schema].required << unquote(t.mid(2));
            } else if (indentOf(line) == 6 && inFields && t.contains(QLatin1Char(':'))) {
                QString type = unquote(t.section(QLatin1Char(':'), 1).trimmed());
                type = type.section(QLatin1Char('#'), 0, 0).trimmed();
                routes.m_schemas[schema].fields.insert(t.section(QLatin1Char(':'), 0, 0).trimmed(), type);
            }
            continue;
        }
        if (section != Section::Endpoints)
            continue;
        if (line.startsWith(QLatin1String("- method:"))) {
            flush();
            method = unquote(t.mid(9));
        } else if (indentOf(line) == 2 && t.startsWith(QLatin1String("path:"))) {
            path = unquote(t.mid(5));
        } else if (indentOf(line) == 2 && t.startsWith(QLatin1String("body:"))) {
            // "body: UpdateTeamRequest (team_id REQUIRED)": the schema's name; prose names none.
            const QString first = unquote(t.mid(5).trimmed()).section(QLatin1Char(' '), 0, 0);
            if (!first.isEmpty() && first.at(0).isUpper() && !first.contains(QLatin1Char(':')))
                body = first;
            inQuery = false;
        } else if (indentOf(line) == 2) {
            inQuery = t == QLatin1String("query:");
        } else if (inQuery && indentOf(line) == 4 && t.contains(QLatin1Char(':'))) {
            query.insert(t.section(QLatin1Char(':'), 0, 0).trimmed());
        }
    }
    if (section == Section::Endpoints)
        flush();
    return routes;
}
