#include "ui/panes/testruns/retentiondialog.h"

#include "services/testruns/testrunsservice.h"
#include "ui/common/requestid.h"
#include "ui/panes/pane.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace opsdeck {

RetentionDialog::RetentionDialog(const RetentionRules &current, TestRunsService *service, QWidget *parent)
    : QDialog(parent), m_current(current), m_service(service)
{
    setWindowTitle(tr("Test Run Retention"));
    m_days = new QSpinBox(this);
    m_days->setObjectName(QStringLiteral("keepDays"));
    m_days->setRange(0, 3650);
    m_days->setSpecialValueText(tr("forever"));
    m_days->setSuffix(tr(" days"));
    m_days->setToolTip(
        tr("Runs that started longer ago than this are removed, with their golden artifacts."));
    m_runs = new QSpinBox(this);
    m_runs->setObjectName(QStringLiteral("keepRuns"));
    m_runs->setRange(0, 100000);
    m_runs->setSpecialValueText(tr("all"));
    m_runs->setSuffix(tr(" runs"));
    m_runs->setToolTip(tr("Of each source, only this many of its newest runs stay."));
    auto *form = new QFormLayout;
    form->addRow(tr("Keep runs for:"), m_days);
    form->addRow(tr("Keep the newest of each source:"), m_runs);
    auto *note = new QLabel(tr("Saved limits are applied when Opsdeck starts and after each import. Runs you "
                               "keep (the run list's context menu, Keep Through Cleanups) always stay. Mock "
                               "health samples go with the age limit, but never sooner than the 7-day uptime "
                               "needs."),
                            this);
    note->setWordWrap(true);
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("retentionPreview"));
    m_preview->setWordWrap(true);
    m_table =
        Pane::previewTable({tr("Source"), tr("Runs removed")}, QStringLiteral("retentionPreviewTable"), this);
    m_table->setAccessibleName(tr("Runs each cleanup removes"));
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_cleanUp = m_buttons->addButton(tr("Clean &Up Now"), QDialogButtonBox::ActionRole);
    m_cleanUp->setObjectName(QStringLiteral("cleanUpNow"));
    m_cleanUp->setEnabled(false);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_preview);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_previewed.runs > 0 && rules() != m_current) {
            const auto answer =
                QMessageBox::question(this, tr("Save Retention Limits"),
                                      tr("With these limits the next cleanup removes %n run(s). Save them?",
                                         nullptr, m_previewed.runs),
                                      QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Cancel);
            if (answer != QMessageBox::Save)
                return;
        }
        accept();
    });
    connect(m_cleanUp, &QPushButton::clicked, this, [this] { cleanUpNow(); });
    if (m_service) {
        connect(m_service, &TestRunsService::retentionPreviewed, this,
                [this](quint64 job, bool ok, const QString &message, const RetentionSummary &summary) {
                    if (job != m_previewJob)
                        return;
                    m_previewJob = 0;
                    if (!ok) {
                        m_previewed = {};
                        m_table->setRowCount(0);
                        m_preview->setText(tr("The preview cannot be made: %1").arg(message));
                        m_cleanUp->setEnabled(false);
                    } else {
                        showPreview(message, summary);
                    }
                    emit previewShown();
                });
        connect(m_service, &TestRunsService::cleanedUp, this,
                [this](quint64 job, bool ok, const QString &message, const RetentionSummary &) {
                    if (job != m_cleanJob || !job)
                        return;
                    m_cleanJob = 0;
                    m_message->setText(message);
                    setEnabled(true);
                    runPreview();
                    emit cleanedUp(ok);
                });
    }

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &RetentionDialog::runPreview);
    setRules(current);
    connect(m_days, &QSpinBox::valueChanged, this, &RetentionDialog::schedulePreview);
    connect(m_runs, &QSpinBox::valueChanged, this, &RetentionDialog::schedulePreview);
    resize(560, 420);
    runPreview();
}

RetentionRules RetentionDialog::rules() const
{
    RetentionRules r;
    r.maxAgeDays = m_days->value();
    r.maxRunsPerSource = m_runs->value();
    return r;
}

void RetentionDialog::setRules(const RetentionRules &rules)
{
    m_days->setValue(rules.maxAgeDays);
    m_runs->setValue(rules.maxRunsPerSource);
}

void RetentionDialog::schedulePreview()
{
    m_cleanUp->setEnabled(false);
    m_debounce.start();
}

void RetentionDialog::runPreview()
{
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(rules() != m_current);
    if (!m_service) {
        m_preview->setText(tr("No preview: the test runs' worker is not running."));
        return;
    }
    m_preview->setText(tr("Looking at what these limits would remove…"));
    m_previewJob = nextRequestId();
    QMetaObject::invokeMethod(m_service, [service = m_service, job = m_previewJob, rules = rules()] {
        service->previewRetention(job, rules);
    });
}

void RetentionDialog::showPreview(const QString &message, const RetentionSummary &summary)
{
    m_previewed = summary;
    m_preview->setText(message);
    m_table->setRowCount(0);
    for (const auto &[name, count] : summary.bySource)
        Pane::appendRow(m_table, {name, QLocale().toString(count)});
    m_cleanUp->setEnabled(!summary.isEmpty() && !m_debounce.isActive());
}

void RetentionDialog::cleanUpNow(bool ask)
{
    if (!m_service || m_previewed.isEmpty())
        return;
    if (ask) {
        QMessageBox box(QMessageBox::Warning, tr("Clean Up Test Runs"),
                        tr("Remove %n run(s) now?", nullptr, m_previewed.runs), QMessageBox::Cancel, this);
        box.setInformativeText(retentionSummaryText(m_previewed, true) + QStringLiteral("\n\n") +
                               tr("Removed runs and their artifacts cannot be brought back. The cleanup is "
                                  "recorded in the audit log."));
        QPushButton *remove = box.addButton(tr("&Remove"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != remove)
            return;
    }
    m_message->setText(tr("Cleaning up…"));
    setEnabled(false);
    m_cleanJob = nextRequestId();
    QMetaObject::invokeMethod(m_service, [service = m_service, job = m_cleanJob, rules = rules()] {
        service->cleanUp(job, rules);
    });
}

} // namespace opsdeck
