// What the Images pane's source files share (imagespane.cpp, imagespane_hosts.cpp): the filter
// proxies of its tabs and two small helpers.
#pragma once

#include "models/images/imagesmodels.h"

#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>

namespace opsdeck::imagespane {

// Requests: all, or those still waiting for a decision.
class RequestFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString state; // empty: all
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (!state.isEmpty() &&
            sourceModel()->index(row, 0, parent).data(ImageRequestsModel::StateRole).toString() != state)
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }
};

// Exposure: only the exposed containers, or all running ones.
class ExposedFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    bool exposedOnly = true;
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (exposedOnly && !sourceModel()->index(row, 0, parent).data(ExposureModel::ExposedRole).toBool())
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }
};

// Host images: all, or one state (in use, unused, dangling), plus the text filter.
class HostImageFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString state;
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (!state.isEmpty() &&
            sourceModel()->index(row, 0, parent).data(HostImagesModel::StateRole).toString() != state)
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }
};

inline QSortFilterProxyModel *textFilter(QSortFilterProxyModel *proxy, QLineEdit *edit)
{
    proxy->setFilterKeyColumn(-1);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    QObject::connect(edit, &QLineEdit::textChanged, proxy, &QSortFilterProxyModel::setFilterFixedString);
    return proxy;
}

inline QModelIndex selectedSource(QTableView *view, QSortFilterProxyModel *proxy)
{
    const QModelIndexList rows =
        view && view->selectionModel() ? view->selectionModel()->selectedRows() : QModelIndexList();
    return rows.isEmpty() ? QModelIndex() : proxy->mapToSource(rows.first());
}

} // namespace opsdeck::imagespane
