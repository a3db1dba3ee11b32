#include "models/testruns/junitreader.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QTimeZone>
#include <QXmlStreamReader>

#include <algorithm>
#include <cmath>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::JUnitReader)
};

constexpr qint64 chunkSize = 64 * 1024;

bool forbidden(char16_t c)
{
    return (c < 0x20 && c != u'\t' && c != u'\n' && c != u'\r') || c == 0xFFFE || c == 0xFFFF;
}

QString escaped(char16_t c)
{
    return QStringLiteral("\\x") +
           QString::number(uint(c), 16).toUpper().rightJustified(c > 0xFF ? 4 : 2, u'0');
}

// Feeds the XML reader chunk by chunk. UTF-16 input (by its byte order mark or its first
// character) is decoded here; every other encoding is ASCII-compatible, so the bytes XML 1.0
// forbids are found and shown escaped without decoding.
class Feed
{
public:
    explicit Feed(QIODevice &in) : m_in(in) {}

    // False at the end of the input (or on a read error: see readError()).
    bool next(QXmlStreamReader &xml)
    {
        QByteArray chunk(chunkSize, Qt::Uninitialized);
        const qint64 got = m_in.read(chunk.data(), chunkSize);
        if (got < 0) {
            m_readError = m_in.errorString();
            return false;
        }
        if (got == 0)
            return false;
        chunk.truncate(got);
        m_bytes += got;
        if (!m_sniffed) {
            m_sniffed = true;
            const auto at = [&chunk](int i) {
                return i < chunk.size() ? uchar(chunk.at(i)) : 0x100;
            };
            if ((at(0) == 0xFF && at(1) == 0xFE) || (at(0) == '<' && at(1) == 0))
                m_utf16 = QStringDecoder(QStringDecoder::Utf16LE);
            else if ((at(0) == 0xFE && at(1) == 0xFF) || (at(0) == 0 && at(1) == '<'))
                m_utf16 = QStringDecoder(QStringDecoder::Utf16BE);
        }
        if (m_utf16.isValid()) {
            QString text = m_utf16.decode(chunk);
            QString clean;
            clean.reserve(text.size());
            for (QChar c : std::as_const(text)) {
                if (forbidden(c.unicode())) {
                    clean += escaped(c.unicode());
                    ++m_escaped;
                } else {
                    clean += c;
                }
            }
            xml.addData(clean);
            return true;
        }
        if (std::none_of(chunk.cbegin(), chunk.cend(), [](char c) { return forbidden(uchar(c)); })) {
            xml.addData(chunk);
            return true;
        }
        QByteArray clean;
        clean.reserve(chunk.size() + 64);
        for (char c : std::as_const(chunk)) {
            if (forbidden(uchar(c))) {
                clean += escaped(uchar(c)).toLatin1();
                ++m_escaped;
            } else {
                clean += c;
            }
        }
        xml.addData(clean);
        return true;
    }

    qint64 bytes() const { return m_bytes; }
    int escapedCount() const { return m_escaped; }
    QString readError() const { return m_readError; }

private:
    QIODevice &m_in;
    bool m_sniffed = false;
    QStringDecoder m_utf16;
    qint64 m_bytes = 0;
    int m_escaped = 0;
    QString m_readError;
};

// "2026-11-25T10:00:00", with optional fractions of any length and a zone (Z, +01:00, +0100);
// without a zone the time is taken as UTC. A space may stand for the T.
QDateTime timestampOf(const QString &s)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?$)"));
    const QRegularExpressionMatch m = re.match(s.trimmed());
    if (!m.hasMatch())
        return {};
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const int ms = m.captured(7).isEmpty() ? 0 : (m.captured(7) + QStringLiteral("00")).left(3).toInt();
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), ms);
    if (!date.isValid() || !time.isValid())
        return {};
    int offset = 0;
    const QString zone = m.captured(8);
    if (!zone.isEmpty() && zone != QLatin1String("Z")) {
        const QString digits = QString(zone.mid(1)).remove(QLatin1Char(':'));
        const int hours = digits.left(2).toInt();
        const int minutes = digits.mid(2, 2).toInt();
        if (hours > 18 || minutes > 59)
            return {};
        offset = (zone.at(0) == QLatin1Char('-') ? -1 : 1) * (hours * 3600 + minutes * 60);
    }
    return QDateTime(date, time, QTimeZone::utc()).addSecs(-offset);
}

class Reader
{
public:
    Reader(const std::function<void(JUnitCase &&)> &onCase, const JUnitLimits &limits)
        : m_onCase(onCase), m_limits(limits)
    {
    }

    Result<JUnitReport> read(QIODevice &in);

private:
    enum class Text { None, Outcome, CaseOut, CaseErr, SuiteOut, SuiteErr, Property };

    void note(const QString &text)
    {
        if (m_report.notes.size() < m_limits.notes && !m_report.notes.contains(text))
            m_report.notes << text;
    }
    double seconds(const QXmlStreamAttributes &a, const QString &what)
    {
        if (!a.hasAttribute(QLatin1String("time")))
            return 0;
        QString text = a.value(QLatin1String("time")).toString().trimmed();
        text.remove(QLatin1Char(',')); // "1,234.5": Surefire wrote the locale's grouping once
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < 0 || v > 1e9) {
            note(Tr::tr("The time \"%1\" of %2 is not a duration; it counts as 0.").arg(text.left(40), what));
            return 0;
        }
        return v;
    }
    void append(QString &target, QStringView text)
    {
        const qsizetype room = m_limits.textPerField - target.size();
        if (room <= 0)
            return;
        if (text.size() > room) {
            target += text.left(room);
            note(Tr::tr("Long outputs and messages were cut to %1 characters each.")
                     .arg(m_limits.textPerField));
            return;
        }
        target += text;
    }
    void startElement(const QXmlStreamReader &xml);
    void endElement(QStringView name);
    Error problem(const char *code, const QXmlStreamReader &xml, const QString &what) const
    {
        return makeError(
            code, Tr::tr("line %1, column %2: %3").arg(xml.lineNumber()).arg(xml.columnNumber()).arg(what));
    }

    const std::function<void(JUnitCase &&)> &m_onCase;
    const JUnitLimits m_limits;
    JUnitReport m_report;
    QStringList m_stack;     // element names from the root
    QList<int> m_openSuites; // indexes into m_report.suites
    bool m_inCase = false;
    bool m_suiteError = false; // the case in hand is a suite's own <error>
    JUnitCase m_case;
    bool m_error = false, m_failure = false, m_skipped = false, m_flakyElement = false;
    QString m_status; // CTest's status attribute
    Text m_text = Text::None;
    QString *m_textTarget = nullptr;
    QString m_propertyName;
    JUnitProperties *m_propertyTarget = nullptr;
    QString m_propertyText;
    std::optional<int> m_declaredRootTests;
    double m_rootSeconds = -1;
    int m_declaredSuiteTests = 0;
    bool m_everySuiteDeclares = true;
    double m_suiteSeconds = 0;
    bool m_everySuiteTimed = true;
    double m_caseSeconds = 0;
    bool m_rootClosed = false;
};

void Reader::startElement(const QXmlStreamReader &xml)
{
    const QStringView name = xml.name();
    const QXmlStreamAttributes a = xml.attributes();
    const QStringView parent = m_stack.isEmpty() ? QStringView() : QStringView(m_stack.last());
    m_stack << name.toString();
    if (name == QLatin1String("testsuite") && !m_inCase) {
        JUnitSuite s;
        s.name = a.value(QLatin1String("name")).toString();
        // Ant's aggregated form gives the package apart; the name read is the whole one.
        const QString package = a.value(QLatin1String("package")).toString();
        if (!package.isEmpty() && !s.name.startsWith(package + QLatin1Char('.')))
            s.name = package + QLatin1Char('.') + s.name;
        s.hostname = a.value(QLatin1String("hostname")).toString();
        const QString stamp = a.value(QLatin1String("timestamp")).toString();
        s.timestamp = timestampOf(stamp);
        if (!stamp.isEmpty() && !s.timestamp.isValid())
            note(Tr::tr("The timestamp \"%1\" of suite %2 could not be read.")
                     .arg(stamp.left(40), s.name.left(200)));
        if (s.timestamp.isValid() && !m_report.timestamp.isValid())
            m_report.timestamp = s.timestamp;
        s.seconds = seconds(a, Tr::tr("suite %1").arg(s.name.left(200)));
        s.depth = int(m_openSuites.size());
        if (s.depth == 0) {
            bool ok = false;
            const int declared = a.value(QLatin1String("tests")).toInt(&ok);
            if (ok)
                m_declaredSuiteTests += declared;
            else
                m_everySuiteDeclares = false;
            if (a.hasAttribute(QLatin1String("time")))
                m_suiteSeconds += s.seconds;
            else
                m_everySuiteTimed = false;
        }
        // Output or a property being gathered for a suite ends where another suite begins: the
        // list of suites grows and moves its items (fuzz_junit_xml found a suite inside a property).
        if (m_text == Text::SuiteOut || m_text == Text::SuiteErr) {
            m_text = Text::None;
            m_textTarget = nullptr;
        }
        if (m_propertyTarget && m_propertyTarget != &m_case.properties) {
            m_propertyTarget = nullptr;
            m_text = Text::None;
            m_textTarget = nullptr;
        }
        m_report.suites << s;
        m_openSuites << int(m_report.suites.size() - 1);
        return;
    }
    if (name == QLatin1String("testsuites") && m_stack.size() == 1) {
        m_report.name = a.value(QLatin1String("name")).toString();
        bool ok = false;
        const int declared = a.value(QLatin1String("tests")).toInt(&ok);
        if (ok)
            m_declaredRootTests = declared;
        if (a.hasAttribute(QLatin1String("time")))
            m_rootSeconds = seconds(a, Tr::tr("the report"));
        const QDateTime stamp = timestampOf(a.value(QLatin1String("timestamp")).toString());
        if (stamp.isValid())
            m_report.timestamp = stamp;
        return;
    }
    if (name == QLatin1String("testcase") && !m_inCase) {
        m_inCase = true;
        m_case = JUnitCase();
        m_case.suite = m_openSuites.isEmpty() ? QString() : m_report.suites.at(m_openSuites.last()).name;
        m_case.classname = a.value(QLatin1String("classname")).toString();
        m_case.name = a.value(QLatin1String("name")).toString();
        m_case.file = a.value(QLatin1String("file")).toString();
        m_case.line = qMax(0, a.value(QLatin1String("line")).toInt());
        m_case.seconds = seconds(a, Tr::tr("case %1").arg(m_case.name.left(200)));
        m_status = a.value(QLatin1String("status")).toString().toLower();
        m_error = m_failure = m_skipped = m_flakyElement = false;
        return;
    }
    if (!m_inCase && !m_openSuites.isEmpty() && parent == QLatin1String("testsuite") &&
        name == QLatin1String("error")) {
        // An error of the suite itself (its class failed to load): a case named <init>, as Jenkins reads it.
        m_inCase = true;
        m_suiteError = true;
        m_case = JUnitCase();
        m_case.suite = m_report.suites.at(m_openSuites.last()).name;
        m_case.classname = m_case.suite;
        m_case.name = QStringLiteral("<init>");
        m_status.clear();
        m_error = true;
        m_failure = m_skipped = m_flakyElement = false;
        m_case.message = a.value(QLatin1String("message")).toString().left(m_limits.textPerField);
        m_case.type = a.value(QLatin1String("type")).toString().left(m_limits.textPerField);
        m_text = Text::Outcome;
        m_textTarget = &m_case.details;
        return;
    }
    if (m_inCase && parent == QLatin1String("testcase")) {
        const bool error = name == QLatin1String("error");
        const bool failure = name == QLatin1String("failure");
        const bool skipped = name == QLatin1String("skipped") || name == QLatin1String("ignored");
        if (error || failure || skipped) {
            // The deciding element: an error over a failure over a skip.
            const int rank = error ? 3 : failure ? 2 : 1;
            const int held = m_error ? 3 : m_failure ? 2 : m_skipped ? 1 : 0;
            m_error |= error;
            m_failure |= failure;
            m_skipped |= skipped;
            if (rank > held) {
                m_case.message = a.value(QLatin1String("message")).toString().left(m_limits.textPerField);
                m_case.type = a.value(QLatin1String("type")).toString().left(m_limits.textPerField);
                m_case.details.clear();
                m_text = Text::Outcome;
                m_textTarget = &m_case.details;
            }
            return;
        }
        if (name == QLatin1String("flakyFailure") || name == QLatin1String("flakyError")) {
            m_flakyElement = true;
            ++m_case.reruns;
            return;
        }
        if (name == QLatin1String("rerunFailure") || name == QLatin1String("rerunError")) {
            ++m_case.reruns;
            return;
        }
        if (name == QLatin1String("system-out") || name == QLatin1String("system-err")) {
            m_text = name == QLatin1String("system-out") ? Text::CaseOut : Text::CaseErr;
            m_textTarget = name == QLatin1String("system-out") ? &m_case.systemOut : &m_case.systemErr;
            return;
        }
    }
    if (!m_inCase && !m_openSuites.isEmpty() && parent == QLatin1String("testsuite") &&
        (name == QLatin1String("system-out") || name == QLatin1String("system-err"))) {
        JUnitSuite &s = m_report.suites[m_openSuites.last()];
        m_text = name == QLatin1String("system-out") ? Text::SuiteOut : Text::SuiteErr;
        m_textTarget = name == QLatin1String("system-out") ? &s.systemOut : &s.systemErr;
        return;
    }
    if (name == QLatin1String("property") && m_stack.size() >= 3 &&
        m_stack.at(m_stack.size() - 2) == QLatin1String("properties")) {
        const QString owner = m_stack.at(m_stack.size() - 3);
        if (owner == QLatin1String("testcase") && m_inCase)
            m_propertyTarget = &m_case.properties;
        else if (owner == QLatin1String("testsuite") && !m_inCase && !m_openSuites.isEmpty())
            m_propertyTarget = &m_report.suites[m_openSuites.last()].properties;
        else
            return;
        m_propertyName = a.value(QLatin1String("name")).toString().left(1024);
        m_propertyText = a.value(QLatin1String("value")).toString().left(m_limits.textPerField);
        m_text = a.hasAttribute(QLatin1String("value")) ? Text::None : Text::Property;
        m_textTarget = a.hasAttribute(QLatin1String("value")) ? nullptr : &m_propertyText;
    }
}

void Reader::endElement(QStringView name)
{
    if (!m_stack.isEmpty())
        m_stack.removeLast();
    m_rootClosed = m_stack.isEmpty();
    if (name == QLatin1String("property") && m_propertyTarget) {
        m_propertyTarget->append({m_propertyName, m_propertyText});
        m_propertyTarget = nullptr;
        m_text = Text::None;
        m_textTarget = nullptr;
        return;
    }
    // Text is gathered from the element that started it to its own end, nested markup and all.
    if (m_textTarget && m_text != Text::None && m_text != Text::Property) {
        const bool ends =
            (m_text == Text::Outcome &&
             (name == QLatin1String("error") || name == QLatin1String("failure") ||
              name == QLatin1String("skipped") || name == QLatin1String("ignored"))) ||
            ((m_text == Text::CaseOut || m_text == Text::SuiteOut) && name == QLatin1String("system-out")) ||
            ((m_text == Text::CaseErr || m_text == Text::SuiteErr) && name == QLatin1String("system-err"));
        if (ends) {
            m_text = Text::None;
            m_textTarget = nullptr;
        }
    }
    if ((name == QLatin1String("testcase") && m_inCase && !m_suiteError) ||
        (name == QLatin1String("error") && m_suiteError)) {
        m_inCase = false;
        m_suiteError = false;
        // Without a message attribute, the first line of the text says it (as Jenkins reads a skip).
        if (m_case.message.isEmpty() && (m_error || m_failure || m_skipped)) {
            const QStringList lines = m_case.details.split(QLatin1Char('\n'));
            const auto first = std::find_if(lines.cbegin(), lines.cend(),
                                            [](const QString &l) { return !l.trimmed().isEmpty(); });
            if (first != lines.cend())
                m_case.message = first->trimmed().left(500);
        }
        JUnitTotals &t = m_report.totals;
        ++t.tests;
        const bool statusSkipped = m_status == QLatin1String("notrun") ||
                                   m_status == QLatin1String("disabled") ||
                                   m_status == QLatin1String("skipped");
        if (m_error) {
            m_case.outcome = CaseOutcome::Errored;
            ++t.errors;
        } else if (m_failure) {
            m_case.outcome = CaseOutcome::Failed;
            ++t.failed;
        } else if (m_skipped || statusSkipped) {
            m_case.outcome = CaseOutcome::Skipped;
            if (!m_skipped)
                m_case.message = m_status;
            ++t.skipped;
        } else {
            m_case.outcome = CaseOutcome::Passed;
            m_case.flaky = m_flakyElement;
            ++t.passed;
            t.flaky += m_case.flaky ? 1 : 0;
        }
        m_caseSeconds += m_case.seconds;
        if (!m_openSuites.isEmpty())
            ++m_report.suites[m_openSuites.last()].cases;
        m_onCase(std::move(m_case));
        m_case = JUnitCase();
        return;
    }
    if (name == QLatin1String("testsuite") && !m_inCase && !m_openSuites.isEmpty())
        m_openSuites.removeLast();
}

Result<JUnitReport> Reader::read(QIODevice &in)
{
    QXmlStreamReader xml;
    xml.setNamespaceProcessing(false);
    Feed feed(in);
    bool rootSeen = false;
    feed.next(xml);
    while (!m_rootClosed) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (xml.hasError()) {
            if (xml.error() == QXmlStreamReader::PrematureEndOfDocumentError) {
                if (feed.next(xml))
                    continue;
                if (!feed.readError().isEmpty())
                    return makeError("junit.read",
                                     Tr::tr("The report could not be read: %1").arg(feed.readError()));
                if (!rootSeen)
                    return makeError("junit.notjunit",
                                     feed.bytes() == 0 ? Tr::tr("The file is empty: not a JUnit XML report.")
                                                       : Tr::tr("This is not a JUnit XML report: it ends "
                                                                "before any element."));
                return problem("junit.truncated", xml,
                               Tr::tr("the report ends before its elements are closed (<%1> is still open); "
                                      "the file is truncated")
                                   .arg(m_stack.isEmpty() ? QString() : m_stack.last().left(80)));
            }
            if (!rootSeen)
                return problem(
                    "junit.notjunit", xml,
                    Tr::tr("this is not a JUnit XML report: it is not XML (%1)").arg(xml.errorString()));
            return problem("junit.malformed", xml, Tr::tr("malformed XML: %1").arg(xml.errorString()));
        }
        switch (token) {
        case QXmlStreamReader::DTD:
            return problem("junit.doctype", xml,
                           Tr::tr("the report declares a DOCTYPE or entities; such reports are refused, and "
                                  "nothing in them is resolved"));
        case QXmlStreamReader::EntityReference:
            return problem(
                "junit.doctype", xml,
                Tr::tr("the report refers to the entity &%1;, which is refused").arg(xml.name().left(80)));
        case QXmlStreamReader::StartElement:
            if (!rootSeen) {
                rootSeen = true;
                if (xml.name() != QLatin1String("testsuites") && xml.name() != QLatin1String("testsuite"))
                    return problem("junit.notjunit", xml,
                                   Tr::tr("this is not a JUnit XML report: its root element is <%1>, not "
                                          "<testsuites> or <testsuite>")
                                       .arg(xml.name().left(80)));
            }
            startElement(xml);
            break;
        case QXmlStreamReader::EndElement:
            endElement(xml.name());
            break;
        case QXmlStreamReader::Characters:
            if (m_textTarget)
                append(*m_textTarget, xml.text());
            break;
        case QXmlStreamReader::EndDocument:
            m_rootClosed = true;
            break;
        default:
            break;
        }
    }
    if (feed.escapedCount() > 0)
        note(Tr::tr("Characters that XML 1.0 forbids (%1 control codes, such as terminal colours) are shown "
                    "escaped as \\xNN.")
                 .arg(feed.escapedCount()));
    JUnitTotals &t = m_report.totals;
    const std::optional<int> declared = m_declaredRootTests ? m_declaredRootTests
                                        : m_everySuiteDeclares && !m_report.suites.isEmpty()
                                            ? std::optional<int>(m_declaredSuiteTests)
                                            : std::nullopt;
    if (declared && *declared != t.tests)
        note(Tr::tr("The report claims %1 tests; the totals count the cases read: %2.")
                 .arg(*declared)
                 .arg(t.tests));
    t.seconds = m_rootSeconds >= 0                                ? m_rootSeconds
                : m_everySuiteTimed && !m_report.suites.isEmpty() ? m_suiteSeconds
                                                                  : m_caseSeconds;
    return m_report;
}
} // namespace

Result<JUnitReport> readJUnit(QIODevice &in, const std::function<void(JUnitCase &&)> &onCase,
                              const JUnitLimits &limits)
{
    Reader reader(onCase, limits);
    return reader.read(in);
}

Result<JUnitReport> readJUnit(const QByteArray &xml, const std::function<void(JUnitCase &&)> &onCase,
                              const JUnitLimits &limits)
{
    QByteArray copy = xml;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    return readJUnit(buffer, onCase, limits);
}

QString caseOutcomeId(CaseOutcome o)
{
    switch (o) {
    case CaseOutcome::Passed:
        return QStringLiteral("passed");
    case CaseOutcome::Failed:
        return QStringLiteral("failed");
    case CaseOutcome::Errored:
        return QStringLiteral("errored");
    case CaseOutcome::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

} // namespace opsdeck
