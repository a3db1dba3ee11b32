#include "databaseproblem.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

namespace opsdeck {

DatabaseChoice askDatabaseProblem(const Error &error, const QString &path, QWidget *parent)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("opsdeck::DatabaseProblem", text); };
    QMessageBox box(parent);
    box.setIcon(QMessageBox::Critical);
    box.setWindowTitle(tr("Opsdeck cannot open its cache"));
    box.setText(error.message);
    box.setInformativeText(tr("Cache file: %1").arg(path));
    QPushButton *readOnly = nullptr;
    QPushButton *fresh = nullptr;
    const QString code = error.code;
    if (code == QLatin1String("db.locked") || code == QLatin1String("db.read-only") || code == QLatin1String("db.full"))
        readOnly = box.addButton(tr("Open &read-only"), QMessageBox::AcceptRole);
    if (code != QLatin1String("db.newer-schema"))
        fresh = box.addButton(tr("&Move it aside and start fresh"), QMessageBox::DestructiveRole);
    QPushButton *quit = box.addButton(tr("&Quit"), QMessageBox::RejectRole);
    box.setDefaultButton(quit);
    box.exec();
    if (readOnly && box.clickedButton() == readOnly)
        return DatabaseChoice::OpenReadOnly;
    if (fresh && box.clickedButton() == fresh)
        return DatabaseChoice::StartFresh;
    return DatabaseChoice::Quit;
}

} // namespace opsdeck
