#include "models/docker/imagereference.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ImageReference)
};

bool looksLikeRegistry(const QString &component)
{
    // distribution/reference (splitDockerDomain): the first of several components is a registry
    // when it has a dot or a colon, is "localhost", or has an upper-case letter (repository names
    // never do); otherwise it is part of a Docker Hub repository name.
    return component.contains(QLatin1Char('.')) || component.contains(QLatin1Char(':')) ||
           component == QLatin1String("localhost") || component != component.toLower();
}
} // namespace

QString ImageReference::fromImage() const
{
    return registry.isEmpty() ? repository : registry + QLatin1Char('/') + repository;
}

QString ImageReference::toString() const
{
    QString s = fromImage();
    if (!tag.isEmpty())
        s += QLatin1Char(':') + tag;
    if (!digest.isEmpty())
        s += QLatin1Char('@') + digest;
    return s;
}

Result<ImageReference> parseImageReference(const QString &input)
{
    const QString text = input.trimmed();
    const auto refuse = [&](const QString &why) {
        return makeError("image.reference", Tr::tr("\"%1\" is not an image reference: %2").arg(text, why));
    };
    if (text.isEmpty())
        return makeError("image.reference", Tr::tr("Enter an image reference, for example nginx:1.27."));
    if (text.size() > 512)
        return refuse(Tr::tr("it is longer than 512 characters."));
    // ParseNormalizedNamed: a bare 64-digit hex string is an image ID, never a repository name.
    static const QRegularExpression identifier(QStringLiteral("\\A[a-f0-9]{64}\\z"));
    if (identifier.match(text).hasMatch())
        return refuse(Tr::tr("64 hexadecimal digits are an image ID, not a repository name; pull by name, or "
                             "write a digest as name@sha256:…"));
    ImageReference ref;
    QString rest = text;
    if (const qsizetype at = rest.indexOf(QLatin1Char('@')); at >= 0) {
        ref.digest = rest.mid(at + 1);
        rest = rest.left(at);
        // go-digest: the algorithms it knows, each with its length of lower-case hex.
        static const QRegularExpression digest(
            QStringLiteral("\\A(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})\\z"));
        if (!digest.match(ref.digest).hasMatch())
            return refuse(
                Tr::tr("the digest \"%1\" must be sha256: and 64, sha384: and 96, or sha512: and 128 "
                       "lower-case hexadecimal digits.")
                    .arg(ref.digest));
    }
    // A tag follows the last ':' after the last '/'.
    const qsizetype slash = rest.lastIndexOf(QLatin1Char('/'));
    if (const qsizetype colon = rest.lastIndexOf(QLatin1Char(':')); colon > slash) {
        ref.tag = rest.mid(colon + 1);
        rest = rest.left(colon);
        static const QRegularExpression tag(QStringLiteral("\\A[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\\z"));
        if (!tag.match(ref.tag).hasMatch())
            return refuse(Tr::tr("the tag \"%1\" must be 1 to 128 letters, digits, '_', '.' or '-', not "
                                 "starting with '.' or '-'.")
                              .arg(ref.tag));
    }
    if (const qsizetype first = rest.indexOf(QLatin1Char('/'));
        first > 0 && looksLikeRegistry(rest.left(first))) {
        ref.registry = rest.left(first);
        rest = rest.mid(first + 1);
        static const QRegularExpression host(QStringLiteral(
            "\\A(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|"
            "\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?\\z"));
        if (!host.match(ref.registry).hasMatch())
            return refuse(
                Tr::tr("the registry \"%1\" is not a host name with an optional port.").arg(ref.registry));
    }
    ref.repository = rest;
    static const QRegularExpression name(QStringLiteral(
        "\\A[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*\\z"));
    if (ref.repository.isEmpty())
        return refuse(Tr::tr("the repository name is missing."));
    if (!name.match(ref.repository).hasMatch())
        return refuse(
            ref.repository != ref.repository.toLower()
                ? Tr::tr("repository names are lower case (\"%1\").").arg(ref.repository)
                : Tr::tr("the repository \"%1\" must be lower-case letters and digits, separated by "
                         "'/', '.', '_', '__' or '-'.")
                      .arg(ref.repository));
    if (ref.fromImage().size() > 255)
        return refuse(Tr::tr("registry and repository together are longer than 255 characters."));
    return ref;
}

QString containerNameFor(const ImageReference &reference)
{
    QString base = reference.repository.section(QLatin1Char('/'), -1);
    // Container names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*: repository components already fit.
    static const QRegularExpression invalid(QStringLiteral("[^a-zA-Z0-9_.-]"));
    base.replace(invalid, QStringLiteral("-"));
    while (!base.isEmpty() && !base.at(0).isLetterOrNumber())
        base.remove(0, 1);
    return base.isEmpty() ? QStringLiteral("service") : base.left(100);
}

QString uniqueName(const QString &base, const QSet<QString> &taken)
{
    QSet<QString> lower;
    for (const QString &t : taken)
        lower.insert(t.toLower());
    if (!lower.contains(base.toLower()))
        return base;
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!lower.contains(candidate.toLower()))
            return candidate;
    }
}

} // namespace opsdeck
