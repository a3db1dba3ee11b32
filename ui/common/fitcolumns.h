// Columns sized to what a table first shows: once its model has rows, each column is made as wide
// as its contents (at most 40 characters), then left to the person to resize.
#pragma once

class QTableView;

namespace opsdeck {

void fitColumnsOnce(QTableView *view);

} // namespace opsdeck
