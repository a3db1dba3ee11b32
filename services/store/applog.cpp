#include "services/store/applog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>

#include <cstdio>

namespace opsdeck::AppLog {

namespace {
QMutex mutex;
QFile *file = nullptr;
QString path;
constexpr qint64 maxSize = 5 * 1024 * 1024;

void rotate()
{
    file->close();
    QFile::remove(path + QStringLiteral(".3"));
    QFile::rename(path + QStringLiteral(".2"), path + QStringLiteral(".3"));
    QFile::rename(path + QStringLiteral(".1"), path + QStringLiteral(".2"));
    QFile::rename(path, path + QStringLiteral(".1"));
    file->open(QIODevice::Append | QIODevice::Text);
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const char *level = "debug";
    switch (type) {
    case QtDebugMsg:
        level = "debug";
        break;
    case QtInfoMsg:
        level = "info";
        break;
    case QtWarningMsg:
        level = "warning";
        break;
    case QtCriticalMsg:
        level = "critical";
        break;
    case QtFatalMsg:
        level = "fatal";
        break;
    }
    const QByteArray line =
        QStringLiteral("%1 %2 %3: %4\n")
            .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs), QLatin1String(level),
                 QLatin1String(context.category ? context.category : "default"), message)
            .toUtf8();
    {
        QMutexLocker lock(&mutex);
        if (file && file->isOpen()) {
            if (file->size() > maxSize)
                rotate();
            file->write(line);
            file->flush();
        }
    }
    if (type != QtDebugMsg)
        fputs(line.constData(), stderr);
    if (type == QtFatalMsg)
        abort();
}
} // namespace

void install(const QString &dataDir)
{
    QMutexLocker lock(&mutex);
    const QString dir = dataDir + QStringLiteral("/logs");
    QDir().mkpath(dir);
    path = dir + QStringLiteral("/opsdeck.log");
    if (!file)
        file = new QFile;
    if (file->isOpen())
        file->close();
    file->setFileName(path);
    file->open(QIODevice::Append | QIODevice::Text);
    qInstallMessageHandler(handler);
}

QString logFilePath()
{
    QMutexLocker lock(&mutex);
    return path;
}

} // namespace opsdeck::AppLog
