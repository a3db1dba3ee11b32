#include "models/testruns/teamrecords.h"

#include "models/testruns/mocks.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TeamRecords)
};

Error wrong(const QString &text)
{
    return makeError("testrun.team", text);
}

Result<void> checkName(const QString &name, const QString &what)
{
    if (name.isEmpty() || name.size() > 200 || name != name.trimmed())
        return wrong(Tr::tr("%1 needs a name of 1 to 200 characters without spaces around it (got \"%2\").")
                         .arg(what, name));
    return {};
}

bool isHex(const QByteArray &text, qsizetype size)
{
    if (text.size() != size)
        return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

QString withoutCredentials(const QString &address)
{
    QUrl u(address);
    if (!u.isValid() || u.userInfo().isEmpty())
        return address;
    u.setUserInfo(QString());
    return u.toString();
}
} // namespace

Result<void> checkTeamSource(const TeamTestSource &s)
{
    if (auto r = checkName(s.name, Tr::tr("A test-run source")); !r)
        return r;
    if (s.kind != QLatin1String("files") && s.kind != QLatin1String("github") &&
        s.kind != QLatin1String("golden"))
        return wrong(Tr::tr("\"%1\" is not a kind of test-run source: files, github or golden.").arg(s.kind));
    for (const char *key : {"git_url", "base_url"}) {
        const QUrl u(s.detail.value(QLatin1String(key)).toString());
        if (!u.userInfo().isEmpty())
            return wrong(Tr::tr("The %1 of source %2 carries credentials: a team shares no secrets.")
                             .arg(QLatin1String(key), s.name));
    }
    if (s.jira != NotifyWhen::Off) {
        const QUrl site(s.jiraSite.trimmed(), QUrl::StrictMode);
        if (!site.isValid() || site.scheme() != QLatin1String("https") || site.host().isEmpty())
            return wrong(Tr::tr("Jira is on for %1: its site must be an https address (got \"%2\").")
                             .arg(s.name, s.jiraSite));
        static const QRegularExpression key(QStringLiteral("\\A[A-Z][A-Z0-9_]{0,99}\\z"));
        if (!key.match(s.jiraProject.trimmed()).hasMatch())
            return wrong(Tr::tr("Jira is on for %1: its project key is capital letters and digits, such as "
                                "OPS (got \"%2\").")
                             .arg(s.name, s.jiraProject));
    }
    if (s.jiraSite.size() > 500 || s.jiraProject.size() > 100 || s.jiraIssueType.size() > 100)
        return wrong(Tr::tr("The Jira site, project or issue type of %1 is too long.").arg(s.name));
    return {};
}

Result<void> checkTeamMock(const TeamMock &m)
{
    if (auto r = checkName(m.name, Tr::tr("A mock")); !r)
        return r;
    MockServer local;
    local.name = m.name;
    local.url = m.url;
    local.healthPath = m.healthPath;
    local.intervalSec = m.intervalSec;
    local.container = m.container;
    local.dockerConnectionId = m.dockerConnection.trimmed().isEmpty() ? 0 : 1;
    if (auto r = local.check(); !r)
        return r;
    if (m.url.size() > 2000 || m.healthPath.size() > 2000 || m.dockerConnection.size() > 200 ||
        m.container.size() > 256)
        return wrong(
            Tr::tr("The address, path, connection or container of mock %1 is too long.").arg(m.name));
    return {};
}

Result<void> checkTeamRunRecord(const TeamRunRecord &r)
{
    if (auto ok = checkName(r.source, Tr::tr("A published run's source")); !ok)
        return ok;
    if (r.runKey.isEmpty() || r.runKey.size() > 300)
        return wrong(Tr::tr("A run of %1 has no key, or one longer than 300 characters.").arg(r.source));
    if (r.record.size() > teamRecordMaxBytes)
        return makeError("testrun.team-size",
                         Tr::tr("Run %1 of %2 has a record of %3 MiB, over the workspace's %4 MiB: it stays "
                                "on this desktop.")
                             .arg(r.runKey, r.source)
                             .arg(double(r.record.size()) / (1024.0 * 1024.0), 0, 'f', 1)
                             .arg(teamRecordMaxBytes / (1024 * 1024)));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.record, &error);
    const QJsonObject o = doc.object();
    if (error.error != QJsonParseError::NoError || !doc.isObject() ||
        o.value(QLatin1String("format")).toString() != QLatin1String("opsdeck-run/1") ||
        o.value(QLatin1String("source")).toString() != r.source ||
        o.value(QLatin1String("run")).toString() != r.runKey)
        return wrong(Tr::tr("The record of run %1 of %2 is not an opsdeck-run/1 record of that run.")
                         .arg(r.runKey, r.source));
    if (!r.signature.isEmpty() && !isHex(r.signature, 64))
        return wrong(
            Tr::tr("The signature of run %1 of %2 is not 64 lowercase hex digits.").arg(r.runKey, r.source));
    if (!r.keyId.isEmpty() && !isHex(r.keyId.toLatin1(), 16))
        return wrong(
            Tr::tr("The key id of run %1 of %2 is not 16 lowercase hex digits.").arg(r.runKey, r.source));
    if (r.signature.isEmpty() != r.keyId.isEmpty())
        return wrong(Tr::tr("Run %1 of %2 has a signature without its key id, or the other way round.")
                         .arg(r.runKey, r.source));
    if (r.desktop.size() > 200)
        return wrong(Tr::tr("The desktop's name is longer than 200 characters."));
    return {};
}

QJsonObject sharedSourceDetail(const QString &kind, const QJsonObject &local, const QString &connectionName,
                               const QString &mockName)
{
    QJsonObject out;
    const auto keep = [&](const char *key) {
        const QString k = QLatin1String(key);
        if (local.contains(k))
            out.insert(k, local.value(k));
    };
    if (kind == QLatin1String("github")) {
        keep("repo");
        keep("artifacts");
    } else if (kind == QLatin1String("golden")) {
        keep("folder");
        keep("git_ref");
        keep("concurrency");
        keep("timeout_ms");
        for (const char *key : {"git_url", "base_url"})
            if (local.contains(QLatin1String(key)))
                out.insert(QLatin1String(key),
                           withoutCredentials(local.value(QLatin1String(key)).toString()));
        if (!mockName.isEmpty())
            out.insert(QStringLiteral("mock"), mockName);
    }
    if (!connectionName.isEmpty())
        out.insert(QStringLiteral("connection"), connectionName);
    return out;
}

QString testRunScope(const QString &facet, const QString &name)
{
    return facet + QLatin1Char(':') + QString(name).replace(QLatin1Char(' '), QLatin1Char('_'));
}

QString runSigningKeyId(const QByteArray &key)
{
    if (key.isEmpty())
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
}

QString TestRunRecordChange::name() const
{
    return kind == Kind::SetSource || kind == Kind::RemoveSource ? source.name : mock.name;
}

QString TestRunRecordChange::describe() const
{
    switch (kind) {
    case Kind::SetSource:
        return Tr::tr("change the test-run source %1").arg(source.name);
    case Kind::RemoveSource:
        return Tr::tr("remove the test-run source %1").arg(source.name);
    case Kind::SetMock:
        return Tr::tr("change the mock %1").arg(mock.name);
    case Kind::RemoveMock:
        return Tr::tr("remove the mock %1").arg(mock.name);
    }
    return {};
}

QString TestRunRecordChange::auditAction() const
{
    switch (kind) {
    case Kind::SetSource:
        return AuditAction::testrunSourceSet;
    case Kind::RemoveSource:
        return AuditAction::testrunSourceRemove;
    case Kind::SetMock:
        return AuditAction::testrunMockSet;
    case Kind::RemoveMock:
        return AuditAction::testrunMockRemove;
    }
    return {};
}

Result<void> validateTestRunRecordChange(const TestRunRecordChange &c)
{
    switch (c.kind) {
    case TestRunRecordChange::Kind::SetSource:
        return checkTeamSource(c.source);
    case TestRunRecordChange::Kind::RemoveSource:
        return checkName(c.source.name, Tr::tr("A test-run source"));
    case TestRunRecordChange::Kind::SetMock:
        return checkTeamMock(c.mock);
    case TestRunRecordChange::Kind::RemoveMock:
        return checkName(c.mock.name, Tr::tr("A mock"));
    }
    return {};
}

QJsonObject teamSourceJson(const TeamTestSource &s)
{
    return {{QStringLiteral("kind"), s.kind},
            {QStringLiteral("detail"), s.detail},
            {QStringLiteral("slack"), notifyWhenId(s.slack)},
            {QStringLiteral("jira"), notifyWhenId(s.jira)},
            {QStringLiteral("jira_site"), s.jiraSite},
            {QStringLiteral("jira_project"), s.jiraProject},
            {QStringLiteral("jira_issue_type"), s.jiraIssueType}};
}

QJsonObject teamMockJson(const TeamMock &m)
{
    return {{QStringLiteral("url"), m.url},
            {QStringLiteral("health_path"), m.healthPath},
            {QStringLiteral("interval_s"), m.intervalSec},
            {QStringLiteral("docker_connection"), m.dockerConnection},
            {QStringLiteral("container"), m.container}};
}

AuditEvent testRunRecordEvent(const TestRunRecordChange &c, const QString &actor, const QString &workspace,
                              const Result<void> &outcome)
{
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = c.auditAction();
    e.backendIdentity = actor;
    e.outcome = outcome ? AuditOutcome::Success : AuditOutcome::Failure;
    const bool source =
        c.kind == TestRunRecordChange::Kind::SetSource || c.kind == TestRunRecordChange::Kind::RemoveSource;
    e.targetKind = source ? QStringLiteral("test-source") : QStringLiteral("mock");
    e.targetId = c.name();
    e.targetName = c.name();
    e.details = QJsonObject{{QStringLiteral("workspace"), workspace}, {QStringLiteral("before"), c.before}};
    if (c.kind == TestRunRecordChange::Kind::SetSource)
        e.details.insert(QStringLiteral("after"), teamSourceJson(c.source));
    else if (c.kind == TestRunRecordChange::Kind::SetMock)
        e.details.insert(QStringLiteral("after"), teamMockJson(c.mock));
    else
        e.details.insert(QStringLiteral("after"), QJsonValue());
    if (!outcome)
        e.details.insert(QStringLiteral("error"), outcome.message());
    return e;
}

AuditEvent testRunPublishEvent(const QStringList &published, const QStringList &already,
                               const QStringList &problems, const QString &actor, const QString &workspace)
{
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = AuditAction::testrunPublish;
    e.backendIdentity = actor;
    e.outcome = problems.isEmpty() ? AuditOutcome::Success : AuditOutcome::Failure;
    e.targetKind = QStringLiteral("test-runs");
    e.targetId = QString::number(published.size());
    e.targetName = Tr::tr("%n run(s) published", nullptr, int(published.size()));
    e.details = QJsonObject{{QStringLiteral("workspace"), workspace},
                            {QStringLiteral("published"), QJsonArray::fromStringList(published)},
                            {QStringLiteral("already"), QJsonArray::fromStringList(already)},
                            {QStringLiteral("problems"), QJsonArray::fromStringList(problems)}};
    return e;
}

} // namespace opsdeck
