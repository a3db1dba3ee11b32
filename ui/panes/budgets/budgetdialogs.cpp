#include "ui/panes/budgets/budgetdialogs.h"

#include "models/budgets/budgetreset.h"
#include "models/store/database.h"
#include "ui/panes/pane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableWidget>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
// -1 in a spin box: no value (no budget, no limit).
constexpr double none = -1;

QDoubleSpinBox *amountSpin(const std::optional<double> &value, QWidget *parent)
{
    auto *spin = new QDoubleSpinBox(parent);
    spin->setRange(none, 1.0e9);
    spin->setDecimals(2);
    spin->setPrefix(QStringLiteral("$"));
    spin->setSingleStep(10);
    spin->setSpecialValueText(QObject::tr("none"));
    spin->setValue(value.value_or(none));
    spin->setAccelerated(true);
    return spin;
}

QSpinBox *limitSpin(const std::optional<qint64> &value, QWidget *parent)
{
    auto *spin = new QSpinBox(parent);
    spin->setRange(int(none), std::numeric_limits<int>::max());
    spin->setSpecialValueText(QObject::tr("no limit"));
    spin->setValue(value ? int(qMin<qint64>(*value, std::numeric_limits<int>::max())) : int(none));
    spin->setGroupSeparatorShown(true);
    spin->setAccelerated(true);
    return spin;
}
} // namespace

BudgetEditDialog::BudgetEditDialog(const BudgetNode &node, QWidget *parent) : QDialog(parent), m_node(node)
{
    setObjectName(QStringLiteral("budgetEditDialog"));
    setWindowTitle(tr("Change the Budget of %1 %2").arg(budgetKindText(node.kind), node.name));
    const BudgetFields can = editableFields(node.kind);
    m_max = amountSpin(node.maxBudget, this);
    m_max->setEnabled(can.maxBudget);
    m_max->setToolTip(tr("Requests are refused once spend reaches it (none: no budget)"));
    m_soft = amountSpin(node.softBudget, this);
    m_soft->setEnabled(can.softBudget);
    m_soft->setToolTip(can.softBudget
                           ? tr("An alert only: below the max budget")
                           : tr("The proxy's API has no soft budget for a %1").arg(targetKindId(node.kind)));
    m_duration = new QComboBox(this);
    m_duration->setEditable(true);
    m_duration->addItem(tr("never"), QString());
    for (const char *d : {"1d", "7d", "30d", "1mo"})
        m_duration->addItem(QLatin1String(d), QLatin1String(d));
    const int at = m_duration->findData(node.duration);
    if (at >= 0)
        m_duration->setCurrentIndex(at);
    else
        m_duration->setEditText(node.duration);
    m_duration->setEnabled(can.duration);
    m_duration->setToolTip(tr("The proxy's budget_duration: 30s, 12h, 1d, 7d, 30d, 1mo…"));
    m_durationWords = new QLabel(this);
    m_durationWords->setForegroundRole(QPalette::PlaceholderText);
    m_tpm = limitSpin(node.tpmLimit, this);
    m_rpm = limitSpin(node.rpmLimit, this);
    m_tpm->setEnabled(can.limits);
    m_rpm->setEnabled(can.limits);
    m_models = new QLineEdit(node.models.join(QStringLiteral(", ")), this);
    m_models->setPlaceholderText(tr("all models"));
    m_models->setEnabled(can.models);
    m_models->setToolTip(tr("Model names, separated by commas; empty: every model"));
    auto *durationRow = new QHBoxLayout;
    durationRow->addWidget(m_duration);
    durationRow->addWidget(m_durationWords, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("&Max budget:"), m_max);
    form->addRow(tr("&Soft budget:"), m_soft);
    form->addRow(tr("&Resets:"), durationRow);
    form->addRow(tr("&TPM limit:"), m_tpm);
    form->addRow(tr("R&PM limit:"), m_rpm);
    form->addRow(tr("M&odels:"), m_models);
    m_preview = Pane::previewTable({tr("Field"), tr("Before"), tr("After")},
                                   QStringLiteral("budgetEditPreview"), this);
    m_preview->setAccessibleName(tr("The change"));
    m_preview->setMinimumHeight(120);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("budgetEditProblem"));
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Apply…"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *note =
        new QLabel(tr("The values before are the cache's, from the last sync. The proxy makes the change; "
                      "Opsdeck records it in the audit log."),
                   this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Change:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_problem);
    layout->addWidget(note);
    layout->addWidget(m_buttons);
    for (QDoubleSpinBox *s : {m_max, m_soft})
        connect(s, &QDoubleSpinBox::valueChanged, this, &BudgetEditDialog::updatePreview);
    for (QSpinBox *s : {m_tpm, m_rpm})
        connect(s, &QSpinBox::valueChanged, this, &BudgetEditDialog::updatePreview);
    connect(m_duration, &QComboBox::currentTextChanged, this, &BudgetEditDialog::updatePreview);
    connect(m_models, &QLineEdit::textChanged, this, &BudgetEditDialog::updatePreview);
    resize(560, 480);
    updatePreview();
}

BudgetEdit BudgetEditDialog::edit() const
{
    const BudgetFields can = editableFields(m_node.kind);
    BudgetEdit e;
    const auto amount = [](QDoubleSpinBox *s) {
        return s->value() <= none ? std::optional<double>() : std::optional<double>(s->value());
    };
    const auto limit = [](QSpinBox *s) {
        return s->value() <= none ? std::optional<qint64>() : std::optional<qint64>(s->value());
    };
    if (can.maxBudget)
        e.maxBudget = amount(m_max);
    if (can.softBudget)
        e.softBudget = amount(m_soft);
    if (can.duration) {
        const int at = m_duration->findText(m_duration->currentText());
        e.duration = at >= 0 ? m_duration->itemData(at).toString() : m_duration->currentText().trimmed();
    }
    if (can.limits) {
        e.tpmLimit = limit(m_tpm);
        e.rpmLimit = limit(m_rpm);
    }
    if (can.models)
        e.models = m_models->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    return e;
}

Result<ProxyChange> BudgetEditDialog::change() const
{
    return editChange(m_node, edit());
}

QString BudgetEditDialog::problemText() const
{
    return m_problem->text();
}

void BudgetEditDialog::updatePreview()
{
    const BudgetEdit e = edit();
    if (e.duration && !e.duration->isEmpty()) {
        const auto cadence = parseBudgetDuration(*e.duration);
        m_durationWords->setText(cadence ? cadence->text() : QString());
    } else {
        m_durationWords->setText(e.duration ? tr("the budget never resets") : QString());
    }
    const auto c = change();
    m_preview->setRowCount(0);
    if (c)
        for (const FieldChange &f : c->changes)
            Pane::appendRow(m_preview, {f.label, f.beforeText, f.afterText});
    m_problem->setText(c ? QString() : c.message());
    QPalette palette = m_problem->palette();
    palette.setColor(QPalette::WindowText, !c && c.error().code != QLatin1String("budgets.unchanged")
                                               ? palette.color(QPalette::LinkVisited)
                                               : QPalette().color(QPalette::WindowText));
    m_problem->setPalette(palette);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(c.ok());
}

Result<DeletionScope> deletionScope(qint64 connectionId, const BudgetNode &node)
{
    DeletionScope scope;
    if (node.kind != BudgetNode::Kind::User)
        return scope;
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT alias, key_name, spend FROM litellm_keys WHERE connection_id = ? AND user_id = ? "
        "ORDER BY alias"));
    q.addBindValue(connectionId);
    q.addBindValue(node.id);
    if (!q.exec())
        return Database::describe(q.lastError(), QObject::tr("Reading the user's keys"));
    while (q.next()) {
        const QString alias = q.value(0).toString();
        scope.keys << (alias.isEmpty() ? q.value(1).toString()
                                       : QStringLiteral("%1 (%2)").arg(alias, q.value(1).toString()));
        scope.keySpend += q.value(2).toDouble();
    }
    q.prepare(QStringLiteral(
        "SELECT COALESCE(NULLIF(t.alias, ''), m.team_id) FROM litellm_team_members m LEFT JOIN "
        "litellm_teams t ON t.connection_id = m.connection_id AND t.team_id = m.team_id WHERE "
        "m.connection_id = ? AND m.user_id = ? ORDER BY 1"));
    q.addBindValue(connectionId);
    q.addBindValue(node.id);
    if (!q.exec())
        return Database::describe(q.lastError(), QObject::tr("Reading the user's teams"));
    while (q.next())
        scope.teams << q.value(0).toString();
    return scope;
}

BudgetDeleteDialog::BudgetDeleteDialog(const BudgetNode &node, const DeletionScope &scope, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("budgetDeleteDialog"));
    setWindowTitle(tr("Delete %1 %2").arg(budgetKindText(node.kind), node.name));
    QString text;
    if (node.kind == BudgetNode::Kind::User)
        text =
            tr("Deleting user %1 on the proxy also deletes every key of theirs (%2, which spent %3 in their "
               "current periods) and their place in %4 teams. Requests with those keys fail from then on. "
               "The proxy keeps no copy.")
                .arg(node.name)
                .arg(scope.keys.size())
                .arg(usdText(scope.keySpend))
                .arg(scope.teams.size());
    else
        text = tr("Deleting key %1 on the proxy makes every request with it fail from then on; its spend "
                  "logs stay. "
                  "The proxy keeps no copy.")
                   .arg(node.name);
    auto *label = new QLabel(text, this);
    label->setWordWrap(true);
    m_table = Pane::previewTable({tr("What"), tr("Name")}, QStringLiteral("budgetDeletePreview"), this);
    m_table->setAccessibleName(tr("What the deletion takes with it"));
    Pane::appendRow(m_table, {budgetKindText(node.kind), node.name});
    for (const QString &k : scope.keys)
        Pane::appendRow(m_table, {tr("Key"), k});
    for (const QString &t : scope.teams)
        Pane::appendRow(m_table, {tr("Membership of team"), t});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Delete…"));
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(520, 360);
}

} // namespace opsdeck
