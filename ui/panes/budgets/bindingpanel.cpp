#include "ui/panes/budgets/bindingpanel.h"
#include "ui/common/tones.h"

#include "models/budgets/budgettree.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "ui/panes/pane.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
enum Column { Level, Name, Spend, Max, Remaining, Resets };
}

BindingPanel::BindingPanel(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("bindingTitle"));
    onPaletteChange(this, [this] { showVerdict(); }); // the refusing limit's colour for the new palette
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_table = Pane::previewTable(
        {tr("Limit"), tr("Name"), tr("Spend"), tr("Max budget"), tr("Remaining"), tr("Next reset")},
        QStringLiteral("bindingChain"), this);
    m_table->setAccessibleName(tr("Limits a request passes"));
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_cost = new QDoubleSpinBox(this);
    m_cost->setObjectName(QStringLiteral("whatIfCost"));
    m_cost->setPrefix(QStringLiteral("$"));
    m_cost->setDecimals(4);
    m_cost->setRange(0, 1e6);
    m_cost->setSingleStep(0.01);
    m_cost->setSpecialValueText(tr("any request"));
    m_cost->setToolTip(tr("The cost of a request: which limit would refuse it"));
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("bindingVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *whatIf = new QFormLayout;
    whatIf->addRow(tr("&What if a request costs:"), m_cost);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
    layout->addLayout(whatIf);
    layout->addWidget(m_verdict);
    connect(m_cost, &QDoubleSpinBox::valueChanged, this, &BindingPanel::showVerdict);
    connect(&m_watcher, &QFutureWatcher<Result<SubjectChain>>::finished, this, &BindingPanel::onLoaded);
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                for (const QString &t : tables)
                    if (t.startsWith(QLatin1String("litellm_")) && m_subject)
                        return load();
            });
    clear(tr("Select a key, a user, a team or a team member to see which limit stops its requests."));
}

BindingPanel::~BindingPanel()
{
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

void BindingPanel::setSubject(qint64 connectionId, const BudgetSubject &subject)
{
    m_connectionId = connectionId;
    m_subject = subject;
    load();
}

void BindingPanel::clear(const QString &hint)
{
    m_subject.reset();
    m_chain = {};
    m_title->setText(tr("Which limit binds"));
    m_table->setRowCount(0);
    m_cost->setEnabled(false);
    m_verdict->setText(hint);
}

QString BindingPanel::explanation() const
{
    return m_verdict->text();
}

void BindingPanel::load()
{
    if (m_watcher.isRunning()) {
        m_loadAgain = true;
        return;
    }
    m_watcher.setFuture(
        QtConcurrent::run([id = m_connectionId, subject = *m_subject]() -> Result<SubjectChain> {
            QSqlDatabase db = Database::connection();
            if (!db.isOpen())
                return makeError("db.closed", tr("The cache database is not open."));
            return loadLimitChain(db, id, subject, QDateTime::currentDateTimeUtc());
        }));
}

void BindingPanel::onLoaded()
{
    if (m_loadAgain) {
        m_loadAgain = false;
        if (m_subject)
            return load();
    }
    if (!m_subject)
        return;
    const auto result = m_watcher.result();
    if (!result) {
        m_chain = {};
        m_table->setRowCount(0);
        m_cost->setEnabled(false);
        m_verdict->setText(result.message());
        emit shown();
        return;
    }
    m_chain = result.value();
    m_title->setText(tr("Which limit binds: %1").arg(m_chain.subject));
    m_table->setRowCount(0);
    for (const BudgetLimit &l : std::as_const(m_chain.chain.limits)) {
        const auto left = l.remaining();
        QString level = l.levelName();
        level[0] = level.at(0).toUpper();
        Pane::appendRow(
            m_table, {level, l.name, usdText(l.spend), l.maxBudget ? usdText(*l.maxBudget) : tr("none"),
                      left ? usdText(*left) : QString(),
                      l.resetAt.isValid() ? QLocale().toString(l.resetAt.toLocalTime(), QLocale::ShortFormat)
                                          : tr("never")});
        if (l.blocked)
            m_table->item(m_table->rowCount() - 1, Remaining)->setText(tr("blocked"));
    }
    m_cost->setEnabled(!m_chain.chain.limits.isEmpty());
    showVerdict();
    emit shown();
}

void BindingPanel::showVerdict()
{
    if (m_chain.chain.limits.isEmpty()) {
        if (m_subject)
            m_verdict->setText(tr("No budget applies to %1: nothing limits its spend.").arg(m_chain.subject));
        return;
    }
    const BindingVerdict v = resolveBinding(m_chain.chain, m_cost->value());
    for (int row = 0; row < m_table->rowCount(); ++row) {
        for (int c = 0; c < m_table->columnCount(); ++c) {
            QTableWidgetItem *item = m_table->item(row, c);
            QFont f = item->font();
            f.setBold(row == v.refusing || (v.refusing < 0 && row == v.bindsFirst));
            item->setFont(f);
            item->setForeground(row == v.refusing ? QBrush(toneColour(Tone::Bad)) : QBrush());
        }
    }
    m_verdict->setText(v.explanation);
}

} // namespace opsdeck
