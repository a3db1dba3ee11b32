#include "ui/panes/images/imagedialogs.h"

#include "models/docker/hostimage.h"
#include "models/store/database.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck {

ImageChangeDialog::ImageChangeDialog(ImageChange::Kind kind, const QStringList &projects, QWidget *parent)
    : QDialog(parent), m_kind(kind)
{
    const bool deciding = kind == ImageChange::Kind::Approve || kind == ImageChange::Kind::Deny;
    setWindowTitle(kind == ImageChange::Kind::Allow     ? tr("Allow an Image")
                   : kind == ImageChange::Kind::Request ? tr("Request an Image")
                   : kind == ImageChange::Kind::Approve ? tr("Approve the Request")
                                                        : tr("Deny the Request"));
    auto *form = new QFormLayout;
    if (kind != ImageChange::Kind::Deny) {
        m_text = new QLineEdit(this);
        m_text->setPlaceholderText(
            kind == ImageChange::Kind::Request
                ? tr("registry.example.com/team/app:1.4")
                : tr("nginx:1.27, nginx:1.27-*, registry.example.com/team/*, app@sha256:…"));
        form->addRow(kind == ImageChange::Kind::Request ? tr("&Image:") : tr("&Entry:"), m_text);
    }
    if (!deciding) {
        m_project = new QComboBox(this);
        m_project->addItem(tr("Global (every project)"), QString());
        for (const QString &p : projects)
            m_project->addItem(tr("Project %1").arg(p), p);
        form->addRow(tr("&Scope:"), m_project);
    }
    m_reason = new QPlainTextEdit(this);
    m_reason->setTabChangesFocus(true);
    m_reason->setPlaceholderText(deciding ? tr("Kept with the decision and shown to whoever asked")
                                          : tr("Why it is needed: kept with the entry"));
    m_reason->setFixedHeight(m_reason->fontMetrics().lineSpacing() * 4 + 12);
    form->addRow(deciding ? tr("&Comment:") : tr("&Reason:"), m_reason);
    if (kind == ImageChange::Kind::Allow || kind == ImageChange::Kind::Approve) {
        m_expiresOn = new QCheckBox(tr("E&xpires on"), this);
        m_expires = new QDateEdit(QDate::currentDate().addMonths(3), this);
        m_expires->setCalendarPopup(true);
        m_expires->setMinimumDate(QDate::currentDate().addDays(1));
        m_expires->setEnabled(false);
        auto *row = new QHBoxLayout;
        row->addWidget(m_expiresOn);
        row->addWidget(m_expires, 1);
        form->addRow(QString(), row);
        connect(m_expiresOn, &QCheckBox::toggled, m_expires, &QWidget::setEnabled);
        connect(m_expiresOn, &QCheckBox::toggled, this, &ImageChangeDialog::check);
        connect(m_expires, &QDateEdit::dateChanged, this, &ImageChangeDialog::check);
    }
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(kind == ImageChange::Kind::Allow     ? tr("&Allow")
                  : kind == ImageChange::Kind::Request ? tr("&Send Request")
                  : kind == ImageChange::Kind::Approve ? tr("A&pprove")
                                                       : tr("&Deny"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    if (m_text)
        connect(m_text, &QLineEdit::textChanged, this, &ImageChangeDialog::check);
    connect(m_reason, &QPlainTextEdit::textChanged, this, &ImageChangeDialog::check);
    resize(520, sizeHint().height());
    check();
}

void ImageChangeDialog::setRequest(qint64 id, const QString &reference, const QString &project)
{
    m_requestId = id;
    m_requestProject = project;
    if (m_text)
        m_text->setText(reference);
    setWindowTitle(windowTitle() + QStringLiteral(": ") + reference);
    check();
}

void ImageChangeDialog::setText(const QString &text)
{
    if (m_text)
        m_text->setText(text);
}

void ImageChangeDialog::setProject(const QString &project)
{
    if (m_project) {
        const int i = m_project->findData(project);
        if (i >= 0)
            m_project->setCurrentIndex(i);
    }
}

ImageChange ImageChangeDialog::change() const
{
    ImageChange c;
    c.kind = m_kind;
    c.id = m_requestId;
    c.text = m_text ? m_text->text().trimmed() : QString();
    c.project = m_project ? m_project->currentData().toString() : m_requestProject;
    c.reason = m_reason->toPlainText().trimmed();
    if (m_expiresOn && m_expiresOn->isChecked())
        c.expires = QDateTime(m_expires->date(), QTime(0, 0), Qt::UTC);
    return c;
}

void ImageChangeDialog::check()
{
    const auto valid = validateImageChange(change(), QDateTime::currentDateTimeUtc());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid.ok());
    // Empty fields are not an error yet: the button says enough until something is typed.
    const bool started = (m_text && !m_text->text().isEmpty()) || !m_reason->toPlainText().isEmpty();
    m_problem->setText(valid || !started ? QString() : valid.message());
}

HostPruneDialog::HostPruneDialog(const QList<std::pair<qint64, QString>> &hosts, qint64 current,
                                 QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Prune a Docker Host"));
    m_host = new QComboBox(this);
    for (const auto &[id, name] : hosts)
        m_host->addItem(name, id);
    if (const int i = m_host->findData(current); i >= 0)
        m_host->setCurrentIndex(i);
    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), m_host);
    auto *kinds = new QVBoxLayout;
    for (const PruneKind kind :
         {PruneKind::DanglingImages, PruneKind::UnusedImages, PruneKind::StoppedContainers,
          PruneKind::UnusedVolumes, PruneKind::BuildCache}) {
        auto *box = new QCheckBox(pruneKindText(kind).left(1).toUpper() + pruneKindText(kind).mid(1), this);
        box->setChecked(kind == PruneKind::DanglingImages);
        kinds->addWidget(box);
        m_kinds << std::pair{int(kind), box};
        connect(box, &QCheckBox::toggled, this, &HostPruneDialog::updatePreview);
    }
    // Unused images include the dangling ones: one or the other.
    connect(m_kinds.at(1).second, &QCheckBox::toggled, m_kinds.at(0).second,
            [this](bool all) { m_kinds.at(0).second->setEnabled(!all); });
    form->addRow(tr("Remove:"), kinds);
    m_preview = new QPlainTextEdit(this);
    m_preview->setReadOnly(true);
    m_preview->setObjectName(QStringLiteral("prunePreview"));
    m_total = new QLabel(this);
    m_total->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Prune"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_host, &QComboBox::currentIndexChanged, this, &HostPruneDialog::updatePreview);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(
        new QLabel(tr("What goes (from the last refresh; the engine decides at the moment itself):"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_total);
    layout->addWidget(m_buttons);
    resize(560, 480);
    updatePreview();
}

qint64 HostPruneDialog::host() const
{
    return m_host->currentData().toLongLong();
}

QList<int> HostPruneDialog::kinds() const
{
    QList<int> chosen;
    const bool allImages = m_kinds.at(1).second->isChecked();
    for (const auto &[kind, box] : m_kinds)
        if (box->isChecked() && !(allImages && kind == int(PruneKind::DanglingImages)))
            chosen << kind;
    return chosen;
}

void HostPruneDialog::setKindChecked(int kind, bool on)
{
    for (const auto &[k, box] : m_kinds)
        if (k == kind)
            box->setChecked(on);
}

QString HostPruneDialog::previewText() const
{
    return m_preview->toPlainText();
}

void HostPruneDialog::updatePreview()
{
    QList<PruneKind> chosen;
    for (int k : kinds())
        chosen << PruneKind(k);
    // One host's rows of the cache: a few hundred at most.
    const auto plan = planPrune(Database::connection(), host(), chosen);
    QStringList lines;
    qint64 total = 0;
    bool estimated = false;
    if (!plan) {
        lines << plan.message();
    } else {
        for (const PruneItem &item : plan.value()) {
            const QString size = item.size >= 0 ? QLocale().formattedDataSize(item.size) : QString();
            lines << QStringLiteral("%1: %2%3")
                         .arg(pruneKindText(item.kind), item.name,
                              size.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(size));
            if (item.size > 0)
                total += item.size;
            estimated =
                estimated || item.kind == PruneKind::UnusedVolumes || item.kind == PruneKind::BuildCache;
        }
        if (plan->isEmpty() && !chosen.isEmpty())
            lines << tr("Nothing to remove, as of the last refresh.");
    }
    m_preview->setPlainText(lines.join(QLatin1Char('\n')));
    m_total->setText(chosen.isEmpty() ? tr("Choose what to remove.")
                     : estimated
                         ? tr("Frees about %1 (volumes and build cache as the engine last counted them).")
                               .arg(QLocale().formattedDataSize(total))
                         : tr("Frees about %1.").arg(QLocale().formattedDataSize(total)));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!chosen.isEmpty() && host() > 0);
}

} // namespace opsdeck
