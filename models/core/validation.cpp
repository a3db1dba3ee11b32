#include "models/core/validation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Validation)
};
} // namespace

Result<void> validateGitHubOwner(const QString &owner)
{
    static const QRegularExpression valid(
        QStringLiteral("\\A[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\\z"));
    if (!valid.match(owner).hasMatch())
        return makeError("github.owner",
                         Tr::tr("\"%1\" is not a GitHub account name: use 1 to 39 letters, digits or single "
                                "hyphens, not at the start or end.")
                             .arg(owner));
    return {};
}

Result<void> validateRepositoryName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("\\A[A-Za-z0-9._-]{1,100}\\z"));
    if (!valid.match(name).hasMatch() || name == QLatin1String(".") || name == QLatin1String(".."))
        return makeError("github.repository",
                         Tr::tr("\"%1\" is not a repository name: use 1 to 100 letters, digits, '.', '-' or "
                                "'_' (and not \".\" or \"..\").")
                             .arg(name));
    return {};
}

Result<RepositoryId> parseRepositoryId(const QString &text)
{
    const QString trimmed = text.trimmed();
    const QStringList parts = trimmed.split(QLatin1Char('/'));
    if (parts.size() != 2)
        return makeError("github.repository",
                         Tr::tr("\"%1\" is not a repository: write it as owner/name.").arg(trimmed));
    if (auto r = validateGitHubOwner(parts.at(0)); !r)
        return r.error();
    if (auto r = validateRepositoryName(parts.at(1)); !r)
        return r.error();
    return RepositoryId{parts.at(0), parts.at(1)};
}

Result<QList<RepositoryId>> parseRepositoryList(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    QList<RepositoryId> repositories;
    for (const QString &item : text.split(separators, Qt::SkipEmptyParts)) {
        auto id = parseRepositoryId(item);
        if (!id)
            return id.error();
        bool known = false;
        for (const RepositoryId &r : std::as_const(repositories))
            known = known || r.fullName().compare(id->fullName(), Qt::CaseInsensitive) == 0;
        if (!known)
            repositories << id.value();
    }
    return repositories;
}

Result<void> validateContainerName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("\\A[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}\\z"));
    if (!valid.match(name).hasMatch())
        return makeError(
            "docker.name",
            Tr::tr("\"%1\" is not a container name: start with a letter or digit, then use letters, "
                   "digits, '_', '.' or '-' (128 at most).")
                .arg(name));
    return {};
}

Result<int> parsePort(const QString &text, const QString &what)
{
    bool ok = false;
    const int port = text.trimmed().toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return makeError(
            "port.range",
            Tr::tr("The %1 \"%2\" is not a port: use a number from 1 to 65535.").arg(what, text));
    return port;
}

Result<void> validateSubdomain(const QString &label)
{
    static const QRegularExpression valid(
        QStringLiteral("\\A[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\z"));
    if (!valid.match(label).hasMatch())
        return makeError("dns.label",
                         Tr::tr("\"%1\" is not a valid DNS label (RFC 1123): 1 to 63 letters, digits or "
                                "hyphens, not starting or ending with a hyphen.")
                             .arg(label));
    return {};
}

Result<void> validateHostname(const QString &hostname)
{
    if (hostname.isEmpty() || hostname.size() > 253)
        return makeError("dns.hostname",
                         Tr::tr("\"%1\" is not a host name: 1 to 253 characters (RFC 1123).").arg(hostname));
    const QStringList labels = hostname.split(QLatin1Char('.'));
    for (const QString &label : labels)
        if (auto r = validateSubdomain(label); !r)
            return makeError("dns.hostname",
                             Tr::tr("\"%1\" is not a host name: %2").arg(hostname, r.message()));
    return {};
}

Result<void> validateRouteHostname(const QString &hostname)
{
    if (hostname == QLatin1String("*"))
        return makeError(
            "dns.hostname",
            Tr::tr("\"*\" alone is the catch-all rule, which stays last: a route needs a host name "
                   "such as app.example.com or *.example.com."));
    if (hostname.startsWith(QLatin1String("*.")))
        return validateHostname(hostname.mid(2)).ok()
                   ? Result<void>()
                   : makeError(
                         "dns.hostname",
                         Tr::tr("\"%1\" is not a wildcard host name: after \"*.\" comes a host name (%2).")
                             .arg(hostname, validateHostname(hostname.mid(2)).message()));
    if (hostname.contains(QLatin1Char('*')))
        return makeError("dns.hostname",
                         Tr::tr("\"%1\": a wildcard (\"*\") can only be the whole first label, as in "
                                "\"*.example.com\".")
                             .arg(hostname));
    return validateHostname(hostname);
}

Result<void> validateEnvName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("\\A[A-Za-z_][A-Za-z0-9_]*\\z"));
    if (!valid.match(name).hasMatch())
        return makeError("env.name",
                         Tr::tr("\"%1\" is not an environment variable name: start with a letter or "
                                "'_', then letters, digits or '_'.")
                             .arg(name));
    return {};
}

Result<QString> pathInside(const QString &root, const QString &relative)
{
    const auto refuse = [&] {
        return makeError(
            "path.outside",
            Tr::tr("The path \"%1\" leads outside %2.").arg(relative, QDir::toNativeSeparators(root)));
    };
    if (relative.isEmpty() || QDir::isAbsolutePath(relative) || relative.contains(QChar(0)))
        return refuse();
    for (const QString &part : relative.split(QLatin1Char('/')))
        if (part == QLatin1String(".."))
            return refuse();
    const QString base = QDir(root).canonicalPath();
    if (base.isEmpty())
        return makeError("path.root", Tr::tr("The directory %1 does not exist.").arg(root));
    const QString joined = QDir::cleanPath(base + QLatin1Char('/') + relative);
    // Existing parts may be symbolic links: resolve the longest existing prefix and check it.
    QString probe = joined;
    while (!QFileInfo::exists(probe) && probe.size() > base.size())
        probe = QFileInfo(probe).path();
    const QString resolved = QFileInfo(probe).canonicalFilePath();
    if (resolved != base && !resolved.startsWith(base + QLatin1Char('/')))
        return refuse();
    if (joined != base && !joined.startsWith(base + QLatin1Char('/')))
        return refuse();
    return joined;
}

} // namespace opsdeck
