#include "ui/panes/budgets/policydialogs.h"
#include "ui/common/tones.h"

#include "models/budgets/budgettree.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
QLabel *problemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setObjectName(QStringLiteral("problem"));
    label->setForegroundRole(QPalette::BrightText);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, toneColour(Tone::Bad));
    label->setPalette(p);
    return label;
}

void showProblem(QLabel *label, QDialogButtonBox *buttons, const QString &problem)
{
    label->setText(problem);
    label->setVisible(!problem.isEmpty());
    buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}
} // namespace

// ---- BudgetPolicyDialog

BudgetPolicyDialog::BudgetPolicyDialog(const QStringList &connections,
                                       const QHash<QString, QStringList> &known, QWidget *parent)
    : QDialog(parent), m_known(known)
{
    setWindowTitle(tr("Set a Budget Policy"));
    m_connection = new QComboBox(this);
    m_connection->addItems(connections);
    m_scope = new QComboBox(this);
    for (PolicyScope s : policyScopes())
        m_scope->addItem(policyScopeText(s), int(s));
    m_scopeId = new QLineEdit(this);
    m_scopeId->setPlaceholderText(tr("The organization id, group name, team id or user id"));
    m_item = new QComboBox(this);
    for (PolicyItem i : policyItems())
        m_item->addItem(policyItemText(i), int(i));
    m_names = new QLineEdit(this);
    m_names->setPlaceholderText(tr("Names, separated by commas; * for every model"));
    m_namesLabel = new QLabel(tr("&Names:"), this);
    m_namesLabel->setBuddy(m_names);
    m_allowed = new QCheckBox(tr("&Allowed"), this);
    m_comment = new QLineEdit(this);
    m_comment->setPlaceholderText(tr("Why (kept with the policy and in the audit log)"));
    m_problem = problemLabel(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Set Policy"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Connection:"), m_connection);
    form->addRow(tr("&Scope:"), m_scope);
    form->addRow(tr("&For:"), m_scopeId);
    form->addRow(tr("&Item:"), m_item);
    form->addRow(m_namesLabel, m_names);
    form->addRow(QString(), m_allowed);
    form->addRow(tr("C&omment:"), m_comment);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QComboBox *combo : {m_connection, m_scope, m_item})
        connect(combo, &QComboBox::currentIndexChanged, this, &BudgetPolicyDialog::update);
    for (QLineEdit *edit : {m_scopeId, m_names, m_comment})
        connect(edit, &QLineEdit::textChanged, this, &BudgetPolicyDialog::update);
    connect(m_allowed, &QCheckBox::toggled, this, &BudgetPolicyDialog::update);
    resize(520, sizeHint().height());
    update();
}

void BudgetPolicyDialog::setRecord(const PolicyRecord &r)
{
    m_connection->setCurrentText(r.connection);
    m_scope->setCurrentIndex(m_scope->findData(int(r.scope)));
    m_scopeId->setText(r.scopeId);
    m_item->setCurrentIndex(m_item->findData(int(r.item)));
    m_names->setText(r.values.join(QStringLiteral(", ")));
    m_allowed->setChecked(r.enabled);
    update();
}

Result<BudgetRecordChange> BudgetPolicyDialog::change() const
{
    BudgetRecordChange c;
    c.kind = BudgetRecordChange::Kind::SetPolicy;
    c.policy.connection = m_connection->currentText();
    c.policy.scope = PolicyScope(m_scope->currentData().toInt());
    c.policy.scopeId = m_scopeId->text();
    c.policy.item = PolicyItem(m_item->currentData().toInt());
    c.policy.values = m_names->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    c.policy.enabled = m_allowed->isChecked();
    c.comment = m_comment->text().trimmed();
    if (auto valid = validateBudgetRecordChange(c); !valid)
        return valid.error();
    c.policy = checkPolicy(c.policy).value(); // names trimmed, sorted, once
    return c;
}

QString BudgetPolicyDialog::problemText() const
{
    return m_problem->text();
}

void BudgetPolicyDialog::update()
{
    const auto item = PolicyItem(m_item->currentData().toInt());
    const bool list = isListItem(item);
    m_names->setVisible(list);
    m_namesLabel->setVisible(list);
    m_allowed->setVisible(!list);
    const QString scopeKey = policyScopeKey(PolicyScope(m_scope->currentData().toInt()));
    if (const QString completing = scopeKey + QLatin1Char('/') + policyItemKey(item);
        completing != m_completing) {
        m_completing = completing;
        delete m_scopeId->completer();
        auto *ids = new QCompleter(m_known.value(scopeKey), m_scopeId);
        ids->setCaseSensitivity(Qt::CaseInsensitive);
        m_scopeId->setCompleter(ids);
        delete m_names->completer();
        if (item == PolicyItem::Models) {
            auto *models = new QCompleter(m_known.value(QStringLiteral("models")), m_names);
            models->setCaseSensitivity(Qt::CaseInsensitive);
            m_names->setCompleter(models);
        }
    }
    QString problem;
    if (m_scopeId->text().trimmed().isEmpty())
        problem = tr("Name the %1 the policy is for.")
                      .arg(policyScopeText(PolicyScope(m_scope->currentData().toInt())).toLower());
    else if (auto c = change(); !c)
        problem = c.message();
    showProblem(m_problem, m_buttons, problem);
}

// ---- GroupDialog

GroupDialog::GroupDialog(const QString &connection, const QStringList &teams, const QStringList &groups,
                         QWidget *parent)
    : QDialog(parent), m_connection(connection)
{
    setWindowTitle(tr("Team Group on %1").arg(connection));
    m_team = new QComboBox(this);
    m_team->setEditable(true);
    m_team->addItems(teams);
    m_group = new QComboBox(this);
    m_group->setEditable(true);
    m_group->addItems(groups);
    m_group->setCurrentText(QString());
    m_group->lineEdit()->setPlaceholderText(tr("Empty: in no group"));
    m_problem = problemLabel(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Set Group"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Team:"), m_team);
    form->addRow(tr("&Group:"), m_group);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("A group's policies apply to its teams unless the team or the user "
                                    "sets the item themselves."),
                                 this));
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_team, &QComboBox::currentTextChanged, this, &GroupDialog::update);
    connect(m_group, &QComboBox::currentTextChanged, this, &GroupDialog::update);
    update();
}

Result<BudgetRecordChange> GroupDialog::change() const
{
    BudgetRecordChange c;
    c.kind = BudgetRecordChange::Kind::SetGroup;
    c.group = {m_connection, m_team->currentText().trimmed(), m_group->currentText().trimmed()};
    if (auto valid = validateBudgetRecordChange(c); !valid)
        return valid.error();
    return c;
}

void GroupDialog::update()
{
    QString problem;
    if (m_team->currentText().trimmed().isEmpty())
        problem = tr("Which team?");
    else if (auto c = change(); !c)
        problem = c.message();
    showProblem(m_problem, m_buttons, problem);
}

// ---- CreditsDialog

CreditsDialog::CreditsDialog(const QString &connection, const QString &organization,
                             const QString &accountName, double spend, const std::optional<double> &factor,
                             QWidget *parent)
    : QDialog(parent), m_connection(connection), m_organization(organization), m_spend(spend)
{
    setWindowTitle(tr("Credits Factor of %1").arg(accountName));
    m_factor = new QDoubleSpinBox(this);
    m_factor->setRange(0, 1000);
    m_factor->setDecimals(4);
    m_factor->setSingleStep(0.05);
    m_factor->setValue(factor.value_or(1.0));
    m_remove = new QCheckBox(tr("&No factor: show spend only"), this);
    m_remove->setEnabled(factor.has_value());
    m_comment = new QLineEdit(this);
    m_comment->setPlaceholderText(tr("Why (the plan, the contract)"));
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("creditsPreview"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Save"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Factor:"), m_factor);
    form->addRow(QString(), m_remove);
    form->addRow(tr("C&omment:"), m_comment);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Spend × factor = credits charged to the account."), this));
    layout->addLayout(form);
    layout->addWidget(m_preview);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_factor, &QDoubleSpinBox::valueChanged, this, &CreditsDialog::update);
    connect(m_remove, &QCheckBox::toggled, this, &CreditsDialog::update);
    update();
}

BudgetRecordChange CreditsDialog::change() const
{
    BudgetRecordChange c;
    c.kind = m_remove->isChecked() ? BudgetRecordChange::Kind::RemoveCredits
                                   : BudgetRecordChange::Kind::SetCredits;
    c.connection = m_connection;
    c.organization = m_organization;
    c.factor = m_factor->value();
    c.comment = m_comment->text().trimmed();
    return c;
}

QString CreditsDialog::previewText() const
{
    return m_preview->text();
}

void CreditsDialog::update()
{
    m_factor->setEnabled(!m_remove->isChecked());
    m_preview->setText(m_remove->isChecked()
                           ? tr("This period's spend %1, without credits.").arg(usdText(m_spend))
                           : tr("This period's spend %1 = %2")
                                 .arg(usdText(m_spend), creditsText(m_spend * m_factor->value())));
}

// ---- SettleDialog

SettleDialog::SettleDialog(const OverflowEntry &entry, const QString &accountName, QWidget *parent)
    : QDialog(parent), m_entry(entry)
{
    setWindowTitle(tr("Settle the Overflow of %1").arg(accountName));
    auto *summary =
        new QLabel(tr("%1 spent %2 against a budget of %3 in the period ending %4: %5 over, %6 of it open.")
                       .arg(accountName, usdText(entry.spend), usdText(entry.budget),
                            QLocale().toString(entry.periodEnd.toLocalTime().date(), QLocale::LongFormat),
                            usdText(entry.overflow), usdText(entry.open())),
                   this);
    summary->setWordWrap(true);
    m_reference = new QLineEdit(this);
    m_reference->setPlaceholderText(tr("The invoice, credit note or ticket"));
    m_comment = new QLineEdit(this);
    m_problem = problemLabel(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Settle %1").arg(usdText(entry.open())));
    auto *form = new QFormLayout;
    form->addRow(tr("&Reference:"), m_reference);
    form->addRow(tr("C&omment:"), m_comment);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(summary);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reference, &QLineEdit::textChanged, this, &SettleDialog::update);
    connect(m_comment, &QLineEdit::textChanged, this, &SettleDialog::update);
    resize(480, sizeHint().height());
    update();
}

BudgetRecordChange SettleDialog::change() const
{
    BudgetRecordChange c;
    c.kind = BudgetRecordChange::Kind::Settle;
    c.id = m_entry.id;
    c.connection = m_entry.connection;
    c.organization = m_entry.organization;
    c.reference = m_reference->text().trimmed();
    c.comment = m_comment->text().trimmed();
    return c;
}

QString SettleDialog::problemText() const
{
    return m_problem->text();
}

void SettleDialog::update()
{
    const auto valid = checkSettlement(m_entry, m_reference->text(), m_comment->text());
    showProblem(m_problem, m_buttons, valid ? QString() : valid.message());
}

// ---- ApplyPolicyDialog

ApplyPolicyDialog::ApplyPolicyDialog(const QList<std::pair<QString, ProxyChange>> &changes, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Apply Policies to the Proxy"));
    auto *intro = new QLabel(tr("A dry run: nothing has been sent yet. %n update(s) would bring the proxy in "
                                "line with the workspace's policies:",
                                nullptr, int(changes.size())),
                             this);
    intro->setWordWrap(true);
    m_table = new QTableWidget(0, 6, this);
    m_table->setObjectName(QStringLiteral("applyPreview"));
    m_table->setHorizontalHeaderLabels(
        {tr("Connection"), tr("Target"), tr("Route"), tr("Field"), tr("Now"), tr("After")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (const auto &[connection, change] : changes) {
        for (const FieldChange &f : change.changes) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            const QStringList cells = {connection,
                                       QStringLiteral("%1 %2").arg(change.targetKind, change.targetName),
                                       QStringLiteral("POST %1").arg(change.path),
                                       f.label,
                                       f.beforeText,
                                       f.afterText};
            for (int c = 0; c < cells.size(); ++c)
                m_table->setItem(row, c, new QTableWidgetItem(cells.at(c)));
        }
    }
    m_table->resizeColumnsToContents();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Apply %n Update(s)", nullptr, int(changes.size())));
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(new QLabel(tr("Each update is audited with the values before and after."), this));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(760, 360);
}

} // namespace opsdeck
