// What the Docker service's source files share (services/docker/dockerservice.h).
#pragma once

#include <QByteArray>
#include <QLoggingCategory>
#include <QString>
#include <QUrl>

Q_DECLARE_LOGGING_CATEGORY(lcDockerService)

namespace opsdeck {

// A name or ID as one segment of an Engine API path.
inline QByteArray enc(const QString &s)
{
    return QUrl::toPercentEncoding(s);
}

} // namespace opsdeck
