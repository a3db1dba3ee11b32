#include "ui/panes/deployments/containerdialogs.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ContainerDialogs)
};
} // namespace

bool isAnonymousVolume(const QString &name)
{
    static const QRegularExpression hex(QStringLiteral("\\A[0-9a-f]{64}\\z"));
    return hex.match(name).hasMatch();
}

std::optional<RemoveChoice> askRemoveContainer(QWidget *parent, const QString &name, const QString &state,
                                               const QStringList &volumes)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(Tr::tr("Remove container"));
    auto *text = new QLabel(&dialog);
    text->setWordWrap(true);
    const bool running = state == QLatin1String("running") || state == QLatin1String("restarting") ||
                         state == QLatin1String("paused");
    text->setText(running
                      ? Tr::tr("Remove the container %1? It is %2: it will be killed first.").arg(name, state)
                      : Tr::tr("Remove the container %1?").arg(name));
    QStringList anonymous, named;
    for (const QString &v : volumes)
        (isAnonymousVolume(v) ? anonymous : named) << v;
    auto *withVolumes = new QCheckBox(&dialog);
    withVolumes->setObjectName(QStringLiteral("removeVolumes"));
    if (anonymous.isEmpty()) {
        withVolumes->setText(Tr::tr("Also delete its anonymous volumes (it has none)"));
        withVolumes->setEnabled(false);
    } else {
        QStringList shortNames;
        for (const QString &v : std::as_const(anonymous))
            shortNames << v.left(12);
        withVolumes->setText(
            Tr::tr("Also &delete its anonymous volumes: %1").arg(shortNames.join(QStringLiteral(", "))));
    }
    auto *keptNote = new QLabel(&dialog);
    keptNote->setWordWrap(true);
    keptNote->setText(
        named.isEmpty()
            ? QString()
            : Tr::tr("Named volumes are kept either way: %1.").arg(named.join(QStringLiteral(", "))));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    auto *remove = buttons->addButton(Tr::tr("&Remove"), QDialogButtonBox::DestructiveRole);
    QObject::connect(remove, &QPushButton::clicked, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(text);
    layout->addWidget(withVolumes);
    layout->addWidget(keptNote);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return RemoveChoice{withVolumes->isChecked(), running};
}

} // namespace opsdeck
