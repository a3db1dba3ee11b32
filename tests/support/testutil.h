// Small helpers shared by the test suites.
#pragma once

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTest>

// True when scripts/test.sh asked for every real server to be present (CI).
inline bool testbedRequired()
{
    return qEnvironmentVariableIntValue("OPSDECK_REQUIRE_TESTBED") == 1;
}

// Skips (locally) or fails (CI) when a real component is missing.
#define OPSDECK_REQUIRE_COMPONENT(available, what)                                                           \
    do {                                                                                                     \
        if (!(available)) {                                                                                  \
            if (testbedRequired())                                                                           \
                QFAIL(qPrintable(QStringLiteral("required test component missing: %1").arg(what)));          \
            QSKIP(qPrintable(QStringLiteral("%1 is not installed; scripts/test.sh installs it").arg(what))); \
        }                                                                                                    \
    } while (false)

inline QByteArray readWholeFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
