#include "models/testruns/golden.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GoldenCase)
};

constexpr int maxShown = 200;

QString shown(const QJsonValue &v)
{
    if (v.isUndefined())
        return Tr::tr("nothing");
    QByteArray text = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    text = text.mid(1, text.size() - 2);
    const QString s = QString::fromUtf8(text);
    return s.size() > maxShown ? s.left(maxShown) + QStringLiteral("…") : s;
}

QString escapePointer(const QString &key)
{
    return QString(key)
        .replace(QLatin1Char('~'), QStringLiteral("~0"))
        .replace(QLatin1Char('/'), QStringLiteral("~1"));
}

bool ignored(const QString &pointer, const QStringList &patterns)
{
    const QStringList at = pointer.split(QLatin1Char('/')).mid(1);
    for (const QString &pattern : patterns) {
        if (pattern.isEmpty())
            return true; // the whole body
        const QStringList p = pattern.split(QLatin1Char('/')).mid(1);
        if (p.size() > at.size())
            continue;
        bool match = true;
        for (qsizetype i = 0; i < p.size() && match; ++i)
            match = p.at(i) == QLatin1String("*") || p.at(i) == at.at(i);
        if (match)
            return true;
    }
    return false;
}

// A matcher's verdict on a value, or nullopt when the expected string is no matcher.
std::optional<bool> matches(const QString &expected, const QJsonValue &actual)
{
    if (!expected.startsWith(QLatin1Char('$')) || expected.startsWith(QLatin1String("$$")))
        return std::nullopt;
    if (expected == QLatin1String("$any"))
        return !actual.isUndefined();
    if (expected == QLatin1String("$any-string"))
        return actual.isString();
    if (expected == QLatin1String("$any-number"))
        return actual.isDouble();
    if (expected.startsWith(QLatin1String("$regex:"))) {
        const QRegularExpression re(QRegularExpression::anchoredPattern(expected.mid(7)));
        return actual.isString() && re.match(actual.toString()).hasMatch();
    }
    return std::nullopt;
}

QString literal(const QString &expected)
{
    return expected.startsWith(QLatin1String("$$")) ? expected.mid(1) : expected;
}

// Matchers in an expected value, checked when the case is read: an unknown one or a bad pattern.
QString badMatcher(const QJsonValue &v, const QString &pointer)
{
    if (v.isString()) {
        const QString s = v.toString();
        if (!s.startsWith(QLatin1Char('$')) || s.startsWith(QLatin1String("$$")))
            return {};
        if (s == QLatin1String("$any") || s == QLatin1String("$any-string") ||
            s == QLatin1String("$any-number"))
            return {};
        if (s.startsWith(QLatin1String("$regex:"))) {
            const QRegularExpression re(s.mid(7));
            return re.isValid()
                       ? QString()
                       : Tr::tr("the pattern at %1 is not a regular expression (%2)")
                             .arg(pointer.isEmpty() ? QStringLiteral("/") : pointer, re.errorString());
        }
        return Tr::tr("%1 at %2 is no matcher ($any, $any-string, $any-number, $regex:…); write $%1 for the "
                      "literal text")
            .arg(s.left(40), pointer.isEmpty() ? QStringLiteral("/") : pointer);
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (QString e = badMatcher(it.value(), pointer + QLatin1Char('/') + escapePointer(it.key()));
                !e.isEmpty())
                return e;
    }
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            if (QString e = badMatcher(a.at(i), pointer + QLatin1Char('/') + QString::number(i));
                !e.isEmpty())
                return e;
    }
    return {};
}

void compare(const QJsonValue &expected, const QJsonValue &actual, const QString &pointer,
             const QStringList &ignore, QList<GoldenMismatch> &out)
{
    if (ignored(pointer, ignore) || out.size() >= 200)
        return;
    const QString where = QStringLiteral("body ") + (pointer.isEmpty() ? QStringLiteral("/") : pointer);
    if (expected.isString()) {
        if (const auto verdict = matches(expected.toString(), actual)) {
            if (!*verdict)
                out << GoldenMismatch{where, expected.toString(), shown(actual)};
            return;
        }
        if (!actual.isString() || actual.toString() != literal(expected.toString()))
            out << GoldenMismatch{where, shown(QJsonValue(literal(expected.toString()))), shown(actual)};
        return;
    }
    if (expected.type() != actual.type()) {
        out << GoldenMismatch{where, shown(expected), shown(actual)};
        return;
    }
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject();
        const QJsonObject a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            const QString child = pointer + QLatin1Char('/') + escapePointer(it.key());
            if (!a.contains(it.key())) {
                if (!ignored(child, ignore))
                    out << GoldenMismatch{QStringLiteral("body ") + child, shown(it.value()),
                                          Tr::tr("missing")};
                continue;
            }
            compare(it.value(), a.value(it.key()), child, ignore, out);
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            const QString child = pointer + QLatin1Char('/') + escapePointer(it.key());
            if (!e.contains(it.key()) && !ignored(child, ignore))
                out << GoldenMismatch{QStringLiteral("body ") + child, Tr::tr("not there"),
                                      shown(it.value())};
        }
        return;
    }
    if (expected.isArray()) {
        const QJsonArray e = expected.toArray();
        const QJsonArray a = actual.toArray();
        for (qsizetype i = 0; i < qMax(e.size(), a.size()); ++i) {
            const QString child = pointer + QLatin1Char('/') + QString::number(i);
            if (i >= a.size()) {
                if (!ignored(child, ignore))
                    out << GoldenMismatch{QStringLiteral("body ") + child, shown(e.at(i)), Tr::tr("missing")};
            } else if (i >= e.size()) {
                if (!ignored(child, ignore))
                    out << GoldenMismatch{QStringLiteral("body ") + child, Tr::tr("not there"),
                                          shown(a.at(i))};
            } else {
                compare(e.at(i), a.at(i), child, ignore, out);
            }
        }
        return;
    }
    if (expected != actual)
        out << GoldenMismatch{where, shown(expected), shown(actual)};
}

Result<GoldenHeaders> headersOf(const QJsonValue &v, const QString &what)
{
    GoldenHeaders out;
    if (v.isUndefined())
        return out;
    if (!v.isObject())
        return makeError("golden.case", Tr::tr("%1 must be an object of names and texts").arg(what));
    static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$"));
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!token.match(it.key()).hasMatch())
            return makeError("golden.case",
                             Tr::tr("%1: \"%2\" is not a header name").arg(what, it.key().left(80)));
        if (!it.value().isString())
            return makeError("golden.case", Tr::tr("%1: the value of %2 must be text").arg(what, it.key()));
        const QString value = it.value().toString();
        if (value.contains(QLatin1Char('\r')) || value.contains(QLatin1Char('\n')) || value.size() > 8192)
            return makeError(
                "golden.case",
                Tr::tr("%1: the value of %2 holds a line break or is too long").arg(what, it.key()));
        out << std::pair{it.key(), value};
    }
    return out;
}
} // namespace

Result<GoldenCase> parseGoldenCase(const QByteArray &json, const QString &file)
{
    const auto fail = [&file](const QString &what) {
        return makeError("golden.case", QStringLiteral("%1: %2").arg(file, what));
    };
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(Tr::tr("not JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return fail(Tr::tr("a case is a JSON object with \"request\" and \"expect\""));
    const QJsonObject o = doc.object();
    GoldenCase c;
    c.file = file;
    c.name = o.value(QLatin1String("name")).toString(file).left(500);
    const QJsonObject request = o.value(QLatin1String("request")).toObject();
    const QJsonObject expect = o.value(QLatin1String("expect")).toObject();
    if (request.isEmpty() || expect.isEmpty())
        return fail(Tr::tr("a case needs a \"request\" and an \"expect\" object"));
    static const QStringList methods = {
        QStringLiteral("GET"),   QStringLiteral("HEAD"),   QStringLiteral("POST"),   QStringLiteral("PUT"),
        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("OPTIONS")};
    c.request.method = request.value(QLatin1String("method")).toString().toUpper();
    if (!methods.contains(c.request.method))
        return fail(Tr::tr("the method \"%1\" is not one of %2")
                        .arg(request.value(QLatin1String("method")).toString().left(40),
                             methods.join(QStringLiteral(", "))));
    c.request.path = request.value(QLatin1String("path")).toString();
    static const QRegularExpression pathChars(QStringLiteral("^/[^\\s\\x00-\\x1f\\x7f#]*$"));
    if (!pathChars.match(c.request.path).hasMatch() || c.request.path.size() > 8192)
        return fail(Tr::tr("the path \"%1\" must start with / and hold no spaces, control characters or #")
                        .arg(c.request.path.left(80)));
    auto requestHeaders = headersOf(request.value(QLatin1String("headers")), Tr::tr("the request's headers"));
    if (!requestHeaders)
        return fail(requestHeaders.message());
    c.request.headers = requestHeaders.value();
    c.request.hasBody = request.contains(QLatin1String("body"));
    c.request.body = request.value(QLatin1String("body"));

    const QJsonValue status = expect.value(QLatin1String("status"));
    if (!status.isDouble() || status.toDouble() != double(status.toInt()) || status.toInt() < 100 ||
        status.toInt() > 599)
        return fail(Tr::tr("the expected status must be a whole number from 100 to 599"));
    c.expect.status = status.toInt();
    auto expectHeaders = headersOf(expect.value(QLatin1String("headers")), Tr::tr("the expected headers"));
    if (!expectHeaders)
        return fail(expectHeaders.message());
    c.expect.headers = expectHeaders.value();
    for (const auto &[name, value] : std::as_const(c.expect.headers))
        if (const QString bad = badMatcher(QJsonValue(value), QStringLiteral("header ") + name);
            !bad.isEmpty())
            return fail(bad);
    c.expect.hasBody = expect.contains(QLatin1String("body"));
    c.expect.body = expect.value(QLatin1String("body"));
    if (const QString bad = badMatcher(c.expect.body, QString()); !bad.isEmpty())
        return fail(Tr::tr("the expected body: %1").arg(bad));
    const QJsonValue ignore = expect.value(QLatin1String("ignore"));
    if (!ignore.isUndefined() && !ignore.isArray())
        return fail(Tr::tr("\"ignore\" must be a list of JSON Pointers"));
    for (const QJsonValue &p : ignore.toArray()) {
        if (!p.isString() || (!p.toString().isEmpty() && !p.toString().startsWith(QLatin1Char('/'))))
            return fail(
                Tr::tr("\"%1\" in \"ignore\" is not a JSON Pointer (it starts with /)").arg(shown(p)));
        c.expect.ignore << p.toString();
    }
    return c;
}

QList<GoldenMismatch> compareGoldenResponse(const GoldenExpectation &expect, int status,
                                            const GoldenHeaders &headers, const QByteArray &body)
{
    QList<GoldenMismatch> out;
    if (status != expect.status)
        out << GoldenMismatch{QStringLiteral("status"), QString::number(expect.status),
                              QString::number(status)};
    for (const auto &header : expect.headers) {
        const QString &name = header.first;
        const QString &value = header.second;
        const auto found = std::find_if(headers.cbegin(), headers.cend(), [&name](const auto &h) {
            return h.first.compare(name, Qt::CaseInsensitive) == 0;
        });
        const QString where = QStringLiteral("header ") + name;
        if (found == headers.cend()) {
            out << GoldenMismatch{where, value, Tr::tr("missing")};
            continue;
        }
        const auto verdict = matches(value, QJsonValue(found->second));
        if (verdict ? !*verdict : found->second != literal(value))
            out << GoldenMismatch{where, value, found->second};
    }
    if (!expect.hasBody)
        return out;
    if (body.trimmed().isEmpty()) {
        out << GoldenMismatch{QStringLiteral("body"), shown(expect.body), Tr::tr("an empty body")};
        return out;
    }
    QJsonParseError error{};
    const QJsonDocument wrapped = QJsonDocument::fromJson("[" + body + "]", &error);
    if (error.error != QJsonParseError::NoError || wrapped.array().size() != 1) {
        out << GoldenMismatch{
            QStringLiteral("body"), shown(expect.body),
            Tr::tr("a body that is not JSON: %1").arg(QString::fromUtf8(body.left(maxShown)))};
        return out;
    }
    compare(expect.body, wrapped.array().first(), QString(), expect.ignore, out);
    return out;
}

QString goldenDiffText(const QList<GoldenMismatch> &mismatches)
{
    QStringList lines;
    for (const GoldenMismatch &m : mismatches)
        lines << Tr::tr("%1: expected %2, got %3").arg(m.where, m.expected, m.actual);
    return lines.join(QLatin1Char('\n'));
}

} // namespace opsdeck
