// '*' matches any run of characters; everything else matches itself. No other metacharacters and
// no regular expressions: label policies, grant scopes and allowlist tag patterns are checked by
// the thousand, and what people write there should mean only what it says.
#pragma once

#include <QStringView>

namespace opsdeck {

inline bool globMatch(QStringView pattern, QStringView value)
{
    qsizetype p = 0, v = 0, star = -1, resume = 0;
    while (v < value.size()) {
        if (p < pattern.size() && pattern.at(p) == QLatin1Char('*')) {
            star = p++;
            resume = v;
        } else if (p < pattern.size() && pattern.at(p) == value.at(v)) {
            ++p;
            ++v;
        } else if (star >= 0) {
            p = star + 1;
            v = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern.at(p) == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

} // namespace opsdeck
