#include "ui/panes/images/imagedialogs.h"

#include "models/docker/hostimage.h"
#include "models/store/database.h"
#include "ui/panes/pane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

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
        m_expires->setAccessibleName(tr("Expiry date"));
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

// ---- bulk import ----

ImportDialog::ImportDialog(const QStringList &projects, const QHash<QString, QSet<QString>> &existing,
                           QWidget *parent)
    : QDialog(parent), m_existing(existing), m_source(QStringLiteral("pasted"))
{
    setWindowTitle(tr("Import Allowlist Entries"));
    m_project = new QComboBox(this);
    m_project->addItem(tr("Global (every project)"), QString());
    for (const QString &p : projects)
        m_project->addItem(tr("Project %1").arg(p), p);
    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(tr("For lines without a # reason of their own"));
    m_expiresOn = new QCheckBox(tr("E&xpire on"), this);
    m_expires = new QDateEdit(QDate::currentDate().addMonths(3), this);
    m_expires->setAccessibleName(tr("Expiry date"));
    m_expires->setCalendarPopup(true);
    m_expires->setMinimumDate(QDate::currentDate().addDays(1));
    m_expires->setEnabled(false);
    auto *expiry = new QHBoxLayout;
    expiry->addWidget(m_expiresOn);
    expiry->addWidget(m_expires, 1);
    m_content = new QPlainTextEdit(this);
    m_content->setObjectName(QStringLiteral("importContent"));
    m_content->setAccessibleName(tr("Entries to import"));
    m_content->setPlaceholderText(
        tr("registry.example.com/team/app:1.4   # the checkout service\nnginx:1.27-*"));
    m_content->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto *open = new QPushButton(tr("&Open File…"), this);
    auto *form = new QFormLayout;
    form->addRow(tr("&Scope:"), m_project);
    form->addRow(tr("&Reason:"), m_reason);
    form->addRow(QString(), expiry);
    m_preview = Pane::previewTable({tr("Line"), tr("State"), tr("Entry"), tr("Reason or problem")},
                                   QStringLiteral("importPreview"), this);
    m_preview->setAccessibleName(tr("What the import does"));
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("One reference a line, with an optional \"# reason\":"), this), 1);
    top->addWidget(open);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(top);
    layout->addWidget(m_content, 2);
    layout->addWidget(m_preview, 3);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    connect(open, &QPushButton::clicked, this, &ImportDialog::openFile);
    connect(m_expiresOn, &QCheckBox::toggled, m_expires, &QWidget::setEnabled);
    connect(m_content, &QPlainTextEdit::textChanged, this, &ImportDialog::replan);
    connect(m_reason, &QLineEdit::textChanged, this, &ImportDialog::replan);
    connect(m_project, &QComboBox::currentIndexChanged, this, &ImportDialog::replan);
    // What the synced registries hold, read off the GUI thread: lines they lack are "not found".
    connect(&m_watcher, &QFutureWatcher<Result<RegistryIndex>>::finished, this, [this] {
        const auto index = m_watcher.result();
        m_registries = index ? index.value() : RegistryIndex();
        replan();
    });
    m_watcher.setFuture(QtConcurrent::run([] { return readRegistryIndex(Database::connection()); }));
    resize(760, 620);
    replan();
}

ImportDialog::~ImportDialog()
{
    m_watcher.waitForFinished();
}

void ImportDialog::setContent(const QString &text)
{
    m_content->setPlainText(text);
}

void ImportDialog::setProject(const QString &project)
{
    const int i = m_project->findData(project);
    if (i >= 0)
        m_project->setCurrentIndex(i);
}

bool ImportDialog::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_summary->setText(tr("Cannot read %1: %2").arg(QFileInfo(path).fileName(), file.errorString()));
        return false;
    }
    if (file.size() > 4 * 1024 * 1024) {
        m_summary->setText(
            tr("%1 is larger than 4 MiB: not a list of images.").arg(QFileInfo(path).fileName()));
        return false;
    }
    m_source = QFileInfo(path).fileName();
    setContent(QString::fromUtf8(file.readAll()));
    return true;
}

void ImportDialog::openFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Allowlist Entries"), QString(),
                                                      tr("Text files (*.txt *.list);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

QString ImportDialog::content() const
{
    return m_content->toPlainText();
}

QString ImportDialog::project() const
{
    return m_project->currentData().toString();
}

QString ImportDialog::reason() const
{
    return m_reason->text().trimmed();
}

QDateTime ImportDialog::expires() const
{
    return m_expiresOn->isChecked() ? QDateTime(m_expires->date(), QTime(0, 0), QTimeZone::utc())
                                    : QDateTime();
}

void ImportDialog::replan()
{
    m_plan =
        planImport(content(), m_existing.value(project()), reason(), m_registries ? &*m_registries : nullptr);
    m_preview->setRowCount(0);
    QHash<ImportLine::State, int> counts;
    for (const ImportLine &l : m_plan) {
        ++counts[l.state];
        Pane::appendRow(m_preview,
                        {QString::number(l.line), importStateName(l.state),
                         l.entry.isEmpty() ? l.text : l.entry, l.problem.isEmpty() ? l.reason : l.problem});
    }
    const int added = counts.value(ImportLine::State::New);
    const int refused = counts.value(ImportLine::State::Invalid) + counts.value(ImportLine::State::NotFound);
    QStringList parts{tr("%1 new").arg(added)};
    for (const auto &[state, text] : {std::pair{ImportLine::State::AlreadyAllowed, tr("%1 already allowed")},
                                      std::pair{ImportLine::State::Duplicate, tr("%1 duplicate")},
                                      std::pair{ImportLine::State::Invalid, tr("%1 invalid")},
                                      std::pair{ImportLine::State::NotFound, tr("%1 not found")}})
        if (counts.value(state))
            parts << text.arg(counts.value(state));
    QString summary = parts.join(QStringLiteral(", ")) + QLatin1Char('.');
    if (refused)
        summary += QLatin1Char(' ') + tr("Correct the invalid and missing lines (a line without a # reason "
                                         "needs the reason above): nothing is imported while any is left.");
    if (registriesPending())
        summary += QLatin1Char(' ') + tr("Reading the synced registries…");
    m_summary->setText(summary);
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Import %1").arg(tr("%n entry(ies)", nullptr, added)));
    ok->setEnabled(added > 0 && refused == 0 && !registriesPending());
}

} // namespace opsdeck
