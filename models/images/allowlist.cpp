#include "models/images/allowlist.h"

#include "models/core/glob.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Allowlist)
};

const QString dockerHub = QStringLiteral("docker.io");

QString normalizeRepository(const QString &registry, const QString &repository)
{
    return registry == dockerHub && !repository.contains(QLatin1Char('/'))
               ? QStringLiteral("library/") + repository
               : repository;
}

// As the reference parser splits a registry: a first component with a dot or a colon, or
// "localhost", or an upper-case letter.
bool looksLikeRegistry(const QString &component)
{
    return component.contains(QLatin1Char('.')) || component.contains(QLatin1Char(':')) ||
           component == QLatin1String("localhost") || component != component.toLower();
}
// A registry written in lower case must still read as one: "A/app" names the host "a" only because
// of its capital, and "a/app" would be a Docker Hub repository.
// Written back in full (docker.io/library/… for a familiar name), the name must still be one the
// reference grammar takes: registry and repository together at most 255 characters.
Result<void> fitsWrittenBack(const QString &registry, const QString &repository)
{
    if (registry.size() + 1 + repository.size() > 255)
        return makeError(
            "image.entry",
            Tr::tr("written in full (%1/…), the name is longer than 255 characters.").arg(registry));
    return {};
}

Result<void> readableHost(const QString &registry)
{
    if (registry == dockerHub || looksLikeRegistry(registry))
        return {};
    return makeError("image.entry", Tr::tr("the registry \"%1\" needs its full name, with a dot or a port "
                                           "(%1.example.com, %1:5000), to be told from a Docker Hub name.")
                                        .arg(registry));
}
} // namespace

QString normalizeRegistry(const QString &registry)
{
    const QString host = registry.toLower();
    if (host.isEmpty() || host == QLatin1String("docker.io") || host == QLatin1String("index.docker.io") ||
        host == QLatin1String("registry-1.docker.io"))
        return dockerHub;
    return host;
}

NormalizedImage normalizeImage(const ImageReference &r)
{
    NormalizedImage n;
    n.registry = normalizeRegistry(r.registry);
    n.repository = normalizeRepository(n.registry, r.repository);
    n.tag = r.tag.isEmpty() && r.digest.isEmpty() ? QStringLiteral("latest") : r.tag;
    n.digest = r.digest;
    return n;
}

QString NormalizedImage::toString() const
{
    QString s = name();
    if (!tag.isEmpty())
        s += QLatin1Char(':') + tag;
    if (!digest.isEmpty())
        s += QLatin1Char('@') + digest;
    return s;
}

QString AllowEntry::text() const
{
    switch (kind) {
    case Kind::Tag:
    case Kind::TagPattern:
        return registry + QLatin1Char('/') + repository + QLatin1Char(':') + tag;
    case Kind::Repository:
        return registry + QLatin1Char('/') + repository;
    case Kind::Digest:
        return registry + QLatin1Char('/') + repository + QLatin1Char('@') + digest;
    case Kind::Namespace:
        return registry + QLatin1Char('/') +
               (repository.isEmpty() ? QString() : repository + QLatin1Char('/')) + QLatin1Char('*');
    }
    return {};
}

QString AllowEntry::describe() const
{
    const QString where = project.isEmpty() ? Tr::tr("global entry %1").arg(id)
                                            : Tr::tr("entry %1 of project %2").arg(id).arg(project);
    QString who = addedBy;
    if (!reason.isEmpty())
        who += (who.isEmpty() ? QString() : QStringLiteral(": ")) + reason;
    return who.isEmpty() ? QStringLiteral("%1: %2").arg(where, text())
                         : QStringLiteral("%1: %2 (%3)").arg(where, text(), who);
}

Result<AllowEntry> parseAllowEntry(const QString &input)
{
    const QString text = input.trimmed();
    const auto refuse = [&text](const QString &why) {
        return makeError("image.entry", Tr::tr("\"%1\" is not an allowlist entry: %2").arg(text, why));
    };
    if (text.isEmpty())
        return makeError("image.entry",
                         Tr::tr("Enter an image, a tag pattern, a repository or REGISTRY/NAMESPACE/*."));
    AllowEntry e;
    // A namespace: everything under REGISTRY/NAMESPACE/ (or all of REGISTRY), any tag.
    if (text.endsWith(QLatin1String("/*"))) {
        const QString prefix = text.chopped(2);
        if (prefix.contains(QLatin1Char('*')) || prefix.contains(QLatin1Char('@')))
            return refuse(
                Tr::tr("a namespace is written REGISTRY/NAMESPACE/* with no other '*' and no digest."));
        if (!prefix.contains(QLatin1Char('/')) && looksLikeRegistry(prefix)) {
            // REGISTRY/*: the parser checks the host through a reference to a repository on it.
            const auto host = parseImageReference(prefix + QStringLiteral("/x"));
            if (!host)
                return refuse(host.message());
            e.registry = normalizeRegistry(host->registry);
            if (e.registry == dockerHub)
                return refuse(
                    Tr::tr("all of Docker Hub is not an entry: name a namespace (bitnami/*) or images."));
        } else {
            const auto ns = parseImageReference(prefix);
            if (!ns)
                return refuse(ns.message());
            if (!ns->tag.isEmpty())
                return refuse(Tr::tr("a namespace has no tag: write REGISTRY/NAMESPACE/* alone."));
            e.registry = normalizeRegistry(ns->registry);
            // Docker Hub's one-component names live in library/, but a namespace named alone is
            // that namespace ("bitnami/*").
            e.repository = ns->repository;
        }
        e.kind = AllowEntry::Kind::Namespace;
        if (auto host = readableHost(e.registry); !host)
            return refuse(host.message());
        if (auto fits = fitsWrittenBack(e.registry, e.repository + QStringLiteral("/x")); !fits)
            return refuse(fits.message());
        return e;
    }
    // A tag pattern: the parser checks everything but the '*' of the tag.
    QString forParser = text;
    QString pattern;
    const qsizetype slash = text.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon > slash && text.indexOf(QLatin1Char('*'), colon) > colon) {
        pattern = text.mid(colon + 1);
        static const QRegularExpression tagPattern(QStringLiteral("\\A[a-zA-Z0-9_.*-]{1,128}\\z"));
        if (!tagPattern.match(pattern).hasMatch() || pattern.startsWith(QLatin1Char('.')) ||
            pattern.startsWith(QLatin1Char('-')))
            return refuse(
                Tr::tr("the tag pattern \"%1\" may hold letters, digits, '_', '.', '-' and '*', not "
                       "starting with '.' or '-'.")
                    .arg(pattern));
        if (pattern == QLatin1String("*"))
            return refuse(Tr::tr("a tag pattern of only '*' is any tag: write the repository alone."));
        forParser = text.left(colon);
    }
    if (text.left(colon > slash ? colon : text.size()).contains(QLatin1Char('*')))
        return refuse(Tr::tr("'*' goes in a tag pattern (nginx:1.27-*) or at the end of a namespace "
                             "(registry.example.com/team/*)."));
    const auto ref = parseImageReference(forParser);
    if (!ref)
        return refuse(ref.message());
    e.registry = normalizeRegistry(ref->registry);
    e.repository = normalizeRepository(e.registry, ref->repository);
    if (auto host = readableHost(e.registry); !host)
        return refuse(host.message());
    if (auto fits = fitsWrittenBack(e.registry, e.repository); !fits)
        return refuse(fits.message());
    if (!pattern.isEmpty()) {
        e.kind = AllowEntry::Kind::TagPattern;
        e.tag = pattern;
    } else if (!ref->digest.isEmpty()) {
        if (!ref->tag.isEmpty())
            return refuse(Tr::tr("a pinned digest is written without a tag (name@sha256:…): the digest alone "
                                 "says which image."));
        e.kind = AllowEntry::Kind::Digest;
        e.digest = ref->digest;
    } else if (!ref->tag.isEmpty()) {
        e.kind = AllowEntry::Kind::Tag;
        e.tag = ref->tag;
    } else {
        e.kind = AllowEntry::Kind::Repository;
    }
    return e;
}

Allowlist::Allowlist(const QList<AllowEntry> &entries) : m_entries(entries)
{
    for (int i = 0; i < m_entries.size(); ++i) {
        const AllowEntry &e = m_entries.at(i);
        if (e.kind == AllowEntry::Kind::Namespace)
            m_byNamespace[e.registry + QLatin1Char('/') + e.repository] << i;
        else
            m_byName[e.registry + QLatin1Char('/') + e.repository] << i;
    }
}

bool Allowlist::matches(const AllowEntry &e, const NormalizedImage &image,
                        const QString &resolvedDigest) const
{
    switch (e.kind) {
    case AllowEntry::Kind::Repository:
        return true; // found by its name
    case AllowEntry::Kind::Tag:
        return !image.tag.isEmpty() && image.tag == e.tag;
    case AllowEntry::Kind::TagPattern:
        return !image.tag.isEmpty() && globMatch(e.tag, image.tag);
    case AllowEntry::Kind::Digest:
        return e.digest == (image.digest.isEmpty() ? resolvedDigest : image.digest);
    case AllowEntry::Kind::Namespace:
        // Components, not text: "team" takes in team/x and team/y/z, never teamx/y.
        return e.repository.isEmpty() || image.repository.startsWith(e.repository + QLatin1Char('/'));
    }
    return false;
}

AllowDecision Allowlist::decide(const NormalizedImage &image, const QString &project, const QDateTime &now,
                                const QString &resolvedDigest) const
{
    AllowDecision d;
    std::optional<AllowEntry> expired;
    const auto consider = [&](const QList<int> &candidates) {
        for (int i : candidates) {
            const AllowEntry &e = m_entries.at(i);
            if (!e.project.isEmpty() && e.project != project)
                continue;
            if (!matches(e, image, resolvedDigest))
                continue;
            if (e.expired(now)) {
                if (!expired)
                    expired = e;
                continue;
            }
            // A project's own entry is named before a global one; otherwise the first.
            if (!d.entry || (d.entry->project.isEmpty() && !e.project.isEmpty()))
                d.entry = e;
        }
    };
    consider(m_byName.value(image.name()));
    // Namespaces that take the repository in: the whole registry, then each proper prefix of its
    // path ("a", "a/b" for a/b/c), looked up by components.
    QString prefix = image.registry + QLatin1Char('/');
    consider(m_byNamespace.value(prefix));
    const QStringList parts = image.repository.split(QLatin1Char('/'));
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        prefix += (i ? QStringLiteral("/") : QString()) + parts.at(i);
        consider(m_byNamespace.value(prefix));
    }
    const QString what =
        project.isEmpty() ? image.toString() : Tr::tr("%1 in project %2").arg(image.toString(), project);
    if (d.entry) {
        d.allowed = true;
        d.reason = Tr::tr("%1 is allowed by %2.").arg(what, d.entry->describe());
        return d;
    }
    if (expired) {
        d.entry = expired;
        d.reason = Tr::tr("%1 is not allowed: %2 expired on %3.")
                       .arg(what, expired->describe(),
                            QLocale().toString(expired->expiresAt.toLocalTime(), QLocale::ShortFormat));
        return d;
    }
    d.reason =
        project.isEmpty()
            ? Tr::tr("%1 is not allowed: no global entry allows it.").arg(what)
            : Tr::tr("%1 is not allowed: no entry of the project or global entry allows it.").arg(what);
    return d;
}

} // namespace opsdeck
