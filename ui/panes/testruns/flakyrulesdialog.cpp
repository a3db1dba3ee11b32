#include "ui/panes/testruns/flakyrulesdialog.h"

#include "models/store/database.h"
#include "ui/panes/pane.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace opsdeck {

FlakyRulesDialog::FlakyRulesDialog(const FlakyRules &current, qint64 source, const QString &sourceName,
                                   QWidget *parent)
    : QDialog(parent), m_current(current), m_source(source), m_sourceName(sourceName)
{
    setWindowTitle(tr("Flaky Rules"));
    m_byRerun = new QCheckBox(tr("A case that &failed and then passed on a rerun is flaky"), this);
    m_window = new QSpinBox(this);
    m_window->setRange(3, 200);
    m_window->setSuffix(tr(" runs"));
    m_window->setToolTip(tr("How many of the source's latest runs a case's history covers."));
    m_rate = new QDoubleSpinBox(this);
    m_rate->setRange(1, 100);
    m_rate->setDecimals(0);
    m_rate->setSuffix(QStringLiteral(" %"));
    m_rate->setToolTip(tr("A case that flips between passing and failing in more than this share of its runs "
                          "is flaky."));
    m_minimum = new QSpinBox(this);
    m_minimum->setRange(2, 200);
    m_minimum->setSuffix(tr(" runs"));
    m_minimum->setToolTip(tr("With fewer runs than this in the window, the history gives no verdict."));
    auto *form = new QFormLayout;
    form->addRow(m_byRerun);
    form->addRow(tr("History &window:"), m_window);
    form->addRow(tr("Flip rate &above:"), m_rate);
    form->addRow(tr("Judge &after:"), m_minimum);
    m_previewLabel = new QLabel(this);
    m_previewLabel->setWordWrap(true);
    m_preview = Pane::previewTable({tr("Case"), tr("Now"), tr("With these rules"), tr("Evidence")},
                                   QStringLiteral("flakyPreview"), this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_previewLabel);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &FlakyRulesDialog::runPreview);
    connect(&m_watcher, &QFutureWatcher<Judgement>::finished, this, [this] {
        const Judgement result = m_watcher.result();
        m_preview->setRowCount(0);
        if (!result) {
            m_previewLabel->setText(tr("The preview cannot be made: %1").arg(result.message()));
        } else {
            const auto &[now, proposed] = result.value();
            QHash<qint64, FlakyCasesModel::Judged> before;
            for (const auto &j : now)
                before.insert(j.keyId, j);
            int added = 0, kept = 0;
            const auto name = [](const FlakyCasesModel::Judged &j) {
                return QStringList{j.suite, j.classname, j.name}.join(QStringLiteral(" › "));
            };
            for (const auto &j : proposed) {
                const bool was = before.remove(j.keyId);
                was ? ++kept : ++added;
                Pane::appendRow(m_preview, {name(j), was ? tr("flaky") : tr("not flaky"),
                                            was ? tr("flaky") : tr("newly flaky"), j.verdict.evidence});
            }
            for (const auto &j : std::as_const(before))
                Pane::appendRow(m_preview, {name(j), tr("flaky"), tr("no longer flaky"), j.verdict.evidence});
            m_previewLabel->setText(
                tr("In %1: these rules would mark %n case(s) flaky", nullptr, int(proposed.size()))
                    .arg(m_sourceName) +
                tr(" (%n newly", nullptr, added) + tr(", %n no longer).", nullptr, int(before.size())));
            Q_UNUSED(kept)
        }
        if (m_again) {
            m_again = false;
            runPreview();
        }
        emit previewShown();
    });
    for (QSpinBox *spin : {m_window, m_minimum})
        connect(spin, &QSpinBox::valueChanged, this, &FlakyRulesDialog::schedulePreview);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &FlakyRulesDialog::schedulePreview);
    connect(m_byRerun, &QCheckBox::toggled, this, &FlakyRulesDialog::schedulePreview);
    setRules(current);
    resize(720, 480);
    runPreview();
}

FlakyRulesDialog::~FlakyRulesDialog()
{
    m_watcher.waitForFinished();
}

FlakyRules FlakyRulesDialog::rules() const
{
    FlakyRules r;
    r.byRerun = m_byRerun->isChecked();
    r.window = m_window->value();
    r.flipRate = m_rate->value() / 100.0;
    r.minimumRuns = m_minimum->value();
    return r;
}

void FlakyRulesDialog::setRules(const FlakyRules &rules)
{
    m_byRerun->setChecked(rules.byRerun);
    m_window->setValue(rules.window);
    m_rate->setValue(rules.flipRate * 100);
    m_minimum->setValue(rules.minimumRuns);
}

void FlakyRulesDialog::schedulePreview()
{
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(rules() != m_current);
    m_debounce.start();
}

void FlakyRulesDialog::runPreview()
{
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(rules() != m_current);
    if (!m_source) {
        m_previewLabel->setText(tr("Select a run first to preview the rules on its source."));
        return;
    }
    if (m_watcher.isRunning()) {
        m_again = true;
        return;
    }
    m_previewLabel->setText(tr("Judging the cases of %1…").arg(m_sourceName));
    m_watcher.setFuture(
        QtConcurrent::run([source = m_source, now = m_current, proposed = rules()]() -> Judgement {
            QSqlDatabase db = Database::connection();
            auto before = FlakyCasesModel::judge(db, source, now);
            if (!before)
                return before.error();
            auto after = FlakyCasesModel::judge(db, source, proposed);
            if (!after)
                return after.error();
            return std::pair{before.value(), after.value()};
        }));
}

} // namespace opsdeck
