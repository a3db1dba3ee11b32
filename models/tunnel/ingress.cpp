#include "models/tunnel/ingress.h"

#include "models/core/validation.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStringList>
#include <QUrl>

#include <yaml-cpp/yaml.h>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TunnelConfig)
};

QString str(const YAML::Node &n)
{
    return n && n.IsScalar() ? QString::fromStdString(n.as<std::string>()) : QString();
}

// Where the ingress list's items are in the text: [start, end) line ranges, and their indent.
struct Layout
{
    int ingressLine = -1;
    QString itemIndent;
    QList<std::pair<int, int>> items;
    // Where each rule's own comment starts: the comment lines right above its "- " line (no blank
    // line between) belong to it, and go with it when it is removed.
    QList<int> leads;
};

int indentOf(const QString &line)
{
    int n = 0;
    while (n < line.size() && line.at(n) == QLatin1Char(' '))
        ++n;
    return n;
}

bool blankOrComment(const QString &line)
{
    const QString t = line.trimmed();
    return t.isEmpty() || t.startsWith(QLatin1Char('#'));
}

Layout layoutOf(const QStringList &lines)
{
    Layout l;
    static const QRegularExpression key(QStringLiteral("^ingress\\s*:\\s*(#.*)?$"));
    for (int i = 0; i < lines.size(); ++i)
        if (key.match(lines.at(i)).hasMatch()) {
            l.ingressLine = i;
            break;
        }
    if (l.ingressLine < 0)
        return l;
    int itemCol = -1;
    for (int i = l.ingressLine + 1; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (blankOrComment(line))
            continue;
        const int indent = indentOf(line);
        const bool item =
            line.mid(indent).startsWith(QLatin1String("- ")) || line.mid(indent) == QLatin1String("-");
        if (itemCol < 0) {
            if (!item)
                break; // not a block list: an edit would need the flow style kept; refused later
            itemCol = indent;
            l.itemIndent = line.left(indent);
        }
        if (item && indent == itemCol) {
            if (!l.items.isEmpty())
                l.items.last().second = i;
            l.items.append({i, int(lines.size())});
            continue;
        }
        if (indent <= itemCol && !item) {
            // The next top-level key: the list ended at the last non-blank line before it.
            if (!l.items.isEmpty())
                l.items.last().second = i;
            break;
        }
    }
    // Trailing blank or comment lines belong after the list, not to its last rule.
    if (!l.items.isEmpty()) {
        int end = l.items.last().second;
        while (end - 1 > l.items.last().first && blankOrComment(lines.at(end - 1)))
            --end;
        l.items.last().second = end;
    }
    for (int k = 0; k + 1 < l.items.size(); ++k) {
        int end = l.items.at(k).second;
        while (end - 1 > l.items.at(k).first && blankOrComment(lines.at(end - 1)))
            --end;
        l.items[k].second = end;
    }
    for (const auto &[start, end] : std::as_const(l.items)) {
        int lead = start;
        while (lead - 1 > l.ingressLine && lines.at(lead - 1).trimmed().startsWith(QLatin1Char('#')))
            --lead;
        l.leads << lead;
    }
    return l;
}

QString serviceFor(int port)
{
    return QStringLiteral("http://localhost:%1").arg(port);
}

bool isCatchAll(const IngressRule &r)
{
    return (r.hostname.isEmpty() || r.hostname == QLatin1String("*")) && r.path.isEmpty();
}

Result<void> checkRouteInput(const QString &hostname, int port)
{
    if (auto r = validateRouteHostname(hostname); !r)
        return r;
    if (port < 1 || port > 65535)
        return makeError("port.range", Tr::tr("The port %1 is not a port: use 1 to 65535.").arg(port));
    return {};
}

int ruleIndex(const TunnelConfig &config, const QString &hostname)
{
    for (int i = 0; i < config.rules.size(); ++i)
        if (config.rules.at(i).hostname.compare(hostname, Qt::CaseInsensitive) == 0 &&
            config.rules.at(i).path.isEmpty())
            return i;
    return -1;
}
} // namespace

Result<TunnelConfig> parseTunnelConfig(const QString &text)
{
    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        return makeError("tunnel.yaml",
                         Tr::tr("The tunnel configuration is not valid YAML (line %1, column %2): %3")
                             .arg(e.mark.line + 1)
                             .arg(e.mark.column + 1)
                             .arg(QString::fromStdString(e.msg)));
    }
    TunnelConfig config;
    if (!root || root.IsNull())
        return config;
    if (!root.IsMap())
        return makeError("tunnel.yaml", Tr::tr("The tunnel configuration must be a mapping of keys."));
    try {
        config.tunnel = str(root["tunnel"]);
        config.credentialsFile = str(root["credentials-file"]);
        const YAML::Node ingress = root["ingress"];
        if (ingress && !ingress.IsNull()) {
            if (!ingress.IsSequence())
                return makeError("tunnel.yaml", Tr::tr("\"ingress\" must be a list of rules."));
            for (const YAML::Node &n : ingress) {
                if (!n.IsMap())
                    return makeError("tunnel.yaml",
                                     Tr::tr("Each ingress rule must be a mapping (hostname, service, …)."));
                IngressRule r;
                r.hostname = str(n["hostname"]);
                r.path = str(n["path"]);
                r.hasService = bool(n["service"]);
                r.service = str(n["service"]);
                const YAML::Node origin = n["originRequest"];
                r.bastionMode = origin && origin.IsMap() && origin["bastionMode"] &&
                                str(origin["bastionMode"]) == QLatin1String("true");
                config.rules << r;
            }
        }
    } catch (const YAML::Exception &e) {
        return makeError(
            "tunnel.yaml",
            Tr::tr("The tunnel configuration cannot be read: %1").arg(QString::fromStdString(e.msg)));
    }
    return config;
}

Result<void> validateIngress(const QList<IngressRule> &rules)
{
    if (rules.isEmpty())
        return makeError("ingress.empty", Tr::tr("The config file doesn't contain any ingress rules."));
    for (int i = 0; i < rules.size(); ++i) {
        const IngressRule &r = rules.at(i);
        const QString which = Tr::tr("Rule #%1").arg(i + 1);
        const QString s = r.service;
        if (s.startsWith(QLatin1String("unix:")) || s.startsWith(QLatin1String("unix+tls:"))) {
            // a socket path: cloudflared does not check it
        } else if (s.startsWith(QLatin1String("http_status:"))) {
            bool ok = false;
            const int code = s.mid(12).toInt(&ok);
            if (!ok || code < 100 || code > 999)
                return makeError(
                    "ingress.service",
                    Tr::tr("%1: invalid HTTP status code \"%2\" (100 to 999).").arg(which, s.mid(12)));
        } else if (s == QLatin1String("hello_world") || s == QLatin1String("hello-world") ||
                   s == QLatin1String("socks-proxy") || s == QLatin1String("bastion") ||
                   (!r.hasService && r.bastionMode)) {
            // built-in services
        } else {
            const QUrl url(s, QUrl::StrictMode);
            if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
                return makeError(
                    "ingress.service",
                    Tr::tr("%1: %2 is an invalid address, please make sure it has a scheme and a hostname.")
                        .arg(which, s.isEmpty() ? Tr::tr("an empty service") : s));
            if (!url.path().isEmpty())
                return makeError(
                    "ingress.service",
                    Tr::tr("%1: %2 is an invalid address, ingress rules don't support proxying to a "
                           "different path on the origin service.")
                        .arg(which, s));
        }
        // validateHostname: no port, '*' only first, catch-all last and only last.
        static const QRegularExpression hostPort(QStringLiteral("^(\\[[^\\]]*\\]|[^:]*):[^:]*$"));
        if (hostPort.match(r.hostname).hasMatch())
            return makeError("ingress.hostname",
                             Tr::tr("%1: Hostname cannot contain a port (\"%2\").").arg(which, r.hostname));
        if (r.hostname.lastIndexOf(QLatin1Char('*')) > 0)
            return makeError(
                "ingress.wildcard",
                Tr::tr("%1: Hostname patterns can have at most one wildcard character (\"*\") and it can "
                       "only be used for subdomains, e.g. \"*.example.com\".")
                    .arg(which));
        const bool last = i == rules.size() - 1;
        if (last && !isCatchAll(r))
            return makeError(
                "ingress.catchall",
                Tr::tr("The last ingress rule must match all URLs (i.e. it should not have a hostname or "
                       "path filter)."));
        if (!last && isCatchAll(r))
            return makeError(
                "ingress.catchall",
                Tr::tr("Rule #%1 is matching the hostname '%2', but this will match every hostname, "
                       "meaning the rules which follow it will never be triggered.")
                    .arg(i + 1)
                    .arg(r.hostname));
        if (!r.path.isEmpty() && !QRegularExpression(r.path).isValid())
            return makeError("ingress.path",
                             Tr::tr("Rule #%1 has an invalid regex: %2").arg(i + 1).arg(r.path));
    }
    return {};
}

Result<TunnelConfig> checkTunnelConfig(const QString &text)
{
    auto config = parseTunnelConfig(text);
    if (!config)
        return config;
    if (auto valid = validateIngress(config->rules); !valid)
        return valid.error();
    return config;
}

namespace {
// An edit is kept only when the file, read again, holds exactly the rules it should: the line
// editor and the YAML parser must agree on where the ingress list is (a file with a flow-style
// mapping or stray bytes could let them disagree).
Result<QString> verifiedEdit(const QString &result, const QList<IngressRule> &expected)
{
    auto after = checkTunnelConfig(result);
    if (!after)
        return after.error();
    if (after->rules != expected)
        return makeError("ingress.layout",
                         Tr::tr("Opsdeck cannot edit this configuration safely: read back, the file does not "
                                "hold the rules the change should give. Edit it by hand."));
    return result;
}
} // namespace

Result<QString> addRoute(const QString &text, const QString &hostname, int port)
{
    if (auto r = checkRouteInput(hostname, port); !r)
        return r.error();
    auto config = checkTunnelConfig(text);
    if (!config)
        return config.error();
    if (ruleIndex(config.value(), hostname) >= 0)
        return makeError(
            "ingress.duplicate",
            Tr::tr("%1 has an ingress rule already: update it instead of adding another.").arg(hostname));
    QStringList lines = text.split(QLatin1Char('\n'));
    const Layout l = layoutOf(lines);
    if (l.items.size() != config->rules.size())
        return makeError("ingress.layout",
                         Tr::tr("The ingress list is not written as a block list (\"- hostname: …\"): "
                                "Opsdeck edits only that form, to keep the file as it is."));
    // Before the catch-all, which stays last, and before the comment that belongs to it. Where the
    // rules are set apart by blank lines, the new one is too.
    const int at = l.leads.last();
    const QString indent = l.itemIndent;
    if (at - 1 > l.ingressLine && lines.at(at - 1).trimmed().isEmpty())
        lines.insert(at, QString());
    lines.insert(at, indent + QStringLiteral("  service: ") + serviceFor(port));
    // "*" starts an alias in YAML: a wildcard host name is written quoted.
    lines.insert(at,
                 indent + QStringLiteral("- hostname: ") +
                     (hostname.startsWith(QLatin1Char('*')) ? QLatin1Char('"') + hostname + QLatin1Char('"')
                                                            : hostname));
    QList<IngressRule> expected = config->rules;
    IngressRule added;
    added.hostname = hostname;
    added.service = serviceFor(port);
    added.hasService = true;
    expected.insert(expected.size() - 1, added);
    return verifiedEdit(lines.join(QLatin1Char('\n')), expected);
}

namespace {
// The valid file's lines, their layout, and the rule of hostname (missing: the given message).
struct LocatedRule
{
    QStringList lines;
    Layout layout;
    int index = -1;
    QList<IngressRule> rules; // as the file has them now
};

Result<LocatedRule> locateRule(const QString &text, const QString &hostname, const QString &missing)
{
    auto config = checkTunnelConfig(text);
    if (!config)
        return config.error();
    LocatedRule rule;
    rule.rules = config->rules;
    rule.index = ruleIndex(config.value(), hostname);
    if (rule.index < 0)
        return makeError("ingress.missing", missing);
    rule.lines = text.split(QLatin1Char('\n'));
    rule.layout = layoutOf(rule.lines);
    if (rule.layout.items.size() != config->rules.size())
        return makeError("ingress.layout",
                         Tr::tr("The ingress list is not written as a block list (\"- hostname: …\"): "
                                "Opsdeck edits only that form, to keep the file as it is."));
    return rule;
}
} // namespace

Result<QString> updateRoute(const QString &text, const QString &hostname, int port)
{
    if (auto r = checkRouteInput(hostname, port); !r)
        return r.error();
    auto rule = locateRule(text, hostname, Tr::tr("%1 has no ingress rule to update.").arg(hostname));
    if (!rule)
        return rule.error();
    QStringList lines = rule->lines;
    const Layout &l = rule->layout;
    const auto [start, end] = l.items.at(rule->index);
    static const QRegularExpression serviceLine(
        QStringLiteral("^(\\s*(?:-\\s+)?)service\\s*:\\s*[^#]*?(\\s*#.*)?$"));
    bool replaced = false;
    for (int i = start; i < end && !replaced; ++i) {
        const auto m = serviceLine.match(lines.at(i));
        if (m.hasMatch()) {
            lines[i] = m.captured(1) + QStringLiteral("service: ") + serviceFor(port) + m.captured(2);
            replaced = true;
        }
    }
    if (!replaced)
        lines.insert(start + 1, l.itemIndent + QStringLiteral("  service: ") + serviceFor(port));
    QList<IngressRule> expected = rule->rules;
    expected[rule->index].service = serviceFor(port);
    expected[rule->index].hasService = true;
    return verifiedEdit(lines.join(QLatin1Char('\n')), expected);
}

Result<QString> removeRoute(const QString &text, const QString &hostname)
{
    auto rule = locateRule(text, hostname, Tr::tr("%1 has no ingress rule to remove.").arg(hostname));
    if (!rule)
        return rule.error();
    QStringList lines = rule->lines;
    // The rule with its own comment; a blank line that set it apart goes too, so none doubles up.
    const int start = rule->layout.leads.at(rule->index);
    const int end = rule->layout.items.at(rule->index).second;
    lines.remove(start, end - start);
    if (start > 0 && start < lines.size() && lines.at(start - 1).trimmed().isEmpty() &&
        lines.at(start).trimmed().isEmpty())
        lines.remove(start);
    QList<IngressRule> expected = rule->rules;
    expected.removeAt(rule->index);
    return verifiedEdit(lines.join(QLatin1Char('\n')), expected);
}

QString unifiedDiff(const QString &before, const QString &after, const QString &name)
{
    // Lines as diff sees them: a final newline ends the last line rather than starting an empty one,
    // and a last line without one is a different line (marked, and said so under it).
    const QChar noNewline(0);
    const auto linesOf = [noNewline](const QString &text) {
        QStringList lines = text.split(QLatin1Char('\n'));
        if (lines.last().isEmpty())
            lines.removeLast();
        else
            lines.last() += noNewline;
        return lines;
    };
    const QStringList a = linesOf(before);
    const QStringList b = linesOf(after);
    // Longest common subsequence over lines (config files are small).
    const int n = int(a.size()), m = int(b.size());
    QList<QList<int>> lcs(n + 1, QList<int>(m + 1, 0));
    for (int i = n - 1; i >= 0; --i)
        for (int j = m - 1; j >= 0; --j)
            lcs[i][j] = a.at(i) == b.at(j) ? lcs[i + 1][j + 1] + 1 : qMax(lcs[i + 1][j], lcs[i][j + 1]);
    struct Op
    {
        char kind; // ' ', '-', '+'
        QString text;
        int ai, bi;
    };
    QList<Op> ops;
    int i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(i) == b.at(j)) {
            ops.append({' ', a.at(i), i, j});
            ++i;
            ++j;
            continue;
        }
        // A run of changes: as diff -u writes it, every removed line first, then every added one.
        const int i0 = i, j0 = j;
        while ((i < n || j < m) && !(i < n && j < m && a.at(i) == b.at(j))) {
            if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]))
                ++i;
            else
                ++j;
        }
        for (int x = i0; x < i; ++x)
            ops.append({'-', a.at(x), x, j0});
        for (int y = j0; y < j; ++y)
            ops.append({'+', b.at(y), i, y});
    }
    QString out = QStringLiteral("--- %1\n+++ %1 (new)\n").arg(name);
    const int context = 3;
    for (int k = 0; k < ops.size();) {
        if (ops.at(k).kind == ' ') {
            ++k;
            continue;
        }
        int from = qMax(0, k - context);
        int to = k;
        // Extend the hunk while changes are within 2*context lines of each other.
        int lastChange = k;
        while (to < ops.size() && (ops.at(to).kind != ' ' || to - lastChange <= 2 * context)) {
            if (ops.at(to).kind != ' ')
                lastChange = to;
            ++to;
        }
        to = qMin(int(ops.size()), lastChange + context + 1);
        int aStart = ops.at(from).ai, bStart = ops.at(from).bi, aLen = 0, bLen = 0;
        for (int x = from; x < to; ++x) {
            aLen += ops.at(x).kind != '+' ? 1 : 0;
            bLen += ops.at(x).kind != '-' ? 1 : 0;
        }
        // diff -u: an empty range starts at the line before it; a one-line range has no length.
        const auto range = [](int start, int length) {
            const int first = length == 0 ? start : start + 1;
            return length == 1 ? QString::number(first) : QStringLiteral("%1,%2").arg(first).arg(length);
        };
        out += QStringLiteral("@@ -%1 +%2 @@\n").arg(range(aStart, aLen), range(bStart, bLen));
        for (int x = from; x < to; ++x) {
            QString text = ops.at(x).text;
            const bool last = text.endsWith(noNewline);
            if (last)
                text.chop(1);
            out += QLatin1Char(ops.at(x).kind) + text + QLatin1Char('\n');
            if (last)
                out += QStringLiteral("\\ No newline at end of file\n");
        }
        k = to;
    }
    return out;
}

Result<QString> writeTunnelConfig(const QString &path, const QString &text)
{
    if (auto valid = checkTunnelConfig(text); !valid)
        return valid.error();
    QString backup;
    if (QFileInfo::exists(path)) {
        backup = path + QStringLiteral(".opsdeck-backup-") +
                 QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
        if (!QFile::copy(path, backup))
            return makeError("tunnel.backup",
                             Tr::tr("Cannot back up %1 to %2: nothing was changed.").arg(path, backup));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError("tunnel.write", Tr::tr("Cannot write %1: %2").arg(path, file.errorString()));
    file.write(text.toUtf8());
    if (!file.commit())
        return makeError(
            "tunnel.write",
            Tr::tr("Cannot write %1: %2 (the old file is unchanged).").arg(path, file.errorString()));
    return backup;
}

} // namespace opsdeck
