// Container image references ("registry.example:5000/team/app:1.2@sha256:…"), checked by the
// grammar of the OCI distribution spec: the repository name matches
// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*, a tag
// [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}, a digest sha256/sha384/sha512 with 64/96/128 lower-case hex
// digits (what go-digest accepts). The first of several components is the registry when it has a
// dot, a colon or an upper-case letter, or is "localhost", as distribution/reference splits it; a
// bare 64-digit hex string (an image ID) is refused.
// Also what a quick service derives from one: its container name.
#pragma once

#include "models/core/result.h"

#include <QSet>
#include <QString>

namespace opsdeck {

struct ImageReference
{
    QString registry;   // "registry.example:5000"; empty for Docker Hub
    QString repository; // "team/app" ("library/nginx" is written "nginx" when registry is empty)
    QString tag;        // empty when none was given (the engine then uses "latest")
    QString digest;     // "sha256:…"
    QString toString() const;
    // What the engine is asked to pull: fromImage and tag of POST /images/create.
    QString fromImage() const;
    QString tagOrLatest() const { return tag.isEmpty() && digest.isEmpty() ? QStringLiteral("latest") : tag; }
    bool operator==(const ImageReference &) const = default;
};

Result<ImageReference> parseImageReference(const QString &text);

// excalidraw/excalidraw:latest -> "excalidraw"; registry:5000/team/my_app@sha256:… -> "my_app".
QString containerNameFor(const ImageReference &reference);
// base, or base-2, base-3, … : the first that is not taken (compared case-insensitively).
QString uniqueName(const QString &base, const QSet<QString> &taken);

} // namespace opsdeck
