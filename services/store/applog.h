// Opsdeck's log: every qDebug/qInfo/qWarning line goes to <data dir>/logs/opsdeck.log (rotated at
// 5 MB, three files kept) and to stderr. Nothing logs headers or secrets.
#pragma once

#include <QString>

namespace opsdeck::AppLog {

void install(const QString &dataDir);
QString logFilePath();

} // namespace opsdeck::AppLog
