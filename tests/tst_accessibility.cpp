// Accessibility and keyboard: the finder of unnamed controls itself; every pane, view and dialog
// the screenshot mode shows, in English and German, walked through Qt's accessibility interfaces
// with nothing unnamed and every table announcing its model's row count; and Tab, pressed again and
// again in each pane, reaching every control that takes the keyboard and never caught in one.
#include "models/connections/connectionsmodel.h"
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "services/budgets/litellmservice.h"
#include "services/connections/connectionservice.h"
#include "services/deploy/deployservice.h"
#include "services/docker/dockerservice.h"
#include "services/github/githubservice.h"
#include "services/images/registryservice.h"
#include "services/servicehost.h"
#include "services/store/auditservice.h"
#include "services/store/demoworkspace.h"
#include "services/testruns/testrunsservice.h"
#include "services/tunnel/tunnelservice.h"
#include "ui/common/accessibility.h"
#include "ui/common/tones.h"
#include "ui/mainwindow.h"
#include "ui/panes/pane.h"
#include "ui/screenshots.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStyle>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>

using namespace opsdeck;

class TestAccessibility : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void finderReportsUnnamedControls();
    void tabReachesEveryControl();
    void everyPaneAndDialogIsNamed();
    void tonesReadOnBothPalettes();
    void contrast_data();
    void contrast();

private:
    // Texts in the window whose contrast with their background is below 4.5:1, one line each.
    QStringList lowContrast(QWidget *root);
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<ServiceHost> m_host;
    std::unique_ptr<ConnectionsModel> m_model;
    std::unique_ptr<MainWindow> m_window;
};

void TestAccessibility::initTestCase()
{
    installKeyboardPolicy(qApp); // as the application does
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    QVERIFY(DemoWorkspace::seed().ok());
    m_model = std::make_unique<ConnectionsModel>();
    m_model->reload();
    QTRY_VERIFY(m_model->rowCount() >= 6);
    m_settings = std::make_unique<AppSettings>(m_dir.path());
    m_host = std::make_unique<ServiceHost>();
    auto *connections = m_host->add(new ConnectionService, QStringLiteral("connections"));
    connections->setDemoMode(true);
    PaneContext context;
    context.audit = m_host->add(new AuditService, QStringLiteral("audit"));
    const auto demo = [this](auto *service, const char *name) {
        service->setDemoMode(true);
        return m_host->add(service, QString::fromLatin1(name));
    };
    context.github = demo(new GitHubService, "github");
    context.docker = demo(new DockerService, "docker");
    context.deploy = demo(new DeployService, "deploy");
    context.tunnel = demo(new TunnelService, "tunnel");
    context.registry = demo(new RegistryService, "registry");
    context.budgets = demo(new LiteLLMService, "litellm");
    context.testruns = demo(new TestRunsService, "testruns");
    context.settings = m_settings.get();
    m_host->startAll();
    m_window = std::make_unique<MainWindow>(m_model.get(), connections, context, m_settings.get(), true);
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestAccessibility::cleanupTestCase()
{
    m_window.reset();
    m_host->stopAll();
    m_model.reset();
    Database::close();
}

void TestAccessibility::finderReportsUnnamedControls()
{
    QWidget root;
    root.setObjectName(QStringLiteral("root"));
    auto *layout = new QVBoxLayout(&root);
    auto *unnamedEdit = new QLineEdit(&root);
    unnamedEdit->setObjectName(QStringLiteral("bare"));
    unnamedEdit->setPlaceholderText(QStringLiteral("Filter…"));
    auto *namedEdit = new QLineEdit(&root);
    namedEdit->setAccessibleName(QStringLiteral("Search"));
    auto *spin = new QSpinBox(&root);
    spin->setObjectName(QStringLiteral("count"));
    auto *button = new QPushButton(QStringLiteral("&Save"), &root); // named by its text
    auto *iconOnly = new QPushButton(&root);
    iconOnly->setObjectName(QStringLiteral("iconOnly"));
    auto *hidden = new QLineEdit(&root);
    auto *table = new QTableView(&root);
    table->setAccessibleName(QStringLiteral("Rows"));
    QStandardItemModel model(5, 2);
    table->setModel(&model);
    for (QWidget *w :
         std::initializer_list<QWidget *>{unnamedEdit, namedEdit, spin, button, iconOnly, hidden, table})
        layout->addWidget(w);
    root.show();
    hidden->hide();
    QVERIFY(QTest::qWaitForWindowExposed(&root));
    const QStringList problems = findAccessibilityProblems(&root);
    QCOMPARE(problems.size(), 3);
    QVERIFY2(problems.at(0).contains(QStringLiteral("unnamed text field at root › bare (\"Filter…\")")),
             qPrintable(problems.join(QLatin1Char('\n'))));
    QVERIFY(problems.at(1).contains(QStringLiteral("unnamed spin box at root › count")));
    QVERIFY(problems.at(2).contains(QStringLiteral("unnamed button at root › iconOnly")));
    // Named, they pass; an unnamed table is found too.
    unnamedEdit->setAccessibleName(QStringLiteral("Filter"));
    spin->setAccessibleName(QStringLiteral("Count"));
    iconOnly->setAccessibleName(QStringLiteral("Remove"));
    QVERIFY(findAccessibilityProblems(&root).isEmpty());
    table->setAccessibleName(QString());
    QCOMPARE(findAccessibilityProblems(&root).size(), 1);
}

void TestAccessibility::everyPaneAndDialogIsNamed()
{
    // What the screenshot mode shows: each pane, each of its views, its dialogs, Connections,
    // Settings, the introduction and the quick switcher.
    QStringList access;
    const auto files =
        saveScreenshots(m_window.get(), m_dir.filePath(QStringLiteral("shots")), nullptr, &access);
    QVERIFY2(files.ok(), qPrintable(files.message()));
    QVERIFY(files.value().size() > 20);
    QVERIFY2(access.isEmpty(), qPrintable(access.join(QLatin1Char('\n'))));
}

void TestAccessibility::tabReachesEveryControl()
{
    // In each pane's views: Tab from its first control visits every enabled control that takes
    // the keyboard, in the order of the focus chain, and no control keeps Tab for itself (a table
    // moving between its cells, a text box inserting a tab).
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    for (Pane *pane : m_window->panes()) {
        m_window->showPane(pane->id());
        for (const QString &view : QStringList{QString()} + pane->extraViews()) {
            pane->showView(view);
            QTest::qWait(50);
            QList<QWidget *> wanted;
            for (QWidget *w : pane->findChildren<QWidget *>())
                if (w->isVisible() && w->isEnabled() && (w->focusPolicy() & Qt::TabFocus) &&
                    !w->focusProxy() &&
                    (qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) ||
                     qobject_cast<QAbstractItemView *>(w) || qobject_cast<QComboBox *>(w) ||
                     qobject_cast<QAbstractSpinBox *>(w)) &&
                    !w->objectName().startsWith(QLatin1String("qt_")))
                    wanted << w;
            QVERIFY2(!wanted.isEmpty(), qPrintable(pane->id() + QLatin1Char(' ') + view));
            wanted.first()->setFocus(Qt::TabFocusReason);
            QTRY_VERIFY2(QApplication::focusWidget() == wanted.first(),
                         qPrintable(pane->id() + QLatin1Char(' ') + wanted.first()->objectName()));
            QSet<QWidget *> reached{wanted.first()};
            QWidget *last = wanted.first();
            for (int press = 0; press < 400 && reached.size() < wanted.size(); ++press) {
                QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
                QWidget *now = QApplication::focusWidget();
                QVERIFY2(now != last,
                         qPrintable(QStringLiteral("%1 %2: Tab stays in %3 (%4)")
                                        .arg(pane->id(), view, last->objectName(),
                                             QString::fromLatin1(last->metaObject()->className()))));
                last = now;
                // A spin box or a combo box takes the focus through its own line edit.
                for (QWidget *w = now; w && w != pane; w = w->parentWidget())
                    if (wanted.contains(w))
                        reached.insert(w);
            }
            QStringList missed;
            for (QWidget *w : std::as_const(wanted))
                if (!reached.contains(w))
                    missed << QStringLiteral("%1 (%2)").arg(
                        w->objectName(), QString::fromLatin1(w->metaObject()->className()));
            QVERIFY2(missed.isEmpty(), qPrintable(pane->id() + QLatin1Char(' ') + view +
                                                  QStringLiteral(": not reached by Tab: ") +
                                                  missed.join(QStringLiteral(", "))));
        }
        pane->showView(QString());
    }
}

void TestAccessibility::tonesReadOnBothPalettes()
{
    // Every tone reads as text on either palette's base (WCAG AA, 4.5:1), and the text reads on a
    // search match's background; the dark palette's own roles too.
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    const QPalette light = fusion->standardPalette();
    const QPalette dark = darkPalette();
    QVERIFY(!isDarkPalette(light));
    QVERIFY(isDarkPalette(dark));
    for (const QPalette &p : {light, dark}) {
        const QColor base = p.color(QPalette::Base);
        for (Tone tone : {Tone::Good, Tone::Warning, Tone::Bad, Tone::Severe, Tone::Muted, Tone::Accent})
            QVERIFY2(contrastRatio(toneColour(tone, p), base) >= 4.5,
                     qPrintable(QStringLiteral("tone %1 on %2: %3")
                                    .arg(int(tone))
                                    .arg(base.name())
                                    .arg(contrastRatio(toneColour(tone, p), base))));
        QVERIFY(contrastRatio(p.color(QPalette::Text), toneColour(Tone::Match, p)) >= 4.5);
        QVERIFY(contrastRatio(p.color(QPalette::Text), base) >= 7);
        QVERIFY(contrastRatio(p.color(QPalette::WindowText), p.color(QPalette::Window)) >= 7);
        QVERIFY(contrastRatio(p.color(QPalette::ButtonText), p.color(QPalette::Button)) >= 4.5);
        QVERIFY(contrastRatio(p.color(QPalette::PlaceholderText), base) >= 4.5);
    }
    // Opsdeck's dark palette: a selected row reads too.
    QVERIFY(contrastRatio(dark.color(QPalette::HighlightedText), dark.color(QPalette::Highlight)) >= 4.5);
    // The tones differ between the palettes: the light shades would not read on dark.
    QVERIFY(toneColour(Tone::Bad, light) != toneColour(Tone::Bad, dark));
    QVERIFY(contrastRatio(toneColour(Tone::Severe, light), dark.color(QPalette::Base)) < 4.5);
    QCOMPARE(qRound(contrastRatio(Qt::black, Qt::white)), 21);
}

QStringList TestAccessibility::lowContrast(QWidget *root)
{
    QStringList out;
    const auto check = [&out](const QString &where, const QColor &fg, const QColor &bg) {
        if (fg.alpha() == 255 && contrastRatio(fg, bg) < 4.5)
            out << QStringLiteral("%1: %2 on %3 is %4:1")
                       .arg(where, fg.name(), bg.name())
                       .arg(contrastRatio(fg, bg), 0, 'f', 2);
    };
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!w->isVisible())
            continue;
        const QPalette p = w->palette();
        if (auto *label = qobject_cast<QLabel *>(w); label && !label->text().isEmpty() && label->isEnabled())
            check(QStringLiteral("label \"%1\"").arg(label->text().left(40)),
                  p.color(label->foregroundRole()), p.color(label->backgroundRole()));
        auto *view = qobject_cast<QAbstractItemView *>(w);
        if (!view || !view->model())
            continue;
        QAbstractItemModel *m = view->model();
        for (int row = 0; row < qMin(m->rowCount(), 40); ++row)
            for (int column = 0; column < m->columnCount(); ++column) {
                const QModelIndex i = m->index(row, column);
                if (i.data().toString().isEmpty() || view->selectionModel()->isSelected(i))
                    continue;
                const QVariant fore = i.data(Qt::ForegroundRole);
                const QVariant back = i.data(Qt::BackgroundRole);
                const QColor fg = fore.canConvert<QBrush>() && fore.isValid() ? fore.value<QBrush>().color()
                                                                              : p.color(QPalette::Text);
                const QColor bg = back.canConvert<QBrush>() && back.isValid() ? back.value<QBrush>().color()
                                                                              : p.color(QPalette::Base);
                check(QStringLiteral("%1 row %2 column %3 \"%4\"")
                          .arg(view->accessibleName())
                          .arg(row)
                          .arg(column)
                          .arg(i.data().toString().left(30)),
                      fg, bg);
            }
    }
    for (QChartView *view : root->findChildren<QChartView *>())
        if (view->isVisible())
            check(QStringLiteral("chart %1").arg(view->chart()->title()),
                  view->palette().color(QPalette::Text), view->chart()->backgroundBrush().color());
    return out;
}

void TestAccessibility::contrast_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestAccessibility::contrast()
{
    // Every pane and view rendered with the Fusion style's light palette and with the dark one, as
    // --palette does: every text against its background at least 4.5:1.
    QFETCH(bool, dark);
    QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    for (Pane *pane : m_window->panes()) {
        m_window->showPane(pane->id());
        for (const QString &view : QStringList{QString()} + pane->extraViews()) {
            pane->showView(view);
            pane->refresh(); // charts are drawn again in the palette now in force
            QTest::qWait(100);
            const QStringList problems = lowContrast(pane);
            QVERIFY2(problems.isEmpty(),
                     qPrintable(pane->id() + QLatin1Char(' ') + view + QStringLiteral(":\n") +
                                problems.join(QLatin1Char('\n'))));
        }
        pane->showView(QString());
    }
    QApplication::setPalette(QApplication::style()->standardPalette());
}

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
