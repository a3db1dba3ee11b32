#include "ui/panes/testruns/importdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace opsdeck {

ImportReportsDialog::ImportReportsDialog(const QStringList &paths, const QStringList &sources,
                                         const QString &source, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Import Test Results"));
    auto *intro =
        new QLabel(tr("JUnit XML reports from pytest, Maven Surefire and Failsafe, Gradle, jest, go test, "
                      "cargo-nextest, TestNG, CTest or PHPUnit. Each report becomes one run of the "
                      "source; a folder's .xml files are imported one by one, each whole or not at all."),
                   this);
    intro->setWordWrap(true);
    m_paths = new QListWidget(this);
    m_paths->setObjectName(QStringLiteral("importPaths"));
    m_paths->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto *addFiles = new QPushButton(tr("Add &Files…"), this);
    auto *addFolder = new QPushButton(tr("Add F&older…"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    auto *pathButtons = new QVBoxLayout;
    pathButtons->addWidget(addFiles);
    pathButtons->addWidget(addFolder);
    pathButtons->addWidget(remove);
    pathButtons->addStretch();
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_paths, 1);
    pathRow->addLayout(pathButtons);

    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("importSource"));
    m_source->setEditable(true);
    m_source->addItems(sources);
    m_source->setCurrentText(source.isEmpty() ? QStringLiteral("files") : source);
    m_source->setToolTip(tr("Runs of one source make a history: new failures, flaky cases and trends are "
                            "judged within it."));
    m_branch = new QLineEdit(this);
    m_branch->setObjectName(QStringLiteral("importBranch"));
    m_branch->setPlaceholderText(tr("main"));
    m_commit = new QLineEdit(this);
    m_commit->setObjectName(QStringLiteral("importCommit"));
    m_commit->setPlaceholderText(tr("optional"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Source:"), m_source);
    form->addRow(tr("&Branch:"), m_branch);
    form->addRow(tr("&Commit:"), m_commit);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("importProblem"));
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(pathRow, 1);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(addFiles, &QPushButton::clicked, this, [this] {
        addPaths(QFileDialog::getOpenFileNames(this, tr("JUnit XML Reports"), {},
                                               tr("JUnit XML reports (*.xml);;All files (*)")));
    });
    connect(addFolder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("A Folder of Reports"));
        if (!dir.isEmpty())
            addPaths({dir});
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_paths->selectedItems());
        check();
    });
    connect(m_source, &QComboBox::currentTextChanged, this, &ImportReportsDialog::check);
    connect(m_commit, &QLineEdit::textChanged, this, &ImportReportsDialog::check);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    addPaths(paths);
    resize(620, 420);
}

void ImportReportsDialog::addPaths(const QStringList &paths)
{
    for (const QString &p : paths) {
        const QString absolute = QFileInfo(p).absoluteFilePath();
        if (m_paths->findItems(absolute, Qt::MatchExactly).isEmpty()) {
            auto *item = new QListWidgetItem(absolute, m_paths);
            item->setIcon(QIcon::fromTheme(QFileInfo(p).isDir() ? QStringLiteral("folder")
                                                                : QStringLiteral("text-xml")));
        }
    }
    check();
}

QString ImportReportsDialog::problem() const
{
    return m_problem->text();
}

void ImportReportsDialog::check()
{
    QString problem;
    const QString source = m_source->currentText().trimmed();
    const QString commit = m_commit->text().trimmed();
    for (int i = 0; i < m_paths->count() && problem.isEmpty(); ++i)
        if (!QFileInfo::exists(m_paths->item(i)->text()))
            problem = tr("%1 does not exist.").arg(m_paths->item(i)->text());
    if (problem.isEmpty() && m_paths->count() == 0)
        problem = tr("Add the reports or folders to import.");
    else if (problem.isEmpty() && (source.isEmpty() || source.size() > 200))
        problem = tr("Name the source the runs belong to (1 to 200 characters).");
    else if (problem.isEmpty() && !commit.isEmpty() &&
             !QRegularExpression(QStringLiteral("^[0-9a-fA-F]{4,64}$")).match(commit).hasMatch())
        problem = tr("A commit is given by its hash: 4 to 64 hexadecimal digits.");
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

ImportJob ImportReportsDialog::job() const
{
    ImportJob j;
    for (int i = 0; i < m_paths->count(); ++i)
        j.paths << m_paths->item(i)->text();
    j.source = m_source->currentText().trimmed();
    j.branch = m_branch->text().trimmed();
    j.commit = m_commit->text().trimmed();
    return j;
}

} // namespace opsdeck
