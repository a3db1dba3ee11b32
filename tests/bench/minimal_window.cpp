// The reference for the start-up benchmark: a Qt Widgets program with one QMainWindow, built with
// the same flags as Opsdeck, that reports its first paint the same way (FirstPaintProbe).
#include "firstpaintprobe.h"

#include <QApplication>
#include <QMainWindow>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.resize(1280, 800);
    FirstPaintProbe probe;
    window.installEventFilter(&probe);
    window.show();
    return app.exec();
}
