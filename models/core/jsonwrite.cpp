#include "models/core/jsonwrite.h"

namespace opsdeck::JsonWrite {

namespace {
char hexDigit(uint v)
{
    return char(v < 10 ? '0' + v : 'a' + v - 10);
}

void appendEscape(QByteArray &out, char16_t u)
{
    const char escape[6] = {'\\',
                            'u',
                            hexDigit((u >> 12) & 0xf),
                            hexDigit((u >> 8) & 0xf),
                            hexDigit((u >> 4) & 0xf),
                            hexDigit(u & 0xf)};
    out.append(escape, 6);
}
// An ASCII character as JSON writes it inside a string: itself, or its escape.
void appendAscii(QByteArray &out, char16_t u)
{
    if (u >= 0x20 && u != '"' && u != '\\') {
        out.append(char(u));
        return;
    }
    const char *named = nullptr;
    switch (u) {
    case '"':
        named = "\\\"";
        break;
    case '\\':
        named = "\\\\";
        break;
    case '\b':
        named = "\\b";
        break;
    case '\f':
        named = "\\f";
        break;
    case '\n':
        named = "\\n";
        break;
    case '\r':
        named = "\\r";
        break;
    case '\t':
        named = "\\t";
        break;
    default:
        return appendEscape(out, u);
    }
    out.append(named, 2);
}
} // namespace

void appendString(QByteArray &out, QStringView s)
{
    out.reserve(out.size() + s.size() + 2);
    out.append('"');
    const char16_t *p = s.utf16();
    const char16_t *const end = p + s.size();
    while (p != end) {
        const char16_t u = *p++;
        if (u < 0x80) {
            appendAscii(out, u);
        } else if (u < 0x800) {
            out.append(char(0xc0 | (u >> 6)));
            out.append(char(0x80 | (u & 0x3f)));
        } else if (u >= 0xd800 && u <= 0xdfff) {
            // A pair becomes one four-byte sequence; a lone surrogate is written escaped.
            if (u <= 0xdbff && p != end && *p >= 0xdc00 && *p <= 0xdfff) {
                const char32_t c = 0x10000 + ((char32_t(u) - 0xd800) << 10) + (char32_t(*p++) - 0xdc00);
                out.append(char(0xf0 | (c >> 18)));
                out.append(char(0x80 | ((c >> 12) & 0x3f)));
                out.append(char(0x80 | ((c >> 6) & 0x3f)));
                out.append(char(0x80 | (c & 0x3f)));
            } else {
                appendEscape(out, u);
            }
        } else {
            out.append(char(0xe0 | (u >> 12)));
            out.append(char(0x80 | ((u >> 6) & 0x3f)));
            out.append(char(0x80 | (u & 0x3f)));
        }
    }
    out.append('"');
}

void appendUtf8String(QByteArray &out, QByteArrayView utf8)
{
    for (char c : utf8)
        if (uchar(c) >= 0x80) // text beyond ASCII: the exact escaper decides
            return appendString(out, QString::fromUtf8(utf8));
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    for (char c : utf8)
        appendAscii(out, char16_t(uchar(c)));
    out.append('"');
}

QByteArray stringArray(const QStringList &values)
{
    QByteArray out;
    out.reserve(2 + values.size() * 16);
    out.append('[');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out.append(',');
        appendString(out, values.at(i));
    }
    out.append(']');
    return out;
}

} // namespace opsdeck::JsonWrite
