// The languages Opsdeck's window speaks, and which one a setting or the command line picks.
#pragma once

#include <QList>
#include <QLocale>
#include <QString>

namespace opsdeck {

struct Language
{
    QString code;       // "en", "de": the suffix of translations/opsdeck_<code>.ts
    QString nativeName; // as the language names itself: "English", "Deutsch"
};

// Every language with a complete translation, English first.
const QList<Language> &languages();
bool isLanguage(const QString &code);
QString nativeLanguageName(const QString &code); // empty for an unknown code

// The language the window uses: the chosen one if it is known, otherwise the desktop's if Opsdeck
// has it (the first of the desktop's preferred languages that it has), otherwise English.
QString effectiveLanguage(const QString &chosen, const QLocale &desktop = QLocale::system());

} // namespace opsdeck
