// File › Import Test Results… (and what a drop onto the Test runs pane opens): which reports or
// folders, which source they belong to, and the branch and commit they tested.
#pragma once

#include "services/testruns/testrunsservice.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace opsdeck {

class ImportReportsDialog : public QDialog
{
    Q_OBJECT
public:
    // sources: the names of the sources that gather files (the combo's choices); source: the one
    // chosen before.
    ImportReportsDialog(const QStringList &paths, const QStringList &sources, const QString &source,
                        QWidget *parent = nullptr);
    ImportJob job() const;
    void addPaths(const QStringList &paths);
    QString problem() const; // why OK is off (empty: it is on)

private:
    void check();
    QListWidget *m_paths;
    QComboBox *m_source;
    QLineEdit *m_branch;
    QLineEdit *m_commit;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace opsdeck
