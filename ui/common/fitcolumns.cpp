#include "ui/common/fitcolumns.h"

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QPointer>
#include <QTableView>

#include <memory>

namespace opsdeck {

void fitColumnsOnce(QTableView *view)
{
    QAbstractItemModel *model = view->model();
    if (!model)
        return;
    auto connections = std::make_shared<QList<QMetaObject::Connection>>();
    const auto fit = [view = QPointer<QTableView>(view), model, connections] {
        if (!view)
            return;
        if (model->rowCount() == 0) {
            keepTitlesWhole(view->horizontalHeader()); // an empty table still shows its titles whole
            return;
        }
        for (const QMetaObject::Connection &c : std::as_const(*connections))
            QObject::disconnect(c);
        view->resizeColumnsToContents();
        const int widest = 40 * view->fontMetrics().averageCharWidth();
        for (int c = 0; c < model->columnCount(); ++c)
            if (view->columnWidth(c) > widest)
                view->setColumnWidth(c, widest);
    };
    *connections << QObject::connect(model, &QAbstractItemModel::rowsInserted, view, fit)
                 << QObject::connect(model, &QAbstractItemModel::modelReset, view, fit)
                 << QObject::connect(model, &QAbstractItemModel::layoutChanged, view, fit);
    fit();
}

void keepTitlesWhole(QHeaderView *header)
{
    for (int column = 0; column < header->count(); ++column)
        if (!header->isSectionHidden(column) && header->sectionSize(column) < header->sectionSizeHint(column))
            header->resizeSection(column, header->sectionSizeHint(column));
}

} // namespace opsdeck
