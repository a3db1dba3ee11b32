// A JUnit report of `cases` cases generated on the fly, never held whole: hundreds of megabytes of
// XML for the memory tests without that much memory. Every tenth case fails; each case prints
// outputBytes of system-out.
#pragma once

#include <QIODevice>
#include <QString>

#include <cstring>

#include <sys/resource.h>

// AddressSanitizer keeps freed memory in quarantine: memory bounds are not checked under it.
#if defined(__SANITIZE_ADDRESS__)
#define OPSDECK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OPSDECK_UNDER_ASAN 1
#endif
#endif
#ifndef OPSDECK_UNDER_ASAN
#define OPSDECK_UNDER_ASAN 0
#endif

inline long peakKilobytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

class GeneratedReport : public QIODevice
{
public:
    explicit GeneratedReport(qint64 cases, int outputBytes = 120) : m_cases(cases), m_output(outputBytes, 'o')
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    qint64 produced() const { return m_produced; }

protected:
    qint64 readData(char *data, qint64 max) override
    {
        while (m_pending.size() < max && m_next <= m_cases + 1) {
            if (m_next == 0)
                m_pending += "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"generated\">\n";
            else if (m_next <= m_cases)
                m_pending +=
                    QStringLiteral("<testcase classname=\"gen.Case%1\" name=\"test_%1\" time=\"0.001\">"
                                   "%2<system-out>")
                        .arg(m_next)
                        .arg(m_next % 10 == 0 ? QStringLiteral("<failure message=\"no\">trace</failure>")
                                              : QString())
                        .toUtf8() +
                    m_output + "</system-out></testcase>\n";
            else
                m_pending += "</testsuite></testsuites>\n";
            ++m_next;
        }
        const qint64 n = qMin<qint64>(max, m_pending.size());
        memcpy(data, m_pending.constData(), size_t(n));
        m_pending.remove(0, n);
        m_produced += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_cases;
    QByteArray m_output;
    qint64 m_next = 0;
    QByteArray m_pending;
    qint64 m_produced = 0;
};
