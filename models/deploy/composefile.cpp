#include "models/deploy/composefile.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ComposeProject)
};

constexpr int maxDepth = 64;         // nesting, aliases included: a file is refused beyond it
constexpr int maxNodes = 200000;     // a "billion laughs" file of aliases is refused, not expanded
constexpr int maxInterpolation = 16; // nested ${…:-${…}} levels

// YAML 1.2 core schema for a plain (unquoted) scalar; quoted scalars are always strings.
QJsonValue plainScalar(const std::string &raw)
{
    const QString s = QString::fromStdString(raw);
    static const QRegularExpression null(QStringLiteral("\\A(?:~|null|Null|NULL|)\\z"));
    static const QRegularExpression boolean(QStringLiteral("\\A(?:true|True|TRUE|false|False|FALSE)\\z"));
    static const QRegularExpression decimal(QStringLiteral("\\A[-+]?[0-9]+\\z"));
    static const QRegularExpression octal(QStringLiteral("\\A0o[0-7]+\\z"));
    static const QRegularExpression hex(QStringLiteral("\\A0x[0-9a-fA-F]+\\z"));
    static const QRegularExpression real(
        QStringLiteral("\\A[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\\z"));
    if (null.match(s).hasMatch())
        return QJsonValue::Null;
    if (boolean.match(s).hasMatch())
        return s.at(0).toLower() == QLatin1Char('t');
    bool ok = false;
    if (decimal.match(s).hasMatch()) {
        const qint64 n = s.toLongLong(&ok);
        if (ok)
            return double(n);
    } else if (octal.match(s).hasMatch()) {
        const qint64 n = s.mid(2).toLongLong(&ok, 8);
        if (ok)
            return double(n);
    } else if (hex.match(s).hasMatch()) {
        const qint64 n = s.mid(2).toLongLong(&ok, 16);
        if (ok)
            return double(n);
    } else if (real.match(s).hasMatch()) {
        const double d = s.toDouble(&ok);
        if (ok)
            return d;
    }
    return s; // 22222:22, yes, on, 1_000: strings in YAML 1.2
}

struct Converter
{
    int nodes = 0;
    QString error;

    QJsonValue convert(const YAML::Node &node, int depth)
    {
        if (!error.isEmpty())
            return {};
        if (depth > maxDepth || ++nodes > maxNodes) {
            error = Tr::tr("it nests or repeats (through aliases) more than Opsdeck reads");
            return {};
        }
        switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return QJsonValue::Null;
        case YAML::NodeType::Scalar:
            return node.Tag() == "?" ? plainScalar(node.Scalar())
                                     : QJsonValue(QString::fromStdString(node.Scalar()));
        case YAML::NodeType::Sequence: {
            QJsonArray out;
            for (const YAML::Node &item : node)
                out << convert(item, depth + 1);
            return out;
        }
        case YAML::NodeType::Map: {
            QJsonObject out;
            QList<QJsonObject> merged;
            for (const auto &entry : node) {
                const YAML::Node key = entry.first;
                if (!key.IsScalar()) {
                    error = Tr::tr("a mapping key is not a plain value");
                    return {};
                }
                const QString name = QString::fromStdString(key.Scalar());
                const QJsonValue value = convert(entry.second, depth + 1);
                if (name == QLatin1String("<<") && key.Tag() == "?") {
                    // Merge keys: a mapping, or a list of them; earlier ones win, own keys win over all.
                    if (value.isObject()) {
                        merged << value.toObject();
                    } else if (value.isArray()) {
                        for (const QJsonValue &m : value.toArray()) {
                            if (!m.isObject()) {
                                error = Tr::tr("\"<<\" merges only mappings");
                                return {};
                            }
                            merged << m.toObject();
                        }
                    } else {
                        error = Tr::tr("\"<<\" merges only mappings");
                        return {};
                    }
                    continue;
                }
                out.insert(name, value);
            }
            for (const QJsonObject &m : std::as_const(merged))
                for (auto it = m.begin(); it != m.end(); ++it)
                    if (!out.contains(it.key()))
                        out.insert(it.key(), it.value());
            return out;
        }
        }
        return {};
    }
};

Result<QJsonValue> yamlToJson(const QString &text, const QString &what)
{
    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        return makeError("compose.yaml", Tr::tr("%1 is not valid YAML (line %2, column %3): %4")
                                             .arg(what)
                                             .arg(e.mark.line + 1)
                                             .arg(e.mark.column + 1)
                                             .arg(QString::fromStdString(e.msg)));
    }
    Converter c;
    QJsonValue value;
    try {
        value = c.convert(root, 0);
    } catch (const YAML::Exception &e) {
        return makeError("compose.yaml",
                         Tr::tr("%1 cannot be read: %2").arg(what, QString::fromStdString(e.msg)));
    }
    if (!c.error.isEmpty())
        return makeError("compose.yaml", Tr::tr("%1 cannot be read: %2.").arg(what, c.error));
    return value;
}

bool validName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("\\A[_a-zA-Z][_a-zA-Z0-9]*\\z"));
    return re.match(name).hasMatch();
}

Result<QString> interpolateAt(const QString &value, const QHash<QString, QString> &vars, QStringList *missing,
                              int level)
{
    if (level > maxInterpolation)
        return makeError("compose.interpolation",
                         Tr::tr("\"%1\" nests ${…} too deeply.").arg(value.left(80)));
    QString out;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c != QLatin1Char('$')) {
            out += c;
            continue;
        }
        if (i + 1 >= value.size()) {
            out += c;
            continue;
        }
        const QChar next = value.at(i + 1);
        if (next == QLatin1Char('$')) { // $$ is a literal $
            out += QLatin1Char('$');
            ++i;
            continue;
        }
        if (next != QLatin1Char('{')) {
            qsizetype end = i + 1;
            while (end < value.size() &&
                   (value.at(end).isLetterOrNumber() || value.at(end) == QLatin1Char('_')) &&
                   value.at(end).unicode() < 128)
                ++end;
            const QString name = value.mid(i + 1, end - i - 1);
            if (!validName(name)) { // "$ 5", "$-": left as it is, as compose does
                out += c;
                continue;
            }
            if (!vars.contains(name) && missing)
                missing->append(name);
            out += vars.value(name);
            i = end - 1;
            continue;
        }
        // ${…}: find the matching brace, counting nested ${.
        qsizetype depth = 0, end = -1;
        for (qsizetype j = i + 2; j < value.size(); ++j) {
            if (value.at(j) == QLatin1Char('{') && value.at(j - 1) == QLatin1Char('$'))
                ++depth;
            else if (value.at(j) == QLatin1Char('}')) {
                if (depth == 0) {
                    end = j;
                    break;
                }
                --depth;
            }
        }
        if (end < 0)
            return makeError("compose.interpolation",
                             Tr::tr("\"%1\": a \"${\" is not closed by \"}\".").arg(value.left(120)));
        const QString body = value.mid(i + 2, end - i - 2);
        static const QRegularExpression expr(
            QStringLiteral("\\A([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-?+])(.*))?\\z"),
            QRegularExpression::DotMatchesEverythingOption);
        const auto m = expr.match(body);
        if (!m.hasMatch())
            return makeError(
                "compose.interpolation",
                Tr::tr("\"${%1}\" is not a variable: a name is letters, digits and '_', not starting "
                       "with a digit, optionally followed by :-, -, :?, ?, :+ or +.")
                    .arg(body.left(80)));
        const QString name = m.captured(1);
        const QString op = m.captured(2);
        const bool set = vars.contains(name);
        const bool nonEmpty = set && !vars.value(name).isEmpty();
        const auto argument = [&]() {
            return interpolateAt(m.captured(3), vars, missing, level + 1);
        };
        if (op.isEmpty()) {
            if (!set && missing)
                missing->append(name);
            out += vars.value(name);
        } else if (op == QLatin1String(":-") || op == QLatin1String("-")) {
            if (op == QLatin1String(":-") ? nonEmpty : set) {
                out += vars.value(name);
            } else {
                auto d = argument();
                if (!d)
                    return d;
                out += d.value();
            }
        } else if (op == QLatin1String(":?") || op == QLatin1String("?")) {
            if (op == QLatin1String(":?") ? nonEmpty : set) {
                out += vars.value(name);
            } else {
                auto why = argument();
                return makeError(
                    "compose.variable",
                    Tr::tr("The variable %1 is required%2%3: set it in the environment or in the "
                           "project's .env file.")
                        .arg(name, op == QLatin1String(":?") ? Tr::tr(" and may not be empty") : QString(),
                             why && !why->isEmpty() ? QStringLiteral(" (%1)").arg(why.value()) : QString()));
            }
        } else { // :+ and +
            if (op == QLatin1String(":+") ? nonEmpty : set) {
                auto r = argument();
                if (!r)
                    return r;
                out += r.value();
            }
        }
        i = end;
    }
    return out;
}

// Every string value of the tree interpolated (keys are not, as in compose).
Result<QJsonValue> interpolateTree(const QJsonValue &v, const QHash<QString, QString> &vars,
                                   QStringList *missing, const QString &where)
{
    if (v.isString()) {
        auto r = interpolateAt(v.toString(), vars, missing, 0);
        if (!r)
            return Error{r.error().code,
                         where.isEmpty() ? r.message() : Tr::tr("%1: %2").arg(where, r.message())};
        return QJsonValue(r.value());
    }
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : v.toArray()) {
            auto r = interpolateTree(item, vars, missing, where);
            if (!r)
                return r;
            out << r.value();
        }
        return QJsonValue(out);
    }
    if (v.isObject()) {
        QJsonObject out;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            auto r = interpolateTree(it.value(), vars, missing,
                                     where.isEmpty() ? it.key() : where + QLatin1Char('.') + it.key());
            if (!r)
                return r;
            out.insert(it.key(), r.value());
        }
        return QJsonValue(out);
    }
    return v;
}

QString scalarText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    return {};
}

// "KEY=VALUE" lists and KEY: VALUE maps alike (labels, environment).
Result<QMap<QString, QString>> keyValues(const QJsonValue &v, const QString &where,
                                         const QHash<QString, QString> &environment)
{
    QMap<QString, QString> out;
    if (v.isNull() || v.isUndefined())
        return out;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.value().isArray() || it.value().isObject())
                return makeError("compose.schema",
                                 Tr::tr("%1.%2 must be a single value.").arg(where, it.key()));
            out.insert(it.key(), it.value().isNull() ? environment.value(it.key()) : scalarText(it.value()));
        }
        return out;
    }
    if (v.isArray()) {
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString())
                return makeError("compose.schema", Tr::tr("%1 lists KEY=VALUE strings.").arg(where));
            const QString s = item.toString();
            const qsizetype eq = s.indexOf(QLatin1Char('='));
            if (eq < 0)
                out.insert(s, environment.value(s));
            else
                out.insert(s.left(eq), s.mid(eq + 1));
        }
        return out;
    }
    return makeError("compose.schema", Tr::tr("%1 must be a mapping or a list of KEY=VALUE.").arg(where));
}

Result<std::pair<int, int>> portRange(const QString &text, const QString &where)
{
    static const QRegularExpression re(QStringLiteral("\\A([0-9]{1,5})(?:-([0-9]{1,5}))?\\z"));
    const auto m = re.match(text);
    const int first = m.hasMatch() ? m.captured(1).toInt() : 0;
    const int last = m.hasMatch() && !m.captured(2).isEmpty() ? m.captured(2).toInt() : first;
    if (!m.hasMatch() || first < 1 || first > 65535 || last < first || last > 65535)
        return makeError("compose.ports",
                         Tr::tr("%1: \"%2\" is not a port (1 to 65535) or a range of ports (8000-8010).")
                             .arg(where, text));
    return std::pair{first, last};
}

Result<ComposePort> shortPort(const QString &spec, const QString &where)
{
    ComposePort p;
    QString rest = spec.trimmed();
    if (const qsizetype slash = rest.lastIndexOf(QLatin1Char('/')); slash >= 0) {
        p.protocol = rest.mid(slash + 1).toLower();
        rest = rest.left(slash);
    }
    if (rest.startsWith(QLatin1Char('['))) { // [::1]:8080:80
        const qsizetype close = rest.indexOf(QLatin1Char(']'));
        if (close < 0 || close + 1 >= rest.size() || rest.at(close + 1) != QLatin1Char(':'))
            return makeError("compose.ports",
                             Tr::tr("%1: \"%2\" has an unclosed IPv6 address.").arg(where, spec));
        p.hostIp = rest.mid(1, close - 1);
        rest = rest.mid(close + 2);
        const QStringList parts = rest.split(QLatin1Char(':'));
        if (parts.size() != 2)
            return makeError("compose.ports",
                             Tr::tr("%1: \"%2\" must be [IP]:HOST:CONTAINER.").arg(where, spec));
        p.published = parts.at(0);
        rest = parts.at(1);
    } else {
        const QStringList parts = rest.split(QLatin1Char(':'));
        if (parts.size() > 3)
            return makeError("compose.ports",
                             Tr::tr("%1: \"%2\" is not [[IP:]HOST:]CONTAINER[/PROTOCOL].").arg(where, spec));
        if (parts.size() == 3) {
            p.hostIp = parts.at(0);
            p.published = parts.at(1);
        } else if (parts.size() == 2) {
            p.published = parts.at(0);
        }
        rest = parts.last();
    }
    if (!p.published.isEmpty())
        if (auto r = portRange(p.published, where); !r)
            return r.error();
    auto target = portRange(rest, where);
    if (!target)
        return target.error();
    p.target = target->first;
    if (p.protocol != QLatin1String("tcp") && p.protocol != QLatin1String("udp") &&
        p.protocol != QLatin1String("sctp"))
        return makeError("compose.ports",
                         Tr::tr("%1: \"%2\": the protocol is tcp, udp or sctp.").arg(where, spec));
    return p;
}

Result<ComposePort> longPort(const QJsonObject &o, const QString &where, QStringList *v2Only)
{
    ComposePort p;
    const QJsonValue target = o.value(QLatin1String("target"));
    auto t = portRange(scalarText(target), where);
    if (!t)
        return t.error();
    p.target = t->first;
    p.published = scalarText(o.value(QLatin1String("published")));
    if (!p.published.isEmpty())
        if (auto r = portRange(p.published, where); !r)
            return r.error();
    p.hostIp = o.value(QLatin1String("host_ip")).toString();
    if (o.contains(QLatin1String("protocol")))
        p.protocol = o.value(QLatin1String("protocol")).toString().toLower();
    if ((o.contains(QLatin1String("name")) || o.contains(QLatin1String("app_protocol"))) && v2Only)
        v2Only->append(Tr::tr("%1: name or app_protocol in a port").arg(where));
    return p;
}

} // namespace

bool ComposePort::fixedHostPort() const
{
    return !published.isEmpty() && !published.contains(QLatin1Char('-'));
}

int ComposePort::publishedPort() const
{
    return fixedHostPort() ? published.toInt() : 0;
}

QString ComposePort::describe() const
{
    const QString inside = QStringLiteral("%1/%2").arg(target).arg(protocol);
    if (published.isEmpty())
        return Tr::tr("%1 (host port picked by the engine)").arg(inside);
    const QString ip = hostIp.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(hostIp) : hostIp;
    return QStringLiteral("%1%2->%3")
        .arg(ip.isEmpty() ? QString() : ip + QLatin1Char(':'), published, inside);
}

const ComposeService *ComposeProject::service(const QString &serviceName) const
{
    for (const ComposeService &s : services)
        if (s.name == serviceName)
            return &s;
    return nullptr;
}

Result<QString> interpolateCompose(const QString &value, const QHash<QString, QString> &variables,
                                   QStringList *missing)
{
    return interpolateAt(value, variables, missing, 0);
}

Result<QHash<QString, QString>> parseEnvFile(const QString &text, const QString &what,
                                             const QHash<QString, QString> &lookup)
{
    QHash<QString, QString> out;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int n = 0; n < lines.size(); ++n) {
        QString line = lines.at(n);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
            continue;
        QString rest = trimmed;
        if (rest.startsWith(QLatin1String("export ")))
            rest = rest.mid(7).trimmed();
        const qsizetype eq = rest.indexOf(QLatin1Char('='));
        const QString key = (eq < 0 ? rest : rest.left(eq)).trimmed();
        if (!validName(key) && !(eq < 0 && key.isEmpty()))
            return makeError(
                "compose.env",
                Tr::tr("%1, line %2: \"%3\" is not a variable name.").arg(what).arg(n + 1).arg(key));
        if (eq < 0) {
            if (lookup.contains(key))
                out.insert(key, lookup.value(key));
            continue;
        }
        QString value = rest.mid(eq + 1).trimmed();
        QHash<QString, QString> vars = lookup;
        for (auto it = out.begin(); it != out.end(); ++it)
            if (!lookup.contains(it.key()))
                vars.insert(it.key(), it.value());
        if (value.startsWith(QLatin1Char('\''))) {
            const qsizetype close = value.indexOf(QLatin1Char('\''), 1);
            if (close < 0)
                return makeError("compose.env",
                                 Tr::tr("%1, line %2: a single quote is not closed.").arg(what).arg(n + 1));
            value = value.mid(1, close - 1);
        } else if (value.startsWith(QLatin1Char('"'))) {
            QString unescaped;
            qsizetype i = 1;
            bool closed = false;
            for (; i < value.size(); ++i) {
                const QChar c = value.at(i);
                if (c == QLatin1Char('\\') && i + 1 < value.size()) {
                    const QChar e = value.at(++i);
                    unescaped += e == QLatin1Char('n')   ? QStringLiteral("\n")
                                 : e == QLatin1Char('t') ? QStringLiteral("\t")
                                 : e == QLatin1Char('r') ? QStringLiteral("\r")
                                                         : QString(e);
                } else if (c == QLatin1Char('"')) {
                    closed = true;
                    break;
                } else {
                    unescaped += c;
                }
            }
            if (!closed)
                return makeError("compose.env",
                                 Tr::tr("%1, line %2: a double quote is not closed.").arg(what).arg(n + 1));
            auto r = interpolateAt(unescaped, vars, nullptr, 0);
            if (!r)
                return Error{r.error().code, Tr::tr("%1, line %2: %3").arg(what).arg(n + 1).arg(r.message())};
            value = r.value();
        } else {
            // An unquoted value ends at " #".
            static const QRegularExpression comment(QStringLiteral("\\s+#.*\\z"));
            value.remove(comment);
            auto r = interpolateAt(value.trimmed(), vars, nullptr, 0);
            if (!r)
                return Error{r.error().code, Tr::tr("%1, line %2: %3").arg(what).arg(n + 1).arg(r.message())};
            value = r.value();
        }
        out.insert(key, value);
    }
    return out;
}

Result<ComposeProject> readComposeProject(const ComposeInput &input)
{
    ComposeProject project;
    project.file = input.fileName;
    // Variables: the project's .env, overridden by the environment compose runs with.
    QHash<QString, QString> vars = input.environment;
    if (input.readFile) {
        if (auto dotenv = input.readFile(QStringLiteral(".env")); dotenv) {
            auto parsed = parseEnvFile(dotenv.value(), QStringLiteral(".env"), input.environment);
            if (!parsed)
                return parsed.error();
            for (auto it = parsed->begin(); it != parsed->end(); ++it)
                if (!input.environment.contains(it.key()))
                    vars.insert(it.key(), it.value());
        }
    }
    auto tree = yamlToJson(input.text, input.fileName);
    if (!tree)
        return tree.error();
    if (!tree->isObject())
        return makeError("compose.schema",
                         Tr::tr("%1 must be a mapping with a \"services\" key.").arg(input.fileName));
    QStringList missing;
    auto interpolated = interpolateTree(tree.value(), vars, &missing, QString());
    if (!interpolated)
        return Error{interpolated.error().code, Tr::tr("%1: %2").arg(input.fileName, interpolated.message())};
    const QJsonObject root = interpolated->toObject();
    missing.removeDuplicates();
    for (const QString &name : std::as_const(missing))
        project.warnings << Tr::tr("The variable %1 is not set: an empty value is used.").arg(name);
    if (root.contains(QLatin1String("name"))) {
        project.name = scalarText(root.value(QLatin1String("name")));
        project.v2Only << Tr::tr("the top-level name: %1").arg(project.name);
    }
    for (const char *key : {"include", "models"})
        if (root.contains(QLatin1String(key)))
            project.v2Only << Tr::tr("the top-level %1:").arg(QLatin1String(key));
    const QJsonValue services = root.value(QLatin1String("services"));
    if (!services.isObject() || services.toObject().isEmpty())
        return makeError(
            "compose.schema",
            Tr::tr("%1 has no services: it needs a \"services:\" mapping of at least one service.")
                .arg(input.fileName));
    QStringList profiles =
        vars.value(QStringLiteral("COMPOSE_PROFILES")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString &p : profiles)
        p = p.trimmed();
    const QJsonObject all = services.toObject();
    for (auto it = all.begin(); it != all.end(); ++it) {
        const QString where = QStringLiteral("services.%1").arg(it.key());
        if (!it.value().isObject() && !it.value().isNull())
            return makeError("compose.schema",
                             Tr::tr("%1: %2 must be a mapping.").arg(input.fileName, where));
        const QJsonObject o = it.value().toObject();
        ComposeService s;
        s.name = it.key();
        s.image = scalarText(o.value(QLatin1String("image")));
        s.build = o.contains(QLatin1String("build"));
        const auto fail = [&](const Error &e) {
            return Error{e.code, Tr::tr("%1: %2").arg(input.fileName, e.message)};
        };
        const QJsonValue ports = o.value(QLatin1String("ports"));
        if (!ports.isNull() && !ports.isUndefined() && !ports.isArray())
            return fail(makeError("compose.ports", Tr::tr("%1.ports must be a list.").arg(where)));
        for (const QJsonValue &p : ports.toArray()) {
            Result<ComposePort> port =
                p.isObject() ? longPort(p.toObject(), where + QStringLiteral(".ports"), &project.v2Only)
                : p.isString() || p.isDouble()
                    ? shortPort(scalarText(p), where + QStringLiteral(".ports"))
                    : makeError("compose.ports", Tr::tr("%1.ports lists strings or mappings.").arg(where));
            if (!port)
                return fail(port.error());
            s.ports << port.value();
        }
        for (const QJsonValue &e : o.value(QLatin1String("expose")).toArray()) {
            auto r =
                portRange(scalarText(e).section(QLatin1Char('/'), 0, 0), where + QStringLiteral(".expose"));
            if (!r)
                return fail(r.error());
            s.expose << r->first;
        }
        auto labels = keyValues(o.value(QLatin1String("labels")), where + QStringLiteral(".labels"), {});
        if (!labels)
            return fail(labels.error());
        s.labels = labels.value();
        // env_file first, then environment: over it.
        const QJsonValue envFiles = o.value(QLatin1String("env_file"));
        const QJsonArray fileList = envFiles.isArray()                           ? envFiles.toArray()
                                    : envFiles.isString() || envFiles.isObject() ? QJsonArray{envFiles}
                                                                                 : QJsonArray();
        for (const QJsonValue &f : fileList) {
            const QString path =
                f.isObject() ? f.toObject().value(QLatin1String("path")).toString() : f.toString();
            const bool required = !f.isObject() || f.toObject().value(QLatin1String("required")).toBool(true);
            if (f.isObject())
                project.v2Only << Tr::tr("%1.env_file with path:/required:").arg(where);
            if (path.isEmpty())
                return fail(makeError("compose.schema", Tr::tr("%1.env_file names no file.").arg(where)));
            if (!input.readFile)
                continue;
            auto text = input.readFile(path);
            if (!text) {
                if (required)
                    return fail(
                        makeError("compose.env", Tr::tr("%1.env_file: %2").arg(where, text.message())));
                continue;
            }
            auto parsed = parseEnvFile(text.value(), path, input.environment);
            if (!parsed)
                return fail(parsed.error());
            for (auto e = parsed->begin(); e != parsed->end(); ++e)
                s.environment.insert(e.key(), e.value());
        }
        auto environment =
            keyValues(o.value(QLatin1String("environment")), where + QStringLiteral(".environment"), vars);
        if (!environment)
            return fail(environment.error());
        for (auto e = environment->begin(); e != environment->end(); ++e)
            s.environment.insert(e.key(), e.value());
        const QJsonValue serviceProfiles = o.value(QLatin1String("profiles"));
        if (!serviceProfiles.isNull() && !serviceProfiles.isUndefined() && !serviceProfiles.isArray())
            return fail(makeError("compose.schema", Tr::tr("%1.profiles must be a list.").arg(where)));
        for (const QJsonValue &p : serviceProfiles.toArray())
            s.profiles << scalarText(p);
        s.active = s.profiles.isEmpty() || profiles.contains(QStringLiteral("*"));
        for (const QString &p : std::as_const(s.profiles))
            s.active = s.active || profiles.contains(p);
        for (const char *key : {"develop", "provider", "models", "gpus", "use_api_socket"})
            if (o.contains(QLatin1String(key)))
                project.v2Only << QStringLiteral("%1.%2").arg(where, QLatin1String(key));
        if (o.value(QLatin1String("depends_on")).isObject())
            for (const QJsonValue &d : o.value(QLatin1String("depends_on")).toObject())
                if (d.toObject().contains(QLatin1String("required")) ||
                    d.toObject().contains(QLatin1String("restart")))
                    project.v2Only << Tr::tr("%1.depends_on with required:/restart:").arg(where);
        project.services << s;
    }
    project.v2Only.removeDuplicates();
    return project;
}

} // namespace opsdeck
