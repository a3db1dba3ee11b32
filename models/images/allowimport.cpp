#include "models/images/allowimport.h"

#include <QCoreApplication>
#include <QHash>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AllowImport)
};
} // namespace

QString importStateName(ImportLine::State state)
{
    switch (state) {
    case ImportLine::State::New:
        return QStringLiteral("new");
    case ImportLine::State::Invalid:
        return QStringLiteral("invalid");
    case ImportLine::State::Duplicate:
        return QStringLiteral("duplicate");
    case ImportLine::State::AlreadyAllowed:
        return QStringLiteral("allowed");
    case ImportLine::State::NotFound:
        return QStringLiteral("not-found");
    }
    return {};
}

QList<ImportLine> planImport(const QString &content, const QSet<QString> &existing,
                             const QString &defaultReason, const RegistryIndex *registries)
{
    QList<ImportLine> plan;
    QHash<QString, int> seen; // normalised entry -> the line that has it
    const QStringList lines = content.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        QString raw = lines.at(i);
        if (raw.endsWith(QLatin1Char('\r')))
            raw.chop(1);
        QString comment;
        if (const qsizetype hash = raw.indexOf(QLatin1Char('#')); hash >= 0) {
            comment = raw.mid(hash + 1).trimmed();
            raw = raw.left(hash);
        }
        const QString text = raw.trimmed();
        if (text.isEmpty())
            continue;
        ImportLine l;
        l.line = i + 1;
        l.text = text;
        l.reason = comment.isEmpty() ? defaultReason.trimmed() : comment;
        const auto entry = parseAllowEntry(text);
        if (!entry) {
            l.state = ImportLine::State::Invalid;
            l.problem = entry.message();
            plan << l;
            continue;
        }
        l.entry = entry->text();
        // A repeat or an entry on the list already changes nothing, reason or not.
        if (const auto first = seen.constFind(l.entry); first != seen.constEnd()) {
            l.state = ImportLine::State::Duplicate;
            l.problem = Tr::tr("the same entry as line %1.").arg(first.value());
        } else if (existing.contains(l.entry)) {
            l.state = ImportLine::State::AlreadyAllowed;
        } else if (const EntryMark mark =
                       registries ? markEntry(entry.value(), {}, *registries) : EntryMark{};
                   mark.mark == RegistryMark::RepositoryGone || mark.mark == RegistryMark::TagGone) {
            l.state = ImportLine::State::NotFound;
            l.problem = Tr::tr("not in the synced registry: %1.").arg(mark.detail);
        } else if (l.reason.isEmpty()) {
            l.state = ImportLine::State::Invalid;
            l.problem =
                Tr::tr("no reason: write one after '#' on the line, or give a reason for the whole import.");
        } else if (l.reason.size() > 2000) {
            l.state = ImportLine::State::Invalid;
            l.problem = Tr::tr("the reason is longer than 2,000 characters.");
        } else {
            seen.insert(l.entry, l.line);
        }
        plan << l;
    }
    return plan;
}

} // namespace opsdeck
