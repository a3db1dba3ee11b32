#include "models/core/languages.h"

namespace opsdeck {

const QList<Language> &languages()
{
    // Native names are not translated: a person looks for their own language's name.
    static const QList<Language> all{{QStringLiteral("en"), QStringLiteral("English")},
                                     {QStringLiteral("de"), QStringLiteral("Deutsch")}};
    return all;
}

bool isLanguage(const QString &code)
{
    return !nativeLanguageName(code).isEmpty();
}

QString nativeLanguageName(const QString &code)
{
    for (const Language &l : languages())
        if (l.code == code)
            return l.nativeName;
    return {};
}

QString effectiveLanguage(const QString &chosen, const QLocale &desktop)
{
    if (isLanguage(chosen))
        return chosen;
    for (const QString &ui : desktop.uiLanguages()) {
        // "de-DE", "de_AT", "de": the language part decides.
        const QString code = ui.section(QLatin1Char('-'), 0, 0).section(QLatin1Char('_'), 0, 0).toLower();
        if (isLanguage(code))
            return code;
    }
    return QStringLiteral("en");
}

} // namespace opsdeck
