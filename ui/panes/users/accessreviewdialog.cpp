#include "ui/panes/users/accessreviewdialog.h"

#include "models/workspace/reviewmodel.h"
#include "services/workspace/workspaceservice.h"
#include "ui/panes/pane.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

AccessReviewDialog::AccessReviewDialog(const QList<ReviewDecision> &items, WorkspaceService *workspace,
                                       QWidget *parent)
    : QDialog(parent), m_workspace(workspace), m_model(new ReviewModel(this)),
      m_proxy(new QSortFilterProxyModel(this))
{
    setWindowTitle(tr("Access Review"));
    resize(900, 560);
    m_model->setItems(items);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    auto *intro =
        new QLabel(tr("Everyone's role and every grant. Each is kept unless you tick Revoke and say why: "
                      "a revoked grant is deleted, a revoked admin or superuser becomes a user, and a "
                      "revoked user is deactivated. Signing off applies it all at once."),
                   this);
    intro->setWordWrap(true);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter by person, role or grant"));
    m_filter->setAccessibleName(m_filter->placeholderText());
    m_filter->setClearButtonEnabled(true);
    m_view = new QTableView(this);
    m_view->setAccessibleName(tr("People and grants to review"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    Pane::setColumnWidths(m_view, {{ReviewModel::Subject, 16},
                                   {ReviewModel::Kind, 7},
                                   {ReviewModel::What, 44},
                                   {ReviewModel::Revoke, 10}});
    m_comment = new QLineEdit(this);
    m_comment->setPlaceholderText(tr("Your comment for the sign-off (required)"));
    m_comment->setAccessibleName(tr("Comment"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_signOff = buttons->addButton(tr("&Sign Off"), QDialogButtonBox::AcceptRole);
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_signOff, &QPushButton::clicked, this, &AccessReviewDialog::signOff);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_comment);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &AccessReviewDialog::check);
    connect(m_comment, &QLineEdit::textChanged, this, &AccessReviewDialog::check);
    if (m_workspace)
        connect(m_workspace, &WorkspaceService::reviewFinished, this,
                [this](const QString &request, bool ok, const QString &message) {
                    if (request != m_request)
                        return;
                    m_request.clear();
                    m_status->setText(message);
                    if (!ok)
                        check();
                    emit signedOff(ok);
                });
    check();
}

QString AccessReviewDialog::statusText() const
{
    return m_status->text();
}

void AccessReviewDialog::check()
{
    const auto valid = validateReview(m_comment->text(), m_model->decisions());
    m_signOff->setEnabled(m_workspace && m_request.isEmpty() && valid);
    m_status->setText(
        valid ? tr("%n item(s); %1 to revoke.", nullptr, m_model->rowCount()).arg(m_model->revocations())
              : valid.message());
}

void AccessReviewDialog::signOff()
{
    if (!m_workspace || !m_request.isEmpty())
        return;
    static int reviews = 0;
    m_request = QStringLiteral("review-%1").arg(++reviews);
    m_signOff->setEnabled(false);
    m_status->setText(tr("Signing off…"));
    QMetaObject::invokeMethod(
        m_workspace, "signOffReview", Qt::QueuedConnection, Q_ARG(QString, m_comment->text().trimmed()),
        Q_ARG(QList<opsdeck::ReviewDecision>, m_model->decisions()), Q_ARG(QString, m_request));
}

} // namespace opsdeck
