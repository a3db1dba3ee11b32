// Columns sized to what a table first shows: once its model has rows, each column is made as wide
// as its contents (at most 40 characters), then left to the person to resize.
#pragma once

class QHeaderView;
class QTableView;

namespace opsdeck {

void fitColumnsOnce(QTableView *view);

// Widens each shown column that is narrower than its title to the title's width (titles run longer in
// some languages than the widths a pane chose for the English ones); wider columns stay as they are.
void keepTitlesWhole(QHeaderView *header);

} // namespace opsdeck
