// Typed settings with change signals, stored in <data dir>/settings.ini (never secrets).
#pragma once

#include <QByteArray>
#include <QObject>
#include <QSettings>

namespace opsdeck {

class AppSettings : public QObject
{
    Q_OBJECT
public:
    explicit AppSettings(const QString &dataDir, QObject *parent = nullptr);

    QString filePath() const { return m_settings.fileName(); }

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    QString lastPane() const;
    void setLastPane(const QString &paneId);

    void sync() { m_settings.sync(); }

signals:
    void lastPaneChanged(const QString &paneId);

private:
    QSettings m_settings;
};

} // namespace opsdeck
