#include "models/workspace/reviewmodel.h"

namespace opsdeck {

ReviewModel::ReviewModel(QObject *parent) : QAbstractTableModel(parent) {}

void ReviewModel::setItems(const QList<ReviewDecision> &items)
{
    beginResetModel();
    m_items = items;
    endResetModel();
}

int ReviewModel::revocations() const
{
    return int(
        std::count_if(m_items.cbegin(), m_items.cend(), [](const ReviewDecision &d) { return d.revoke; }));
}

int ReviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int ReviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const ReviewDecision &d = m_items.at(index.row());
    if (role == Qt::CheckStateRole && index.column() == Revoke)
        return d.revoke ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::DisplayRole || role == Qt::EditRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Subject:
            return d.person;
        case Kind:
            return d.kind == ReviewDecision::Kind::Role ? tr("role") : tr("grant");
        case What:
            return d.what;
        case Revoke:
            return role == Qt::DisplayRole ? (d.revoke ? tr("revoke") : tr("keep")) : QVariant();
        case Comment:
            return d.comment;
        }
    }
    return {};
}

bool ReviewModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_items.size())
        return false;
    ReviewDecision &d = m_items[index.row()];
    if (index.column() == Revoke && role == Qt::CheckStateRole) {
        d.revoke = Qt::CheckState(value.toInt()) == Qt::Checked;
    } else if (index.column() == Comment && role == Qt::EditRole) {
        d.comment = value.toString().left(2000);
    } else {
        return false;
    }
    emit dataChanged(index.siblingAtColumn(0), index.siblingAtColumn(ColumnCount - 1));
    return true;
}

Qt::ItemFlags ReviewModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.column() == Revoke)
        f |= Qt::ItemIsUserCheckable;
    if (index.column() == Comment)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ReviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Subject:
        return tr("Who");
    case Kind:
        return tr("Kind");
    case What:
        return tr("Role or grant");
    case Revoke:
        return tr("Decision");
    case Comment:
        return tr("Why");
    }
    return {};
}

} // namespace opsdeck
