// The English plural forms reach the widgets: translations/opsdeck_en.ts files every string under
// the context tr() asks for at run time (the class's qualified name, "opsdeck::CreditsTab"), and
// the compiled opsdeck_en.qm turns "%n entr(y/ies)" into "1 entry" / "2 entries".
#include "ui/mainwindow.h"
#include "ui/panes/audit/auditlogpane.h"
#include "ui/panes/budgets/budgetspane.h"
#include "ui/panes/budgets/creditstab.h"
#include "ui/panes/budgets/policiestab.h"
#include "ui/panes/deployments/deploymentspane.h"
#include "ui/panes/images/imagespane.h"
#include "ui/panes/users/userspane.h"

#include <QCoreApplication>
#include <QFile>
#include <QSet>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace opsdeck;

class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void contextsAreTheRuntimeClassNames_data();
    void contextsAreTheRuntimeClassNames();
    void everyContextIsQualified();
    void pluralsComeOutInEnglish_data();
    void pluralsComeOutInEnglish();

private:
    QSet<QString> m_contexts;
    QTranslator m_translator;
};

void TestTranslations::initTestCase()
{
    QFile ts(QStringLiteral(OPSDECK_SOURCE_DIR "/translations/opsdeck_en.ts"));
    QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(ts.fileName()));
    QXmlStreamReader xml(&ts);
    bool inContext = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("context"))
            inContext = true;
        else if (xml.isStartElement() && xml.name() == QLatin1String("message"))
            inContext = false;
        else if (inContext && xml.isStartElement() && xml.name() == QLatin1String("name"))
            m_contexts.insert(xml.readElementText());
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(m_contexts.size() > 10);

    QVERIFY2(m_translator.load(QStringLiteral(OPSDECK_QM_DIR "/opsdeck_en.qm")),
             OPSDECK_QM_DIR "/opsdeck_en.qm");
    QCoreApplication::installTranslator(&m_translator);
}

void TestTranslations::contextsAreTheRuntimeClassNames_data()
{
    QTest::addColumn<QString>("className");
    // Classes whose plural strings an admin sees; tr() in each asks for its metaObject's name.
    for (const QMetaObject *meta :
         {&MainWindow::staticMetaObject, &AuditLogPane::staticMetaObject, &BudgetsPane::staticMetaObject,
          &CreditsTab::staticMetaObject, &PoliciesTab::staticMetaObject, &DeploymentsPane::staticMetaObject,
          &ImagesPane::staticMetaObject, &UsersPane::staticMetaObject})
        QTest::newRow(meta->className()) << QString::fromLatin1(meta->className());
}

void TestTranslations::contextsAreTheRuntimeClassNames()
{
    QFETCH(QString, className);
    QVERIFY2(m_contexts.contains(className),
             qPrintable(QStringLiteral("no context %1 in opsdeck_en.ts (run scripts/update-translations.sh)")
                            .arg(className)));
}

void TestTranslations::everyContextIsQualified()
{
    // Every class of the project lives in namespace opsdeck; an unqualified context is one lupdate
    // filed without seeing the class's header, and tr() never finds it.
    for (const QString &context : std::as_const(m_contexts)) {
        if (context == QLatin1String("QObject"))
            continue;
        QVERIFY2(context.startsWith(QLatin1String("opsdeck::")), qPrintable(context));
    }
}

void TestTranslations::pluralsComeOutInEnglish_data()
{
    QTest::addColumn<QString>("className");
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    const QString open = QStringLiteral("Open: %1 in %n entr(y/ies); settled: %2");
    QTest::newRow("one entry") << QString::fromLatin1(CreditsTab::staticMetaObject.className()) << open << 1
                               << QStringLiteral("Open: %1 in 1 entry; settled: %2");
    QTest::newRow("two entries") << QString::fromLatin1(CreditsTab::staticMetaObject.className()) << open << 2
                                 << QStringLiteral("Open: %1 in 2 entries; settled: %2");
    const QString syncing = QStringLiteral("Syncing %n LiteLLM prox(y/ies)…");
    QTest::newRow("one proxy") << QString::fromLatin1(BudgetsPane::staticMetaObject.className()) << syncing
                               << 1 << QStringLiteral("Syncing 1 LiteLLM proxy…");
    QTest::newRow("three proxies") << QString::fromLatin1(BudgetsPane::staticMetaObject.className())
                                   << syncing << 3 << QStringLiteral("Syncing 3 LiteLLM proxies…");
}

void TestTranslations::pluralsComeOutInEnglish()
{
    QFETCH(QString, className);
    QFETCH(QString, source);
    QFETCH(int, n);
    QFETCH(QString, expected);
    QCOMPARE(QCoreApplication::translate(className.toLatin1().constData(), source.toUtf8().constData(),
                                         nullptr, n),
             expected);
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
