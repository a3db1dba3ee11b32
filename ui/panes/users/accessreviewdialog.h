// An access review, for a superuser: everyone's role and every grant, each kept (the default) or
// revoked with a comment, then signed off with a comment. The sign-off applies the revocations in
// the store in one transaction and records when each person was reviewed; each decision and the
// sign-off are audited.
#pragma once

#include "models/workspace/accessreview.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace opsdeck {

class ReviewModel;
class WorkspaceService;

class AccessReviewDialog : public QDialog
{
    Q_OBJECT
public:
    AccessReviewDialog(const QList<ReviewDecision> &items, WorkspaceService *workspace,
                       QWidget *parent = nullptr);

    ReviewModel *model() const { return m_model; }
    QLineEdit *commentEdit() const { return m_comment; }
    QPushButton *signOffButton() const { return m_signOff; }
    QString statusText() const;

signals:
    void signedOff(bool ok);

private:
    void check();
    void signOff();

    WorkspaceService *m_workspace;
    ReviewModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QLineEdit *m_comment;
    QLabel *m_status;
    QPushButton *m_signOff;
    QString m_request;
};

} // namespace opsdeck
