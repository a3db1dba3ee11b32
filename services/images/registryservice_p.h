// What the registry service's source files share (services/images/registryservice.h).
#pragma once

#include <QLoggingCategory>
#include <QString>
#include <QUrl>

Q_DECLARE_LOGGING_CATEGORY(lcRegistry)

namespace opsdeck {

// No registry links on for more pages than this (a guard against one that links forever).
inline constexpr int maxRegistryPages = 10000;

// A name as one segment of an API path.
inline QString encoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

} // namespace opsdeck
