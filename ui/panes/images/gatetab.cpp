#include "ui/panes/images/gatetab.h"

#include "models/images/gatemodels.h"
#include "models/store/database.h"
#include "ui/panes/pane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace opsdeck {

namespace {
// Exceptions: those in force, or all of them with the expired ones.
class ExceptionFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    bool withExpired = false;
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        return withExpired ||
               !sourceModel()->index(row, 0, parent).data(CveExceptionsModel::ExpiredRole).toBool();
    }
};

QLabel *note(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}
} // namespace

GateTab::GateTab(QWidget *parent)
    : QWidget(parent), m_settings(new GateSettingsModel(this)), m_exceptions(new CveExceptionsModel(this)),
      m_exceptionProxy(new ExceptionFilter(this))
{
    m_settingsView = new QTableView(this);
    Pane::setUpTable(m_settingsView, m_settings, -1, QStringLiteral("gateSettingsView"));
    m_settingsView->setSortingEnabled(false);
    Pane::setColumnWidths(m_settingsView, {{GateSettingsModel::Scope, 30},
                                           {GateSettingsModel::Threshold, 22},
                                           {GateSettingsModel::NeverScanned, 16},
                                           {GateSettingsModel::InForce, 46},
                                           {GateSettingsModel::ChangedBy, 12},
                                           {GateSettingsModel::Changed, 20}});
    m_change = new QPushButton(tr("C&hange Gate…"), this);
    m_change->setObjectName(QStringLiteral("changeGateButton"));
    m_exceptionsView = new QTableView(this);
    Pane::setUpTable(m_exceptionsView, m_exceptionProxy, m_exceptions, CveExceptionsModel::Expires,
                     QStringLiteral("cveExceptionsView"));
    Pane::setColumnWidths(m_exceptionsView, {{CveExceptionsModel::Cve, 20},
                                             {CveExceptionsModel::Covers, 44},
                                             {CveExceptionsModel::Project, 14},
                                             {CveExceptionsModel::State, 20},
                                             {CveExceptionsModel::Expires, 14},
                                             {CveExceptionsModel::GrantedBy, 12}});
    m_showExpired = new QCheckBox(tr("Show e&xpired"), this);
    m_grant = new QPushButton(tr("&Grant Exception…"), this);
    m_grant->setObjectName(QStringLiteral("grantExceptionButton"));
    m_revoke = new QPushButton(tr("Re&voke Exception…"), this);
    m_revoke->setObjectName(QStringLiteral("revokeExceptionButton"));

    auto *settingsButtons = new QHBoxLayout;
    settingsButtons->addStretch(1);
    settingsButtons->addWidget(m_change);
    auto *exceptionButtons = new QHBoxLayout;
    exceptionButtons->addWidget(m_showExpired);
    exceptionButtons->addStretch(1);
    exceptionButtons->addWidget(m_grant);
    exceptionButtons->addWidget(m_revoke);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(
        note(tr("Deploys and <b>opsdeck images check</b> refuse images whose scan shows a finding at "
                "the threshold or above, unless exceptions cover every such finding. A project's "
                "setting can only make its gate stricter than the workspace's."),
             this));
    layout->addWidget(m_settingsView, 1);
    layout->addLayout(settingsButtons);
    layout->addWidget(
        note(tr("<b>CVE exceptions</b>: a finding let through for an image or a project until the "
                "exception expires."),
             this));
    layout->addWidget(m_exceptionsView, 2);
    layout->addLayout(exceptionButtons);

    connect(m_change, &QPushButton::clicked, this, &GateTab::openChange);
    connect(m_grant, &QPushButton::clicked, this, &GateTab::openGrant);
    connect(m_revoke, &QPushButton::clicked, this, &GateTab::openRevoke);
    connect(m_settingsView, &QTableView::doubleClicked, this, [this] {
        if (m_change->isEnabled())
            openChange();
    });
    connect(m_showExpired, &QCheckBox::toggled, this, [this](bool on) {
        auto *proxy = static_cast<ExceptionFilter *>(m_exceptionProxy);
        proxy->withExpired = on;
        proxy->apply();
    });
    for (QTableView *view : {m_settingsView, m_exceptionsView})
        connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                &GateTab::updateButtons);
    updateButtons();
}

void GateTab::setEditable(bool editable)
{
    m_editable = editable;
    updateButtons();
}

QString GateTab::selectedScope() const
{
    const QModelIndexList rows = m_settingsView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(GateSettingsModel::ProjectRole).toString();
}

void GateTab::updateButtons()
{
    const QString why = m_editable ? QString() : tr("No workspace is open: the gate cannot change here.");
    m_change->setEnabled(m_editable);
    m_grant->setEnabled(m_editable);
    m_revoke->setEnabled(m_editable && m_exceptionsView->selectionModel()->hasSelection());
    for (QPushButton *b : {m_change, m_grant, m_revoke})
        b->setStatusTip(why);
}

void GateTab::openChange()
{
    // The setting as the model has it (the workspace's when nothing is selected).
    GateSetting current;
    const QModelIndexList rows = m_settingsView->selectionModel()->selectedRows();
    const QModelIndex row = rows.isEmpty() ? m_settings->index(0, 0) : rows.first();
    if (row.isValid()) {
        current.project = row.data(GateSettingsModel::ProjectRole).toString();
        const QString threshold = row.data(GateSettingsModel::ThresholdRole).toString();
        current.threshold = threshold.isEmpty() ? std::nullopt : severityFromText(threshold);
        current.blockUnscanned = row.data(GateSettingsModel::BlockUnscannedRole).toBool();
    }
    GateSettingDialog dialog(current, this);
    if (dialog.exec() == QDialog::Accepted)
        emit changesRequested({dialog.change()});
}

void GateTab::openGrant()
{
    ExceptionDialog dialog(m_projectNames, this);
    if (dialog.exec() == QDialog::Accepted)
        emit changesRequested({dialog.change()});
}

void GateTab::openRevoke()
{
    const QModelIndexList rows = m_exceptionsView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const QModelIndex source = m_exceptionProxy->mapToSource(rows.first());
    const QString cve = m_exceptions->index(source.row(), CveExceptionsModel::Cve).data().toString();
    bool ok = false;
    const QString comment =
        QInputDialog::getMultiLineText(this, tr("Revoke the Exception for %1").arg(cve),
                                       tr("Why it ends now (kept in the audit log); images with %1 are "
                                          "blocked again where the gate applies:")
                                           .arg(cve),
                                       QString(), &ok);
    if (!ok)
        return;
    ImageChange c;
    c.kind = ImageChange::Kind::RevokeException;
    c.id = source.data(CacheTableModel::KeyRole).toLongLong();
    c.text = cve;
    c.project = source.data(CveExceptionsModel::ProjectRole).toString();
    c.reason = comment.trimmed();
    emit changesRequested({c});
}

// ---- changing a setting ----

GateSettingDialog::GateSettingDialog(const GateSetting &current, QWidget *parent)
    : QDialog(parent), m_current(current)
{
    setWindowTitle(current.project.isEmpty() ? tr("Vulnerability Gate of the Workspace")
                                             : tr("Vulnerability Gate of Project %1").arg(current.project));
    m_threshold = new QComboBox(this);
    m_threshold->addItem(tr("Nothing: no severity blocks"), QString());
    const QList<Severity> levels = gateThresholds();
    for (auto it = levels.crbegin(); it != levels.crend(); ++it)
        m_threshold->addItem(*it == Severity::Critical ? severityText(*it)
                                                       : tr("%1 and above").arg(severityText(*it)),
                             severityText(*it));
    m_unscanned = new QCheckBox(tr("Block images that were &never scanned"), this);
    m_comment = new QPlainTextEdit(this);
    m_comment->setTabChangesFocus(true);
    m_comment->setPlaceholderText(tr("Why the gate changes: kept with it and in the audit log"));
    m_comment->setFixedHeight(m_comment->fontMetrics().lineSpacing() * 3 + 12);
    auto *form = new QFormLayout;
    form->addRow(tr("&Block findings at:"), m_threshold);
    form->addRow(QString(), m_unscanned);
    form->addRow(tr("&Comment:"), m_comment);
    m_previewLabel = new QLabel(this);
    m_previewLabel->setObjectName(QStringLiteral("gatePreviewLabel"));
    m_previewLabel->setWordWrap(true);
    m_preview =
        Pane::previewTable({tr("What"), tr("Name"), tr("Where"), tr("Image"), tr("Why it would be blocked")},
                           QStringLiteral("gatePreview"), this);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_previewLabel);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    m_threshold->setCurrentIndex(
        qMax(0, m_threshold->findData(current.threshold ? severityText(*current.threshold) : QString())));
    m_unscanned->setChecked(current.blockUnscanned);
    connect(&m_watcher, &QFutureWatcher<Result<QList<GatePreviewRow>>>::finished, this, [this] {
        m_pending = false;
        if (m_again) {
            m_again = false;
            return refreshPreview();
        }
        const Result<QList<GatePreviewRow>> rows = m_watcher.result();
        m_preview->setRowCount(0);
        if (!rows) {
            m_previewLabel->setText(tr("What this would block cannot be read: %1").arg(rows.message()));
        } else if (rows->isEmpty()) {
            m_previewLabel->setText(tr("Nothing that runs now, was deployed in the last 30 days or is on the "
                                       "allowlist would be newly blocked."));
        } else {
            m_previewLabel->setText(tr("<b>This would newly block %1</b> (running containers are not "
                                       "stopped; their next deploy is "
                                       "refused):")
                                        .arg(tr("%n item(s)", nullptr, int(rows->size()))));
            for (const GatePreviewRow &r : rows.value())
                Pane::appendRow(m_preview, {gateSubjectKindText(r.subject.kind), r.subject.name,
                                            r.subject.where, r.subject.image.toString(), r.verdict.reason});
            m_preview->resizeColumnsToContents();
        }
        check();
    });
    connect(m_threshold, &QComboBox::currentIndexChanged, this, &GateSettingDialog::refreshPreview);
    connect(m_unscanned, &QCheckBox::toggled, this, &GateSettingDialog::refreshPreview);
    connect(m_comment, &QPlainTextEdit::textChanged, this, &GateSettingDialog::check);
    resize(820, 520);
    refreshPreview();
}

GateSettingDialog::~GateSettingDialog()
{
    m_watcher.waitForFinished();
}

GateSetting GateSettingDialog::proposed() const
{
    GateSetting s = m_current;
    const QString threshold = m_threshold->currentData().toString();
    s.threshold = threshold.isEmpty() ? std::nullopt : severityFromText(threshold);
    s.blockUnscanned = m_unscanned->isChecked();
    s.comment = m_comment->toPlainText().trimmed();
    return s;
}

ImageChange GateSettingDialog::change() const
{
    const GateSetting s = proposed();
    ImageChange c;
    c.kind = ImageChange::Kind::SetGate;
    c.project = s.project;
    c.text = s.threshold ? severityText(*s.threshold) : QString();
    c.blockUnscanned = s.blockUnscanned;
    c.reason = s.comment;
    return c;
}

void GateSettingDialog::setProposed(std::optional<Severity> threshold, bool blockUnscanned)
{
    m_threshold->setCurrentIndex(
        qMax(0, m_threshold->findData(threshold ? severityText(*threshold) : QString())));
    m_unscanned->setChecked(blockUnscanned);
}

void GateSettingDialog::refreshPreview()
{
    if (m_pending) {
        m_again = true;
        return;
    }
    const GateSetting s = proposed();
    if (!VulnGate({m_current}).stricter(s)) {
        m_preview->setRowCount(0);
        m_previewLabel->setText(tr("Not stricter than the setting in force: nothing is newly blocked."));
        return check();
    }
    m_pending = true;
    m_previewLabel->setText(tr("Looking for what this would block…"));
    m_watcher.setFuture(QtConcurrent::run(
        [s] { return previewGateChange(Database::connection(), s, QDateTime::currentDateTimeUtc()); }));
    check();
}

void GateSettingDialog::check()
{
    const GateSetting s = proposed();
    QString problem;
    if (s.threshold == m_current.threshold && s.blockUnscanned == m_current.blockUnscanned)
        problem = tr("Choose a threshold or the never-scanned rule that differs from the one in force.");
    else if (s.comment.isEmpty())
        problem = tr("Say why the gate changes: the comment is kept with it and in the audit log.");
    m_problem->setText(problem);
    QPushButton *save = m_buttons->button(QDialogButtonBox::Save);
    save->setEnabled(problem.isEmpty() && !m_pending);
    save->setText(m_preview->rowCount() > 0 ? tr("&Save and Block") : tr("&Save"));
}

// ---- granting an exception ----

ExceptionDialog::ExceptionDialog(const QStringList &projects, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Grant a CVE Exception"));
    m_cve = new QLineEdit(this);
    m_cve->setPlaceholderText(tr("CVE-2024-6119"));
    m_image = new QLineEdit(this);
    m_image->setPlaceholderText(
        tr("registry.example.com/team/app:1.4-* (empty: every image of the project)"));
    m_project = new QComboBox(this);
    m_project->addItem(tr("Every project"), QString());
    for (const QString &p : projects)
        m_project->addItem(tr("Project %1").arg(p), p);
    m_reason = new QPlainTextEdit(this);
    m_reason->setTabChangesFocus(true);
    m_reason->setPlaceholderText(tr("Why the finding may run for now (not exploitable here, fix pending…)"));
    m_reason->setFixedHeight(m_reason->fontMetrics().lineSpacing() * 3 + 12);
    m_expires = new QDateEdit(QDate::currentDate().addDays(30), this);
    m_expires->setCalendarPopup(true);
    m_expires->setMinimumDate(QDate::currentDate().addDays(1));
    auto *form = new QFormLayout;
    form->addRow(tr("&CVE:"), m_cve);
    form->addRow(tr("&Image:"), m_image);
    form->addRow(tr("&Project:"), m_project);
    form->addRow(tr("&Reason:"), m_reason);
    form->addRow(tr("E&xpires on:"), m_expires);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Grant"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    for (QLineEdit *edit : {m_cve, m_image})
        connect(edit, &QLineEdit::textChanged, this, &ExceptionDialog::check);
    connect(m_project, &QComboBox::currentIndexChanged, this, &ExceptionDialog::check);
    connect(m_reason, &QPlainTextEdit::textChanged, this, &ExceptionDialog::check);
    connect(m_expires, &QDateEdit::dateChanged, this, &ExceptionDialog::check);
    resize(560, sizeHint().height());
    check();
}

ImageChange ExceptionDialog::change() const
{
    ImageChange c;
    c.kind = ImageChange::Kind::GrantException;
    c.text = m_cve->text().trimmed();
    c.image = m_image->text().trimmed();
    c.project = m_project->currentData().toString();
    c.reason = m_reason->toPlainText().trimmed();
    c.expires = QDateTime(m_expires->date(), QTime(0, 0), QTimeZone::utc());
    return c;
}

void ExceptionDialog::check()
{
    const auto valid = validateImageChange(change(), QDateTime::currentDateTimeUtc());
    m_problem->setText(valid ? QString() : valid.message());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid.ok());
}

} // namespace opsdeck
