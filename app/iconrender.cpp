// Build tool: renders the application's SVG icon to the PNG sizes the hicolor theme installs
// (app/CMakeLists.txt). Usage: opsdeck-icon-render IN.svg OUT.png SIZE
#include <QGuiApplication>
#include <QImage>
#include <QImageReader>

#include <cstdio>

int main(int argc, char **argv)
{
    // A build machine has no display: the offscreen platform is enough to paint.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    bool sizeOk = false;
    const int size = args.size() == 4 ? args.at(3).toInt(&sizeOk) : 0;
    if (!sizeOk || size < 16 || size > 1024) {
        std::fprintf(stderr, "usage: opsdeck-icon-render IN.svg OUT.png SIZE (16 to 1024)\n");
        return 2;
    }
    QImageReader reader(args.at(1));
    reader.setScaledSize(QSize(size, size));
    const QImage image = reader.read();
    if (image.isNull()) {
        std::fprintf(stderr,
                     "opsdeck-icon-render: cannot read %s: %s (is the Qt SVG plugin, libqt6svg6, "
                     "installed?)\n",
                     qPrintable(args.at(1)), qPrintable(reader.errorString()));
        return 1;
    }
    if (!image.save(args.at(2), "PNG")) {
        std::fprintf(stderr, "opsdeck-icon-render: cannot write %s\n", qPrintable(args.at(2)));
        return 1;
    }
    return 0;
}
