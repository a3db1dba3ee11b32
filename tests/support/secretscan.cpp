#include "secretscan.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QUrl>

namespace SecretScan {

namespace {
QMutex mutex;
QByteArray captured;
QtMessageHandler previous = nullptr;

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&mutex);
        captured += message.toUtf8() + '\n';
    }
    if (previous)
        previous(type, context, message);
}

QList<QByteArray> formsOf(const QString &secret)
{
    const QByteArray raw = secret.toUtf8();
    QList<QByteArray> forms{raw, raw.toBase64(), raw.toBase64(QByteArray::Base64UrlEncoding),
                            QUrl::toPercentEncoding(secret)};
    // A PEM key is also looked for by one line of its body (a partial copy is a leak too).
    const QList<QByteArray> lines = raw.split('\n');
    if (lines.size() > 3)
        forms << lines.at(lines.size() / 2).trimmed();
    forms.removeAll(QByteArray());
    return forms;
}
} // namespace

void captureLog()
{
    QMutexLocker lock(&mutex);
    if (!previous)
        previous = qInstallMessageHandler(handler);
}

QStringList findings(const QStringList &secrets, const QStringList &paths)
{
    QStringList out;
    const auto scan = [&](const QByteArray &data, const QString &where) {
        for (const QString &secret : secrets)
            for (const QByteArray &form : formsOf(secret))
                if (data.contains(form)) {
                    out << QStringLiteral("%1… in %2").arg(secret.left(12), where);
                    break;
                }
    };
    const auto scanFile = [&](const QFileInfo &info) {
        // Regular files only: a socket or FIFO would block the read.
        if (!info.isFile() || info.isSymLink())
            return;
        QFile f(info.filePath());
        if (f.open(QIODevice::ReadOnly))
            scan(f.readAll(), f.fileName());
    };
    for (const QString &path : paths) {
        if (QFileInfo(path).isFile()) {
            scanFile(QFileInfo(path));
            continue;
        }
        QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            scanFile(it.fileInfo());
        }
    }
    QMutexLocker lock(&mutex);
    scan(captured, QStringLiteral("the log"));
    return out;
}

} // namespace SecretScan
