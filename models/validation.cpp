#include "validation.h"

#include <QCoreApplication>
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

} // namespace opsdeck
