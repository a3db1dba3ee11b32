#include "compose.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Compose)
};
} // namespace

Result<ComposeTool> findComposeTool(const QProcessEnvironment &environment)
{
    const QList<ComposeTool> candidates{{QStringLiteral("docker"), {QStringLiteral("compose")}, {}},
                                        {QStringLiteral("docker-compose"), {}, {}},
                                        {QStringLiteral("podman-compose"), {}, {}}};
    QStringList tried;
    for (ComposeTool tool : candidates) {
        const QString path = QStandardPaths::findExecutable(tool.program);
        tried << tool.display();
        if (path.isEmpty())
            continue;
        QProcess p;
        p.setProcessEnvironment(environment);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(path, tool.prefix + QStringList{QStringLiteral("version")});
        if (!p.waitForFinished(15000)) {
            p.kill();
            p.waitForFinished(1000);
            continue;
        }
        if (p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0) {
            tool.program = path;
            tool.version = QString::fromUtf8(p.readAll()).trimmed().section(QLatin1Char('\n'), 0, 0);
            return tool;
        }
    }
    return makeError("compose.missing",
                     Tr::tr("No compose tool was found (tried %1): install the Docker compose plugin, "
                            "docker-compose or podman-compose.")
                         .arg(tried.join(QStringLiteral(", "))));
}

Result<QProcessEnvironment> composeEnvironment(const Connection &docker)
{
    auto endpoint = parseDockerEndpoint(docker.endpoint, !docker.clientCertFile.isEmpty());
    if (!endpoint)
        return endpoint.error();
    if (endpoint->tls)
        return makeError("compose.tls",
                         Tr::tr("Compose deploys to TLS-protected engines are not supported yet: use the "
                                "host's unix socket or a plain TCP endpoint."));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DOCKER_HOST"),
               endpoint->transport == DockerEndpoint::Unix
                   ? QStringLiteral("unix://") + endpoint->socketPath
                   : QStringLiteral("tcp://%1:%2").arg(endpoint->host).arg(endpoint->port));
    env.remove(QStringLiteral("DOCKER_TLS_VERIFY"));
    env.remove(QStringLiteral("DOCKER_CONTEXT"));
    return env;
}

QString findComposeFile(const QString &directory)
{
    for (const char *name : {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"})
        if (QFileInfo(QDir(directory).filePath(QLatin1String(name))).isFile())
            return QDir(directory).filePath(QLatin1String(name));
    return {};
}

} // namespace opsdeck
