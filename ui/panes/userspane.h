// The Users pane: everyone in the team workspace, from the cache's copy (so it opens at once and
// reads offline, with the copy's age shown): login, name, email, role, active, GitHub login,
// runners owned, last seen; filters by role, state and text; sortable. The detail under the list
// answers "why can (or can't) this person do this?" for the actions of every pane, naming the
// grant that decides. Until this desktop joins a team workspace, the pane says how.
#pragma once

#include "ui/panes/pane.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace opsdeck {

class GrantsModel;
class PeopleModel;

class UsersPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    explicit UsersPane(ConnectionsModel *connections, QWidget *parent = nullptr);

    PeopleModel *model() const { return m_people; }
    QSortFilterProxyModel *proxy() const;
    QTableView *view() const { return m_view; }
    QComboBox *roleCombo() const { return m_role; }
    QComboBox *stateCombo() const { return m_state; }
    QLineEdit *filterEdit() const { return m_filter; }
    QString detailText() const;
    QString stateText() const;

private:
    void showDetail();
    void updateState();

    PeopleModel *m_people;
    GrantsModel *m_grants;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QComboBox *m_role = nullptr;
    QComboBox *m_state = nullptr;
    QLineEdit *m_filter = nullptr;
    QTextBrowser *m_detail = nullptr;
    QLabel *m_stateLabel = nullptr;
};

} // namespace opsdeck
