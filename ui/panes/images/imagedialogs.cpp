#include "ui/panes/images/imagedialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
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

} // namespace opsdeck
