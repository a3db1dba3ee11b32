#include "ui/introductiondialog.h"

#include <QCommandLinkButton>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck {

QString IntroductionDialog::kindPurpose(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::GitHub:
        return tr("Self-hosted runners under a label policy, workflow runs and their test results.");
    case ConnectionKind::Docker:
        return tr("Containers, and deployments of template repositories with compose.");
    case ConnectionKind::Registry:
        return tr("The images and tags of an OCI registry.");
    case ConnectionKind::Harbor:
        return tr("The image allowlist of a Harbor registry, with requests and approvals.");
    case ConnectionKind::LiteLLM:
        return tr("LLM budgets and spend per team, key and user.");
    case ConnectionKind::Cloudflare:
        return tr("Tunnels that route deployments to their public names.");
    }
    return {};
}

IntroductionDialog::IntroductionDialog(bool inDemo, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("introductionDialog"));
    setWindowTitle(tr("Welcome to Opsdeck"));

    auto *heading = new QLabel(tr("Welcome to Opsdeck"), this);
    QFont big = heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    heading->setFont(big);
    heading->setAccessibleName(heading->text());
    auto *about =
        new QLabel(tr("Opsdeck is one window for the platform your team runs: runners, deployments, images, "
                      "LLM budgets, contract tests, and the audit log of everything done to them. It keeps a "
                      "copy of what it reads, so it opens at once and works offline; every action asks first "
                      "and is audited."),
                   this);
    about->setWordWrap(true);

    auto *kinds = new QGroupBox(tr("Add a first connection"), this);
    auto *grid = new QGridLayout(kinds);
    const QList<ConnectionKind> all = allKinds();
    for (qsizetype i = 0; i < all.size(); ++i) {
        const ConnectionKind kind = all.at(i);
        auto *button = new QCommandLinkButton(kindDisplayName(kind), kindPurpose(kind), kinds);
        button->setObjectName(QStringLiteral("introAdd_") + kindId(kind));
        button->setAccessibleName(tr("Add a %1 connection").arg(kindDisplayName(kind)));
        button->setAccessibleDescription(kindPurpose(kind));
        connect(button, &QCommandLinkButton::clicked, this, [this, kind] {
            accept();
            emit addConnectionChosen(kind);
        });
        grid->addWidget(button, int(i / 2), int(i % 2));
        m_add.insert(kind, button);
    }

    auto *elsewhere = new QGroupBox(tr("Other ways to begin"), this);
    auto *row = new QHBoxLayout(elsewhere);
    m_join = new QCommandLinkButton(tr("Join a Team Workspace"),
                                    tr("Share people, roles, the allowlist, policies and the audit trail "
                                       "with your team on PostgreSQL."),
                                    elsewhere);
    m_join->setObjectName(QStringLiteral("introJoin"));
    m_join->setEnabled(!inDemo);
    m_demo = new QCommandLinkButton(tr("Open the Demo"),
                                    tr("A second window with sample data to try everything on; "
                                       "nothing in it reaches a real system."),
                                    elsewhere);
    m_demo->setObjectName(QStringLiteral("introDemo"));
    m_demo->setEnabled(!inDemo);
    for (QCommandLinkButton *b : {m_join, m_demo}) {
        b->setAccessibleDescription(b->description());
        row->addWidget(b);
    }
    connect(m_join, &QCommandLinkButton::clicked, this, [this] {
        accept();
        emit joinTeamChosen();
    });
    connect(m_demo, &QCommandLinkButton::clicked, this, [this] {
        accept();
        emit demoChosen();
    });

    auto *later = new QLabel(tr("You can open this again from Help › Introduction."), this);
    later->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setText(tr("&Start Without a Connection"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(about);
    layout->addWidget(kinds);
    layout->addWidget(elsewhere);
    layout->addWidget(later);
    layout->addWidget(buttons);
    resize(sizeHint().expandedTo(QSize(760, 0)));
}

} // namespace opsdeck
