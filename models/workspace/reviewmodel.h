// The items of an access review being decided (models/workspace/accessreview.h): who or what, the
// role or grant, whether to revoke it (checkable) and why (editable). For the review dialog.
#pragma once

#include "models/workspace/accessreview.h"

#include <QAbstractTableModel>

namespace opsdeck {

class ReviewModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Subject, Kind, What, Revoke, Comment, ColumnCount };
    explicit ReviewModel(QObject *parent = nullptr);

    void setItems(const QList<ReviewDecision> &items);
    const QList<ReviewDecision> &decisions() const { return m_items; }
    int revocations() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<ReviewDecision> m_items;
};

} // namespace opsdeck
