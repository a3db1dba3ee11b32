// The German translation is whole and sound, the language choice is right, and the clipped-text
// check the screenshot mode runs finds text cut off (tests/support/cli-smoke.sh runs the German
// screenshots and fails on any it reports).
#include "models/core/languages.h"
#include "ui/common/clippedtext.h"

#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace opsdeck;

namespace {

struct Message
{
    QString context;
    QString source;
    bool numerus = false;
    bool unfinished = false;
    QStringList forms; // one translation, or the numerus forms
};

QList<Message> readTs(const QString &path, QString *error)
{
    QList<Message> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")) {
            m = Message{};
            m.context = context;
            m.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (xml.name() == QLatin1String("source")) {
            m.source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            m.unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            if (!m.numerus)
                m.forms << xml.readElementText();
            else {
                while (xml.readNextStartElement())
                    m.forms << xml.readElementText();
            }
            messages << m;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%L?\\d+|%n"));
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    return found;
}

QStringList tags(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("</?[a-zA-Z][^>]*>"));
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    return found;
}

// Keyboard mnemonics: a '&' that is not "&&" and not an entity such as "&amp;".
int mnemonics(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("&(?!&|[a-z]+;)"));
    QString t = text;
    t.remove(QStringLiteral("&&"));
    return int(t.count(re));
}

} // namespace

class TestGerman : public QObject
{
    Q_OBJECT
private slots:
    void everyStringIsTranslated();
    void pluralsComeOutInGerman();
    void theLanguageFollowsChoiceThenDesktop();
    void clippedTextIsFound();
    void roomyTextIsNotReported();
};

void TestGerman::everyStringIsTranslated()
{
    QString error;
    const QList<Message> messages =
        readTs(QStringLiteral(OPSDECK_SOURCE_DIR "/translations/opsdeck_de.ts"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(messages.size() > 1000);
    QStringList problems;
    for (const Message &m : messages) {
        const QString where = m.context + QStringLiteral(": ") + m.source.left(60);
        if (m.unfinished) {
            problems << QStringLiteral("unfinished: ") + where;
            continue;
        }
        if (m.numerus && m.forms.size() != 2) {
            problems << QStringLiteral("German has two plural forms, not %1: ").arg(m.forms.size()) + where;
            continue;
        }
        for (const QString &form : m.forms) {
            if (form.trimmed().isEmpty()) {
                problems << QStringLiteral("empty: ") + where;
                continue;
            }
            QStringList wanted = placeholders(m.source);
            // A singular form may say "ein" instead of %n; every other placeholder stays.
            if (m.numerus && !form.contains(QStringLiteral("%n")))
                wanted.removeAll(QStringLiteral("%n"));
            if (placeholders(form) != wanted)
                problems << QStringLiteral("placeholders %1 instead of %2: ")
                                    .arg(placeholders(form).join(QLatin1Char(' ')),
                                         wanted.join(QLatin1Char(' '))) +
                                where;
            if (tags(form) != tags(m.source))
                problems << QStringLiteral("markup differs: ") + where;
            if (mnemonics(form) != mnemonics(m.source))
                problems << QStringLiteral("%1 mnemonics instead of %2: ")
                                    .arg(mnemonics(form))
                                    .arg(mnemonics(m.source)) +
                                where;
            if (form.startsWith(QLatin1Char(' ')) != m.source.startsWith(QLatin1Char(' ')) ||
                form.endsWith(QLatin1Char(' ')) != m.source.endsWith(QLatin1Char(' ')))
                problems << QStringLiteral("leading or trailing space differs: ") + where;
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 40).join(QLatin1Char('\n'))));
}

void TestGerman::pluralsComeOutInGerman()
{
    QTranslator german;
    QVERIFY2(german.load(QStringLiteral(OPSDECK_QM_DIR "/opsdeck_de.qm")), OPSDECK_QM_DIR "/opsdeck_de.qm");
    QCoreApplication::installTranslator(&german);
    const auto tr = [](const char *context, const char *source, int n) {
        return QCoreApplication::translate(context, source, nullptr, n);
    };
    QCOMPARE(tr("opsdeck::AuditLogPane", "%n event(s)", 1), QStringLiteral("1 Ereignis"));
    QCOMPARE(tr("opsdeck::AuditLogPane", "%n event(s)", 2), QStringLiteral("2 Ereignisse"));
    QCOMPARE(tr("opsdeck::CreditsTab", "Open: %1 in %n entr(y/ies); settled: %2", 1),
             QStringLiteral("Offen: %1 in 1 Eintrag; beglichen: %2"));
    QCOMPARE(tr("opsdeck::CreditsTab", "Open: %1 in %n entr(y/ies); settled: %2", 5),
             QStringLiteral("Offen: %1 in 5 Einträgen; beglichen: %2"));
    QCOMPARE(tr("opsdeck::MainWindow", "&File", -1), QStringLiteral("&Datei"));
    QCoreApplication::removeTranslator(&german);
    QCOMPARE(tr("opsdeck::MainWindow", "&File", -1), QStringLiteral("&File"));
}

void TestGerman::theLanguageFollowsChoiceThenDesktop()
{
    QCOMPARE(languages().size(), 2);
    QVERIFY(isLanguage(QStringLiteral("de")));
    QVERIFY(!isLanguage(QStringLiteral("fr")));
    QVERIFY(!isLanguage(QString()));
    QCOMPARE(nativeLanguageName(QStringLiteral("de")), QStringLiteral("Deutsch"));
    // A choice wins over the desktop.
    QCOMPARE(effectiveLanguage(QStringLiteral("en"), QLocale(QLocale::German, QLocale::Austria)),
             QStringLiteral("en"));
    QCOMPARE(effectiveLanguage(QStringLiteral("de"), QLocale(QLocale::English)), QStringLiteral("de"));
    // No choice (or an unknown one): the desktop's, whatever its country.
    QCOMPARE(effectiveLanguage(QString(), QLocale(QLocale::German, QLocale::Switzerland)),
             QStringLiteral("de"));
    QCOMPARE(effectiveLanguage(QStringLiteral("xx"), QLocale(QLocale::German)), QStringLiteral("de"));
    // A desktop language Opsdeck lacks: English.
    QCOMPARE(effectiveLanguage(QString(), QLocale(QLocale::French, QLocale::France)), QStringLiteral("en"));
}

void TestGerman::clippedTextIsFound()
{
    QWidget window;
    window.setWindowTitle(QStringLiteral("Probe"));
    auto *layout = new QHBoxLayout(&window);
    auto *button = new QPushButton(QStringLiteral("&Benachrichtigungen einrichten…"));
    button->setObjectName(QStringLiteral("squeezed"));
    button->setFixedWidth(40);
    auto *label = new QLabel(QStringLiteral("Nächste Rücksetzung des Budgets"));
    label->setFixedWidth(30);
    auto *tabs = new QTabWidget;
    tabs->setUsesScrollButtons(false);
    tabs->setElideMode(Qt::ElideRight);
    for (const QString &t : {QStringLiteral("Verlängerungen"), QStringLiteral("Guthaben && Überlauf"),
                             QStringLiteral("Richtlinien-Abweichungen")})
        tabs->addTab(new QWidget, t);
    tabs->setFixedWidth(120);
    auto *table = new QTableView;
    auto *model = new QStandardItemModel(1, 2, table);
    model->setHorizontalHeaderLabels({QStringLiteral("Nächste Rücksetzung"), QStringLiteral("ok")});
    table->setModel(model);
    table->setColumnWidth(0, 20);
    table->setColumnWidth(1, 200);
    layout->addWidget(button);
    layout->addWidget(label);
    layout->addWidget(tabs);
    layout->addWidget(table);
    window.resize(900, 200);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    const QStringList found = findClippedText(&window);
    const auto reports = [&](const QString &what) {
        return std::any_of(found.cbegin(), found.cend(), [&](const QString &l) { return l.contains(what); });
    };
    QVERIFY2(reports(QStringLiteral("Probe › squeezed button \"Benachrichtigungen einrichten…\"")),
             qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY2(reports(QStringLiteral("label \"Nächste Rücksetzung des Budgets\"")),
             qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY2(reports(QStringLiteral("tab \"Richtlinien-Abweichungen\"")),
             qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY2(reports(QStringLiteral("column \"Nächste Rücksetzung\": needs")),
             qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY2(!reports(QStringLiteral("column \"ok\"")), qPrintable(found.join(QLatin1Char('\n'))));
}

void TestGerman::roomyTextIsNotReported()
{
    QWidget window;
    auto *layout = new QHBoxLayout(&window);
    layout->addWidget(new QPushButton(QStringLiteral("&Benachrichtigungen einrichten…")));
    layout->addWidget(new QLabel(QStringLiteral("Nächste Rücksetzung des Budgets")));
    auto *hidden = new QPushButton(QStringLiteral("Unsichtbar, also nicht abgeschnitten"));
    hidden->setFixedWidth(10);
    hidden->hide();
    layout->addWidget(hidden);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QStringList found = findClippedText(&window);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestGerman)
#include "tst_german.moc"
