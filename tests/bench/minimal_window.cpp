// The reference for the start-up benchmark: the floor a Qt Widgets program that shows text pays,
// built with the same flags as Opsdeck and reporting its first paint (and its quit) the same way
// (FirstPaintProbe): a QMainWindow with a seven-item list on the left and a 30 x 8 table of text,
// so that fonts are loaded and text is shaped as in Opsdeck's first screen.
#include "firstpaintprobe.h"

#include <QApplication>
#include <QListWidget>
#include <QMainWindow>
#include <QSplitter>
#include <QTableWidget>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QMainWindow window;
    auto *splitter = new QSplitter(&window);
    auto *list = new QListWidget(splitter);
    for (const char *name :
         {"Runners", "Users", "Deployments", "Images", "Budgets", "Test runs", "Audit log"})
        list->addItem(QString::fromLatin1(name));
    auto *table = new QTableWidget(30, 8, splitter);
    for (int row = 0; row < 30; ++row)
        for (int column = 0; column < 8; ++column)
            table->setItem(
                row, column,
                new QTableWidgetItem(QStringLiteral("row %1, column %2").arg(row + 1).arg(column + 1)));
    splitter->setStretchFactor(1, 1);
    window.setCentralWidget(splitter);
    window.resize(1280, 800);
    FirstPaintProbe probe;
    window.installEventFilter(&probe);
    window.show();
    const int result = app.exec();
    probe.quitting();
    return result;
}
