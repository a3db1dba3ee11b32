#include "ui/panes/audit/auditlogpane.h"

#include "models/audit/auditmodel.h"
#include "models/connections/connectionsmodel.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/store/auditservice.h"
#include "services/workspace/teamaudit.h"
#include "ui/common/requestid.h"
#include "ui/panes/audit/auditreport.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QSqlQuery>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace opsdeck {

Pane::Info AuditLogPane::describe()
{
    return {QStringLiteral("audit"),
            tr("Audit log"),
            QStringLiteral("audit"),
            {},
            tr("The audit log"),
            tr("Every action Opsdeck performs, every connection change and every failure is recorded here.")};
}

AuditLogPane::AuditLogPane(ConnectionsModel *connections, AuditService *audit, QWidget *parent)
    : Pane(describe(), connections, parent), m_audit(audit), m_model(new AuditModel(this))
{
    auto *content = new QWidget(this);
    m_search = new QLineEdit(content);
    m_search->setPlaceholderText(tr("Search actions, targets, actors, comments and details (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the audit log"));
    m_time = new QComboBox(content);
    m_time->addItem(tr("Any time"), 0);
    m_time->addItem(tr("Last hour"), 3600);
    m_time->addItem(tr("Last 24 hours"), 86400);
    m_time->addItem(tr("Last 7 days"), 7 * 86400);
    m_time->addItem(tr("Last 30 days"), 30 * 86400);
    m_time->addItem(tr("Custom range…"), -1);
    m_from = new QDateTimeEdit(QDateTime::currentDateTimeUtc().addDays(-7), content);
    m_to = new QDateTimeEdit(QDateTime::currentDateTimeUtc().addSecs(3600), content);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->hide();
    }
    m_from->setToolTip(tr("From (UTC, inclusive)"));
    m_to->setToolTip(tr("Until (UTC, exclusive)"));
    m_system = new QComboBox(content);
    m_system->addItem(tr("All systems"), QString());
    for (ConnectionKind kind : allKinds())
        m_system->addItem(kindDisplayName(kind), kindId(kind));
    m_system->addItem(tr("Opsdeck itself"), QStringLiteral("opsdeck"));
    m_connection = new QComboBox(content);
    m_action = new QComboBox(content);
    m_action->addItem(tr("All actions"), QString());
    for (const QString &a : auditActions())
        m_action->addItem(a, a);
    m_desktop = new QComboBox(content);
    m_desktop->setToolTip(tr("Whose desktop recorded the event: this one, or another of the team's "
                             "(pulled from the team workspace)"));
    m_outcome = new QComboBox(content);
    m_outcome->addItem(tr("All outcomes"), QString());
    m_outcome->addItem(tr("Success"), QStringLiteral("success"));
    m_outcome->addItem(tr("Failure"), QStringLiteral("failure"));
    m_outcome->addItem(tr("Partial"), QStringLiteral("partial"));
    m_actor = new QLineEdit(content);
    m_actor->setPlaceholderText(tr("Actor or person"));
    m_actor->setAccessibleName(m_actor->placeholderText());
    m_actor->setClearButtonEnabled(true);
    m_actor->setMaximumWidth(160);
    m_count = new QLabel(content);
    m_count->setObjectName(QStringLiteral("auditCount"));
    m_verify = new QPushButton(tr("&Verify chain"), content);
    m_verify->setToolTip(tr("Check that no event was edited, deleted, inserted or reordered"));
    m_export = new QToolButton(content);
    m_export->setText(tr("E&xport"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("CSV…"), this, [this] { chooseExport(QStringLiteral("csv")); });
    exportMenu->addAction(tr("JSON Lines…"), this, [this] { chooseExport(QStringLiteral("jsonl")); });
    exportMenu->addAction(tr("PDF report…"), this, [this] { chooseExport(QStringLiteral("pdf")); });
    m_export->setMenu(exportMenu);
    m_progress = new QProgressBar(content);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"), content);
    m_cancel->hide();
    m_status = new QLabel(content);
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_view = new QTableView(content);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AuditModel::Time, Qt::DescendingOrder);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setAccessibleName(tr("Audit events"));
    setColumnWidths(m_view, {{AuditModel::Time, 24},
                             {AuditModel::Actor, 18},
                             {AuditModel::System, 10},
                             {AuditModel::Connection, 16},
                             {AuditModel::Action, 18},
                             {AuditModel::Target, 28},
                             {AuditModel::Outcome, 9}});
    m_detail = new QTextBrowser(content);
    m_detail->setObjectName(QStringLiteral("auditDetail"));
    m_detail->setPlaceholderText(tr("Select an event to see its details and chain status."));

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 3);
    filters->addWidget(m_time);
    filters->addWidget(m_from);
    filters->addWidget(m_to);
    filters->addWidget(m_system);
    filters->addWidget(m_connection);
    filters->addWidget(m_desktop);
    filters->addWidget(m_action);
    filters->addWidget(m_outcome);
    filters->addWidget(m_actor);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_count, 1);
    actions->addWidget(m_progress, 1);
    actions->addWidget(m_cancel);
    actions->addWidget(m_verify);
    actions->addWidget(m_export);
    auto *splitter = new QSplitter(Qt::Vertical, content);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(filters);
    layout->addLayout(actions);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
    setContent(content);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);
    connect(&m_searchDelay, &QTimer::timeout, this, &AuditLogPane::applyFilter);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_actor, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    reloadDesktopChoices();
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(AuditLog::table))
                    reloadDesktopChoices();
            });
    for (QComboBox *combo : {m_time, m_system, m_connection, m_desktop, m_action, m_outcome})
        connect(combo, &QComboBox::currentIndexChanged, this, &AuditLogPane::applyFilter);
    for (QDateTimeEdit *edit : {m_from, m_to})
        connect(edit, &QDateTimeEdit::dateTimeChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_model, &AuditModel::loaded, this, &AuditLogPane::updateCount);
    connect(m_model, &AuditModel::modelReset, this, &AuditLogPane::showDetail);
    connect(m_model, &AuditModel::loadFailed, this, [this](const QString &message) {
        m_status->setText(tr("The audit log cannot be read: %1").arg(message));
    });
    connect(m_model, &AuditModel::eventsFetched, this, [this] {
        if (m_detail->toPlainText().isEmpty())
            showDetail();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AuditLogPane::showDetail);
    connect(m_verify, &QPushButton::clicked, this, &AuditLogPane::verifyChain);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job) {
            *m_cancelFlag = true;
            m_audit->requestCancel(m_job);
        }
    });
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    if (m_connections) {
        connect(m_connections, &QAbstractItemModel::rowsInserted, this,
                &AuditLogPane::reloadConnectionChoices);
        connect(m_connections, &QAbstractItemModel::rowsRemoved, this,
                &AuditLogPane::reloadConnectionChoices);
        connect(m_connections, &QAbstractItemModel::dataChanged, this,
                &AuditLogPane::reloadConnectionChoices);
    }
    reloadConnectionChoices();
    connect(m_audit, &AuditService::progress, this, [this](quint64 id, qint64 done, qint64 total) {
        if (id != m_job)
            return;
        m_progress->setRange(0, 1000);
        m_progress->setValue(total > 0 ? int(done * 1000 / total) : 0);
    });
    connect(m_audit, &AuditService::verified, this,
            [this](quint64 id, bool intact, qint64 firstBad, const QString &message) {
                if (id != m_job)
                    return;
                m_status->setText(intact ? QStringLiteral("✔ ") + message : QStringLiteral("✘ ") + message);
                if (!intact && firstBad > 0)
                    m_status->setToolTip(tr("First event that breaks the chain: %1").arg(firstBad));
            });
    connect(m_audit, &AuditService::finished, this, [this](quint64 id, const Outcome &outcome) {
        if (id == m_job)
            endJob(outcome.ok, outcome.message);
    });
    applyFilter();
}

void AuditLogPane::reloadConnectionChoices()
{
    const QVariant current = m_connection->currentData();
    const QSignalBlocker block(m_connection);
    m_connection->clear();
    m_connection->addItem(tr("All connections"), QVariant());
    if (m_connections)
        for (int row = 0; row < m_connections->rowCount(); ++row) {
            const Connection c = m_connections->connectionAt(row);
            m_connection->addItem(c.name, c.id);
        }
    const int keep = m_connection->findData(current);
    m_connection->setCurrentIndex(keep >= 0 ? keep : 0);
}

void AuditLogPane::reloadDesktopChoices()
{
    // The team's desktops this cache has pulled events from: a handful of rows.
    QStringList desktops;
    QSqlQuery q(Database::connection());
    if (q.exec(QStringLiteral("SELECT desktop_id FROM team_audit_pulled ORDER BY desktop_id")))
        while (q.next())
            desktops << q.value(0).toString();
    if (m_desktop->count() == desktops.size() + 2)
        return; // unchanged (desktops are only ever added)
    const QSignalBlocker block(m_desktop);
    const QString current = m_desktop->currentData().toString();
    m_desktop->clear();
    m_desktop->addItem(tr("All desktops"), QString());
    m_desktop->addItem(tr("This desktop"), QStringLiteral("local"));
    for (const QString &desktop : std::as_const(desktops))
        m_desktop->addItem(desktop, TeamAudit::source(desktop));
    m_desktop->setCurrentIndex(qMax(0, m_desktop->findData(current)));
    m_desktop->setVisible(desktops.size() > 0);
}

void AuditLogPane::applyFilter()
{
    AuditFilter f = m_model->filter();
    f.text = m_search->text();
    f.actor = m_actor->text();
    const int seconds = m_time->currentData().toInt();
    const bool custom = seconds < 0;
    m_from->setVisible(custom);
    m_to->setVisible(custom);
    f.since = custom        ? m_from->dateTime().toUTC()
              : seconds > 0 ? QDateTime::currentDateTimeUtc().addSecs(-seconds)
                            : QDateTime();
    f.until = custom ? m_to->dateTime().toUTC() : QDateTime();
    f.systems = m_system->currentData().toString().isEmpty()
                    ? QStringList()
                    : QStringList{m_system->currentData().toString()};
    f.connectionIds = m_connection->currentData().isValid()
                          ? QList<qint64>{m_connection->currentData().toLongLong()}
                          : QList<qint64>();
    f.actions = m_action->currentData().toString().isEmpty()
                    ? QStringList()
                    : QStringList{m_action->currentData().toString()};
    f.source = m_desktop->currentData().toString();
    f.outcomes = m_outcome->currentData().toString().isEmpty()
                     ? QStringList()
                     : QStringList{m_outcome->currentData().toString()};
    f.newestFirst = m_model->sortOrder() == Qt::DescendingOrder;
    if (!(f == m_model->filter()) || m_model->rowCount() == 0)
        m_model->setFilter(f);
    m_count->setText(tr("Searching…"));
}

void AuditLogPane::setTimeRange(const QDateTime &from, const QDateTime &until)
{
    const QSignalBlocker blockFrom(m_from), blockTo(m_to);
    m_from->setDateTime(from.toUTC());
    m_to->setDateTime(until.toUTC());
    m_time->setCurrentIndex(m_time->findData(-1)); // applies the filter
    applyFilter();
}

void AuditLogPane::refresh()
{
    m_model->reload(); // the log is local: refresh re-reads it, no server involved
}

QString AuditLogPane::countText() const
{
    return m_count->text();
}

QString AuditLogPane::chainStatus() const
{
    return m_status->text();
}

QString AuditLogPane::detailText() const
{
    return m_detail->toPlainText();
}

void AuditLogPane::updateCount()
{
    const int n = m_model->matchCount();
    m_count->setText(describeFilter(m_model->filter()) == tr("All events")
                         ? tr("%n event(s)", nullptr, n)
                         : tr("%n matching event(s)", nullptr, n));
    if (!m_view->currentIndex().isValid() && n > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
}

void AuditLogPane::showDetail()
{
    const QModelIndex current = m_view->currentIndex();
    const auto event = current.isValid() ? m_model->eventAt(current.row()) : std::nullopt;
    if (!event) {
        m_detail->clear();
        return;
    }
    const AuditEvent &e = *event;
    // Chain status of this one event: its hash, and its link to the event before it.
    QString chain;
    if (e.source != QLatin1String("local")) {
        const QJsonObject team = e.details.value(QStringLiteral("team")).toObject();
        chain =
            team.isEmpty()
                ? tr("Imported from %1: not part of the local hash chain.").arg(e.source)
                : tr("Recorded on the desktop %1 by %2 (event %3 of its chain; opsdeck audit verify --team "
                     "checks that chain in the team workspace).")
                      .arg(team.value(QStringLiteral("desktop")).toString(), e.osUser)
                      .arg(team.value(QStringLiteral("seq")).toInteger());
    } else {
        const bool selfOk = AuditLog::chainHash(e.prevHash, AuditLog::canonical(e)) == e.hash;
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral(
            "SELECT hash FROM audit_events WHERE source = 'local' AND id < ? ORDER BY id DESC LIMIT 1"));
        q.addBindValue(e.id);
        const QString before = q.exec() && q.next() ? q.value(0).toString() : AuditLog::genesisHash();
        const bool linkOk = before == e.prevHash;
        chain = selfOk && linkOk ? tr("✔ Intact: matches its hash and follows the event before it.")
                : !selfOk        ? tr("✘ Its content does not match its hash: it was changed.")
                          : tr("✘ It does not follow the event before it: events were removed or inserted.");
    }
    const auto row = [](const QString &label, const QString &value) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
            .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table cellspacing=4>");
    html += row(tr("Event"), QString::number(e.id));
    html += row(tr("Time (UTC)"), e.timestamp.toString(Qt::ISODateWithMs));
    html +=
        row(tr("Actor"),
            e.backendIdentity.isEmpty() ? e.osUser : e.osUser + QStringLiteral(" / ") + e.backendIdentity);
    html += row(tr("Connection"), e.connectionName.isEmpty() ? e.system
                                                             : e.connectionName + QStringLiteral(" (") +
                                                                   e.system + QLatin1Char(')'));
    html += row(tr("Action"), e.action);
    html += row(tr("Target"),
                QStringList{e.targetKind, e.targetId, e.targetName}.join(QLatin1Char(' ')).simplified());
    html += row(tr("Outcome"), outcomeId(e.outcome));
    if (!e.comment.isEmpty())
        html += row(tr("Comment"), e.comment);
    html += row(tr("Chain"), chain);
    html += row(tr("Hash"), e.hash);
    html +=
        QStringLiteral("</table><pre>%1</pre>")
            .arg(QString::fromUtf8(QJsonDocument(e.details).toJson(QJsonDocument::Indented)).toHtmlEscaped());
    m_detail->setHtml(html);
}

void AuditLogPane::startJob(quint64 id, const QString &what)
{
    m_job = id;
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_progress->setRange(0, 0);
    m_progress->show();
    m_cancel->show();
    m_verify->setEnabled(false);
    m_export->setEnabled(false);
    m_status->setToolTip({});
    m_status->setText(what);
}

void AuditLogPane::endJob(bool ok, const QString &message)
{
    m_job = 0;
    m_progress->hide();
    m_cancel->hide();
    m_verify->setEnabled(true);
    m_export->setEnabled(true);
    if (message.isEmpty())
        m_status->clear();
    else
        m_status->setText(
            ok ? message
               : (message.startsWith(QStringLiteral("✘")) ? message : QStringLiteral("✘ ") + message));
    emit jobFinished(ok, message);
}

void AuditLogPane::verifyChain()
{
    if (m_job)
        return;
    const quint64 id = nextRequestId();
    startJob(id, tr("Verifying the audit chain…"));
    QMetaObject::invokeMethod(m_audit, [audit = m_audit, id] { audit->verify(id, 0); });
}

void AuditLogPane::chooseExport(const QString &format)
{
    const QString suffix = format == QLatin1String("jsonl") ? QStringLiteral("jsonl") : format;
    const QString name =
        QStringLiteral("opsdeck-audit-%1.%2")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")), suffix);
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the audit log"), name,
                                     format == QLatin1String("csv")     ? tr("CSV (*.csv)")
                                     : format == QLatin1String("jsonl") ? tr("JSON Lines (*.jsonl)")
                                                                        : tr("PDF (*.pdf)"));
    if (!path.isEmpty())
        exportTo(format, path);
}

void AuditLogPane::exportTo(const QString &format, const QString &path)
{
    if (m_job)
        return;
    if (format == QLatin1String("pdf"))
        return writePdf(path);
    const quint64 id = nextRequestId();
    startJob(id, tr("Exporting %1 events to %2…").arg(m_model->matchCount()).arg(path));
    const AuditFilter filter = m_model->filter();
    QMetaObject::invokeMethod(m_audit, [audit = m_audit, id, filter, format, path] {
        audit->exportToFile(id, filter, format, path);
    });
}

void AuditLogPane::writePdf(const QString &path)
{
    const quint64 id = nextRequestId();
    startJob(id, tr("Writing the PDF report %1…").arg(path));
    const AuditFilter filter = m_model->filter();
    auto *watcher = new QFutureWatcher<Result<int>>(this);
    connect(watcher, &QFutureWatcher<Result<int>>::finished, this, [this, watcher, id, path, filter] {
        watcher->deleteLater();
        const Result<int> result = watcher->result();
        AuditEvent event;
        event.action = AuditAction::auditExport;
        event.system = QStringLiteral("opsdeck");
        event.targetKind = QStringLiteral("file");
        event.targetName = path;
        event.outcome = result ? AuditOutcome::Success : AuditOutcome::Failure;
        event.details = QJsonObject{{QStringLiteral("format"), QStringLiteral("pdf")},
                                    {QStringLiteral("filter"), describeFilter(filter)}};
        if (result)
            event.details.insert(QStringLiteral("events"), result.value());
        else
            event.details.insert(QStringLiteral("error"), result.message());
        if (result || result.error().code != QLatin1String("export.cancelled"))
            QMetaObject::invokeMethod(m_audit, [audit = m_audit, event] { audit->record(event); });
        if (id == m_job)
            endJob(result.ok(),
                   result ? tr("Wrote the report of %n event(s) to %1.", nullptr, result.value()).arg(path)
                          : result.message());
    });
    watcher->setFuture(QtConcurrent::run([path, filter, cancelled = m_cancelFlag] {
        return AuditReport::writePdf(path, filter, [cancelled](int, int) { return !cancelled->load(); });
    }));
}

void AuditLogPane::seedDemo(int count)
{
    const quint64 id = nextRequestId();
    startJob(id, tr("Preparing the demo audit log (%1 events)…").arg(count));
    QMetaObject::invokeMethod(m_audit, [audit = m_audit, id, count] { audit->seedDemo(id, count); });
}

} // namespace opsdeck
