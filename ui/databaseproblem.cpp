#include "ui/databaseproblem.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DatabaseProblem)
};
} // namespace

DatabaseChoice askDatabaseProblem(const Error &error, const QString &path, QWidget *parent)
{
    QMessageBox box(parent);
    box.setIcon(QMessageBox::Critical);
    box.setWindowTitle(Tr::tr("Opsdeck cannot open its cache"));
    box.setText(error.message);
    box.setInformativeText(Tr::tr("Cache file: %1").arg(path));
    QPushButton *readOnly = nullptr;
    QPushButton *fresh = nullptr;
    const QString code = error.code;
    if (code == QLatin1String("db.locked") || code == QLatin1String("db.read-only") ||
        code == QLatin1String("db.full"))
        readOnly = box.addButton(Tr::tr("Open &read-only"), QMessageBox::AcceptRole);
    if (code != QLatin1String("db.newer-schema"))
        fresh = box.addButton(Tr::tr("&Move it aside and start fresh"), QMessageBox::DestructiveRole);
    QPushButton *quit = box.addButton(Tr::tr("&Quit"), QMessageBox::RejectRole);
    box.setDefaultButton(quit);
    box.exec();
    if (readOnly && box.clickedButton() == readOnly)
        return DatabaseChoice::OpenReadOnly;
    if (fresh && box.clickedButton() == fresh)
        return DatabaseChoice::StartFresh;
    return DatabaseChoice::Quit;
}

} // namespace opsdeck
