#include "services/deploy/compose.h"

#include "models/core/validation.h"
#include "services/net/asyncprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Compose)
};
} // namespace

void findComposeTool(const QProcessEnvironment &environment, QObject *context,
                     std::function<void(const Result<ComposeTool> &)> done)
{
    static const QList<ComposeTool> candidates{{QStringLiteral("docker"), {QStringLiteral("compose")}, {}},
                                               {QStringLiteral("docker-compose"), {}, {}},
                                               {QStringLiteral("podman-compose"), {}, {}}};
    // Tries candidate `index`, then the next one, each asked for its version without blocking.
    auto tryFrom = std::make_shared<std::function<void(int)>>();
    *tryFrom = [environment, context, done, tryFrom](int index) {
        if (index >= candidates.size()) {
            QStringList tried;
            for (const ComposeTool &tool : candidates)
                tried << tool.display();
            *tryFrom = nullptr; // breaks the cycle of the shared function holding itself
            return done(makeError("compose.missing",
                                  Tr::tr("No compose tool was found (tried %1): install the Docker compose "
                                         "plugin, docker-compose or podman-compose.")
                                      .arg(tried.join(QStringLiteral(", ")))));
        }
        ComposeTool tool = candidates.at(index);
        const QString path = QStandardPaths::findExecutable(tool.program);
        if (path.isEmpty())
            return (*tryFrom)(index + 1);
        ProcessSpec spec;
        spec.program = path;
        spec.arguments = tool.prefix + QStringList{QStringLiteral("version")};
        spec.environment = environment;
        spec.timeoutMs = 15000;
        runProcess(spec, context, [tool, path, index, done, tryFrom](const ProcessResult &r) mutable {
            if (!r.ok())
                return (*tryFrom)(index + 1);
            tool.program = path;
            tool.version = QString::fromUtf8(r.output).trimmed().section(QLatin1Char('\n'), 0, 0);
            *tryFrom = nullptr;
            done(tool);
        });
    };
    (*tryFrom)(0);
}

Result<QProcessEnvironment> composeEnvironment(const Connection &docker, const QString &tlsDirectory)
{
    auto endpoint = parseDockerEndpoint(docker.endpoint, !docker.clientCertFile.isEmpty());
    if (!endpoint)
        return endpoint.error();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DOCKER_HOST"),
               endpoint->transport == DockerEndpoint::Unix
                   ? QStringLiteral("unix://") + endpoint->socketPath
                   : QStringLiteral("tcp://%1:%2").arg(endpoint->host).arg(endpoint->port));
    env.remove(QStringLiteral("DOCKER_TLS_VERIFY"));
    env.remove(QStringLiteral("DOCKER_CERT_PATH"));
    env.remove(QStringLiteral("DOCKER_CONTEXT"));
    if (!endpoint->tls)
        return env;
    // The compose tools read the engine's TLS files from one directory under fixed names
    // (ca.pem, cert.pem, key.pem): links to the connection's files, so no key is copied.
    if (tlsDirectory.isEmpty())
        return makeError("compose.tls", Tr::tr("No directory for the engine's TLS files was given."));
    const QString ca =
        docker.caFile.isEmpty() ? QStringLiteral("/etc/ssl/certs/ca-certificates.crt") : docker.caFile;
    const std::pair<QString, QString> links[] = {{QStringLiteral("ca.pem"), ca},
                                                 {QStringLiteral("cert.pem"), docker.clientCertFile},
                                                 {QStringLiteral("key.pem"), docker.clientKeyFile}};
    if (!QDir().mkpath(tlsDirectory) ||
        !QFile::setPermissions(tlsDirectory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
        return makeError("compose.tls",
                         Tr::tr("Cannot create %1 for the engine's TLS files.").arg(tlsDirectory));
    for (const auto &[name, target] : links) {
        if (!QFileInfo(target).isFile())
            return makeError("compose.tls",
                             Tr::tr("The TLS file %1 of %2 cannot be read.").arg(target, docker.name));
        const QString link = QDir(tlsDirectory).filePath(name);
        QFile::remove(link);
        if (!QFile::link(QFileInfo(target).absoluteFilePath(), link))
            return makeError("compose.tls", Tr::tr("Cannot link %1 as %2.").arg(target, link));
    }
    env.insert(QStringLiteral("DOCKER_TLS_VERIFY"), QStringLiteral("1"));
    env.insert(QStringLiteral("DOCKER_CERT_PATH"), tlsDirectory);
    return env;
}

QString findComposeFile(const QString &directory)
{
    for (const char *name : {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"})
        if (QFileInfo(QDir(directory).filePath(QLatin1String(name))).isFile())
            return QDir(directory).filePath(QLatin1String(name));
    return {};
}

Result<QString> resolveComposeFile(const QString &directory, const QString &chosen)
{
    if (chosen.trimmed().isEmpty()) {
        const QString found = findComposeFile(directory);
        if (found.isEmpty())
            return makeError(
                "compose.file",
                Tr::tr("%1 has no compose file (compose.yaml, compose.yml, docker-compose.yaml or "
                       "docker-compose.yml): choose the file to use.")
                    .arg(directory));
        return found;
    }
    auto inside = pathInside(directory, chosen.trimmed());
    if (!inside)
        return inside.error();
    if (!QFileInfo(inside.value()).isFile())
        return makeError("compose.file", Tr::tr("The compose file %1 is not in %2.").arg(chosen, directory));
    return inside.value();
}

QStringList composeFilesIn(const QString &directory)
{
    return composeFileCandidates(QDir(directory).entryList(QDir::Files | QDir::Hidden));
}

Result<ComposeProject> readComposeIn(const QString &directory, const QString &file,
                                     const QProcessEnvironment &environment)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return makeError("compose.file", Tr::tr("Cannot read %1: %2").arg(file, f.errorString()));
    if (f.size() > 4 * 1024 * 1024)
        return makeError("compose.file", Tr::tr("%1 is larger than 4 MB: not a compose file.").arg(file));
    ComposeInput input;
    input.fileName = QDir(directory).relativeFilePath(file);
    input.text = QString::fromUtf8(f.readAll());
    for (const QString &key : environment.keys())
        input.environment.insert(key, environment.value(key));
    // compose reads .env and env_file relative to the file's directory.
    const QString base = QFileInfo(file).absolutePath();
    input.readFile = [base, directory](const QString &relative) -> Result<QString> {
        auto path = pathInside(base, relative);
        if (!path)
            return makeError("compose.env",
                             Tr::tr("%1 leads outside the project %2: Opsdeck does not read it.")
                                 .arg(relative, directory));
        QFile env(path.value());
        if (!env.open(QIODevice::ReadOnly))
            return makeError("file.missing", Tr::tr("cannot read %1: %2").arg(relative, env.errorString()));
        return QString::fromUtf8(env.read(1024 * 1024));
    };
    return readComposeProject(input);
}

int composeToolMajor(const ComposeTool &tool)
{
    static const QRegularExpression version(QStringLiteral("version v?([0-9]+)\\."),
                                            QRegularExpression::CaseInsensitiveOption);
    const auto m = version.match(tool.version);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

Result<void> checkComposeTool(const ComposeTool &tool, const ComposeProject &project)
{
    if (composeToolMajor(tool) != 1 || project.v2Only.isEmpty())
        return {};
    return makeError(
        "compose.tool-too-old",
        Tr::tr("%1 (%2) is older than %3 needs: Compose v1 refuses %4. Nothing was started. Install "
               "the Docker compose plugin (docker compose, v2), which Opsdeck uses first when it is "
               "there.")
            .arg(tool.display(), tool.version, project.file, project.v2Only.join(QStringLiteral(", "))));
}

} // namespace opsdeck
