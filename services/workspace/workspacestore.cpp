#include "services/workspace/workspacestore.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>
#include <QUrlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::WorkspaceStore)
};

QString dialect(WorkspaceStore::Kind kind)
{
    return kind == WorkspaceStore::Kind::Team ? QStringLiteral("postgres") : QStringLiteral("sqlite");
}

QStringList migrationFiles(WorkspaceStore::Kind kind)
{
    QStringList files =
        QDir(QStringLiteral(":/workspace/") + dialect(kind)).entryList({QStringLiteral("*.sql")});
    files.sort();
    return files;
}

Result<void> run(QSqlDatabase db, const QString &statement, const QString &what)
{
    QSqlQuery q(db);
    if (!q.exec(statement))
        return WorkspaceStore::refusal(q.lastError(), what);
    return {};
}

// A URL as it may be shown: a password in it is cut out, never repeated in a message or log.
QString withoutPassword(const QString &url)
{
    static const QRegularExpression password(QStringLiteral("(//[^/@:]*):[^/@]*@"));
    QString shown = url;
    return shown.replace(password, QStringLiteral("\\1@"));
}

const QRegularExpression &loginPattern()
{
    static const QRegularExpression re(QStringLiteral("\\A[a-z_][a-z0-9_]{0,62}\\z"));
    return re;
}
} // namespace

QString WorkspaceUrl::display() const
{
    return QStringLiteral("postgresql://%1%2:%3/%4")
        .arg(user.isEmpty() ? QString() : user + QLatin1Char('@'), host)
        .arg(port)
        .arg(database);
}

Result<WorkspaceUrl> parseWorkspaceUrl(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const auto refuse = [&](const QString &why) {
        return makeError("workspace.url", Tr::tr("\"%1\" is not a workspace address: %2 Write "
                                                 "postgresql://LOGIN@HOST[:PORT]/DATABASE.")
                                              .arg(withoutPassword(text.trimmed()), why));
    };
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres")))
        return refuse(Tr::tr("it must start with postgresql://."));
    if (!url.password().isEmpty())
        return refuse(Tr::tr("the password does not go into the address (it would be kept in settings and "
                             "shell history); Opsdeck asks for it, or takes PGPASSWORD."));
    WorkspaceUrl w;
    w.user = url.userName();
    w.host = url.host();
    w.port = url.port(5432);
    w.database = url.path().mid(1);
    const QUrlQuery query(url);
    w.host =
        query.hasQueryItem(QStringLiteral("host")) ? query.queryItemValue(QStringLiteral("host")) : w.host;
    if (w.host.isEmpty())
        return refuse(Tr::tr("it names no host."));
    if (w.database.isEmpty() || w.database.contains(QLatin1Char('/')))
        return refuse(Tr::tr("it names no database."));
    if (w.port < 1 || w.port > 65535)
        return refuse(Tr::tr("the port must be 1 to 65535."));
    static const QStringList modes{QStringLiteral("disable"),   QStringLiteral("allow"),
                                   QStringLiteral("prefer"),    QStringLiteral("require"),
                                   QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("sslmode")) {
            if (!modes.contains(value))
                return refuse(Tr::tr("sslmode is one of %1.").arg(modes.join(QStringLiteral(", "))));
            w.sslMode = value;
        } else if (key == QLatin1String("sslrootcert")) {
            w.sslRootCert = value;
        } else if (key == QLatin1String("sslcert")) {
            w.sslCert = value;
        } else if (key == QLatin1String("sslkey")) {
            w.sslKey = value;
        } else if (key != QLatin1String("host")) {
            return refuse(Tr::tr("Opsdeck does not know the parameter \"%1\".").arg(key));
        }
    }
    return w;
}

WorkspaceCredential WorkspaceCredential::fromPassword(const QString &password)
{
    WorkspaceCredential c;
    c.password = password;
    return c;
}

QString WorkspaceCredential::toSecret() const
{
    QJsonObject o;
    if (!password.isEmpty())
        o.insert(QStringLiteral("password"), password);
    if (hasCertificate()) {
        o.insert(QStringLiteral("certificate"), QString::fromLatin1(certificate));
        o.insert(QStringLiteral("key"), QString::fromLatin1(key));
    }
    o.insert(QStringLiteral("opsdeck_credential"), 1);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

WorkspaceCredential WorkspaceCredential::fromSecret(const QString &secret)
{
    const QJsonDocument doc = QJsonDocument::fromJson(secret.toUtf8());
    if (!doc.isObject() || !doc.object().contains(QStringLiteral("opsdeck_credential")))
        return fromPassword(secret); // kept by an older Opsdeck: the password itself
    const QJsonObject o = doc.object();
    WorkspaceCredential c;
    c.password = o.value(QStringLiteral("password")).toString();
    c.certificate = o.value(QStringLiteral("certificate")).toString().toLatin1();
    c.key = o.value(QStringLiteral("key")).toString().toLatin1();
    return c;
}

Result<WorkspaceCredential> WorkspaceCredential::fromFiles(const QString &certificatePath,
                                                           const QString &keyPath)
{
    const auto bad = [](const QString &why) {
        return makeError("workspace.certificate", why);
    };
    if (certificatePath.trimmed().isEmpty() || keyPath.trimmed().isEmpty())
        return bad(Tr::tr("A client certificate needs both files: the certificate and its private key."));
    const auto read = [&bad](const QString &path, const QString &what) -> Result<QByteArray> {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return bad(Tr::tr("Cannot read the %1 %2: %3").arg(what, path, f.errorString()));
        if (f.size() > 64 * 1024)
            return bad(Tr::tr("The %1 %2 is larger than 64 KiB: not a PEM file.").arg(what, path));
        return f.readAll();
    };
    const auto cert = read(certificatePath, Tr::tr("certificate"));
    if (!cert)
        return cert.error();
    const auto key = read(keyPath, Tr::tr("private key"));
    if (!key)
        return key.error();
    const QList<QSslCertificate> parsed = QSslCertificate::fromData(cert.value(), QSsl::Pem);
    if (parsed.isEmpty() || parsed.first().isNull())
        return bad(Tr::tr("%1 holds no PEM certificate (-----BEGIN CERTIFICATE-----).").arg(certificatePath));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (parsed.first().expiryDate() < now)
        return bad(Tr::tr("The certificate in %1 expired on %2.")
                       .arg(certificatePath, parsed.first().expiryDate().toString(Qt::ISODate)));
    if (parsed.first().effectiveDate() > now)
        return bad(Tr::tr("The certificate in %1 is valid only from %2.")
                       .arg(certificatePath, parsed.first().effectiveDate().toString(Qt::ISODate)));
    static const QRegularExpression privateKey(QStringLiteral("-----BEGIN ([A-Z]+ )?PRIVATE KEY-----"));
    if (!privateKey.match(QString::fromLatin1(key.value())).hasMatch())
        return bad(Tr::tr("%1 holds no PEM private key (-----BEGIN PRIVATE KEY-----).").arg(keyPath));
    if (key->contains("ENCRYPTED"))
        return bad(Tr::tr("The private key in %1 is protected by a passphrase; the keychain protects it "
                          "instead: remove the passphrase (openssl pkey -in KEY -out PLAIN) and choose that.")
                       .arg(keyPath));
    WorkspaceCredential c;
    c.certificate = cert.value();
    c.key = key.value();
    return c;
}

QString WorkspaceStore::credentialScratchBase()
{
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    return runtime.isEmpty() ? QDir::tempPath() : runtime;
}

int WorkspaceSchema::latest()
{
    return int(migrationFiles(WorkspaceStore::Kind::Team).size());
}

WorkspaceStore::WorkspaceStore(WorkspaceStore &&other) noexcept
    : m_kind(other.m_kind), m_connectionName(std::exchange(other.m_connectionName, QString()))
{
}

WorkspaceStore::~WorkspaceStore()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Error WorkspaceStore::refusal(const QSqlError &e, const QString &what)
{
    // The store's own words ("a workspace has at most two superusers", "permission denied for …").
    QString text = e.databaseText().trimmed().isEmpty() ? e.text().trimmed() : e.databaseText().trimmed();
    // PostgreSQL's "ERROR:  the reason\nCONTEXT:  PL/pgSQL function …": the reason is what people read.
    text = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (text.startsWith(QLatin1String("ERROR:")))
        text = text.mid(6).trimmed();
    const QString code = e.nativeErrorCode();
    const char *id = code == QLatin1String("42501") ? "workspace.denied"
                     : code == QLatin1String("23505") || text.contains(QLatin1String("UNIQUE constraint"))
                         ? "workspace.exists"
                         : "workspace.sql";
    return makeError(id, Tr::tr("%1: %2").arg(what, text));
}

QVariant WorkspaceStore::timeValue(const QDateTime &t) const
{
    const bool team = m_kind == Kind::Team;
    if (!t.isValid())
        return QVariant(team ? QMetaType(QMetaType::QDateTime) : QMetaType(QMetaType::QString));
    return team ? QVariant(t.toUTC()) : QVariant(t.toUTC().toString(Qt::ISODateWithMs));
}

QSqlDatabase WorkspaceStore::db() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Result<WorkspaceStore> WorkspaceStore::openLocal(const QString &path, const QString &connectionName)
{
    WorkspaceStore store;
    store.m_kind = Kind::Local;
    store.m_connectionName = connectionName;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(path);
    if (!db.open())
        return makeError("workspace.open",
                         Tr::tr("Cannot open the local workspace %1: %2").arg(path, db.lastError().text()));
    if (auto r = run(db, QStringLiteral("PRAGMA foreign_keys = ON"), Tr::tr("Opening the local workspace"));
        !r)
        return r.error();
    return store;
}

Result<WorkspaceStore> WorkspaceStore::openTeam(const WorkspaceUrl &url,
                                                const WorkspaceCredential &credential,
                                                const QString &connectionName)
{
    WorkspaceStore store;
    store.m_kind = Kind::Team;
    store.m_connectionName = connectionName;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    if (!db.isValid())
        return makeError("workspace.driver",
                         Tr::tr("Qt's PostgreSQL driver (QPSQL) is not installed: install libqt6sql6-psql."));
    db.setHostName(url.host);
    db.setPort(url.port);
    db.setDatabaseName(url.database);
    db.setUserName(url.user);
    if (!credential.password.isEmpty())
        db.setPassword(credential.password);
    QStringList options{QStringLiteral("connect_timeout=10"), QStringLiteral("application_name=opsdeck")};
    if (!url.sslMode.isEmpty())
        options << QStringLiteral("sslmode=") + url.sslMode;
    if (!url.sslRootCert.isEmpty())
        options << QStringLiteral("sslrootcert=") + url.sslRootCert;
    // A client certificate from the keychain: libpq reads files, so the certificate and key are
    // written to a private directory (0700, the key 0600) for the moment of connecting, and removed
    // as soon as the connection is made or refused.
    std::optional<QTemporaryDir> scratch;
    if (credential.hasCertificate()) {
        scratch.emplace(credentialScratchBase() + QStringLiteral("/opsdeck-tls-XXXXXX"));
        const auto write = [&scratch](const QString &name, const QByteArray &pem) {
            QFile f(scratch->filePath(name));
            const bool ok = f.open(QIODevice::WriteOnly) &&
                            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner) &&
                            f.write(pem) == pem.size();
            return ok && f.flush();
        };
        if (!scratch->isValid() || !write(QStringLiteral("client.crt"), credential.certificate) ||
            !write(QStringLiteral("client.key"), credential.key))
            return makeError("workspace.certificate",
                             Tr::tr("Cannot prepare the client certificate for signing in to %1 (no private "
                                    "directory under %2).")
                                 .arg(url.display(), credentialScratchBase()));
        options << QStringLiteral("sslcert=") + scratch->filePath(QStringLiteral("client.crt"))
                << QStringLiteral("sslkey=") + scratch->filePath(QStringLiteral("client.key"));
    } else {
        if (!url.sslCert.isEmpty())
            options << QStringLiteral("sslcert=") + url.sslCert;
        if (!url.sslKey.isEmpty())
            options << QStringLiteral("sslkey=") + url.sslKey;
    }
    db.setConnectOptions(options.join(QLatin1Char(';')));
    const bool opened = db.open();
    scratch.reset(); // the key leaves the disk whatever the outcome
    if (!opened) {
        const QString why = db.lastError().databaseText().trimmed().isEmpty()
                                ? db.lastError().text()
                                : db.lastError().databaseText().trimmed();
        return makeError(why.contains(QLatin1String("not permitted to log in")) ? "workspace.inactive"
                         : why.contains(QLatin1String("password")) ||
                                 why.contains(QLatin1String("authentication"))
                             ? "workspace.auth"
                             : "workspace.unreachable",
                         Tr::tr("Cannot sign in to the team workspace %1: %2").arg(url.display(), why));
    }
    return store;
}

QString WorkspaceStore::loginFor(const QString &osUser)
{
    QString login;
    for (const QChar c : osUser.toLower())
        login += (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                         (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
                     ? c
                     : QLatin1Char('_');
    if (login.isEmpty())
        return QStringLiteral("admin");
    if (login.front().isDigit())
        login.prepend(QLatin1Char('_'));
    return login.left(63);
}

Result<int> WorkspaceStore::schemaVersion() const
{
    QSqlQuery q(db());
    const QString exists = m_kind == Kind::Team
                               ? QStringLiteral("SELECT to_regclass('public.workspace_meta') IS NOT NULL")
                               : QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                                                "name = 'workspace_meta'");
    if (!q.exec(exists) || !q.next())
        return Database::describe(q.lastError(), Tr::tr("Reading the workspace schema version"));
    if (!q.value(0).toBool())
        return 0;
    if (!q.exec(QStringLiteral("SELECT value FROM workspace_meta WHERE key = 'schema_version'")))
        return Database::describe(q.lastError(), Tr::tr("Reading the workspace schema version"));
    return q.next() ? q.value(0).toInt() : 0;
}

Result<void> WorkspaceStore::migrate(int from) const
{
    QSqlDatabase database = db();
    const QStringList files = migrationFiles(m_kind);
    for (int v = from + 1; v <= files.size(); ++v) {
        QFile file(QStringLiteral(":/workspace/%1/%2").arg(dialect(m_kind), files.at(v - 1)));
        if (!file.open(QIODevice::ReadOnly))
            return makeError("workspace.migration",
                             Tr::tr("Migration %1 is missing from Opsdeck.").arg(files.at(v - 1)));
        const QString script = QString::fromUtf8(file.readAll());
        const QString what = Tr::tr("Workspace migration %1").arg(files.at(v - 1));
        // PostgreSQL takes a whole script in one simple query; SQLite one statement at a time.
        const QStringList statements =
            m_kind == Kind::Team ? QStringList{script} : Database::splitStatements(script);
        for (const QString &statement : statements)
            if (auto r = run(database, statement, what); !r)
                return r;
    }
    QSqlQuery q(database);
    q.prepare(m_kind == Kind::Team
                  ? QStringLiteral("INSERT INTO workspace_meta (key, value) VALUES "
                                   "('schema_version', ?) ON CONFLICT (key) DO UPDATE SET "
                                   "value = excluded.value")
                  : QStringLiteral("INSERT OR REPLACE INTO workspace_meta (key, value) VALUES "
                                   "('schema_version', ?)"));
    q.addBindValue(QString::number(files.size()));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Recording the workspace schema version"));
    return {};
}

Result<void> WorkspaceStore::initialize(const QString &superuser, const QString &email,
                                        const QString &password) const
{
    if (!loginPattern().match(superuser).hasMatch())
        return makeError(
            "workspace.login",
            Tr::tr("\"%1\" is not a workspace login: lower-case letters, digits and '_', starting "
                   "with a letter or '_', at most 63.")
                .arg(superuser));
    QSqlDatabase database = db();
    if (!database.transaction())
        return Database::describe(database.lastError(), Tr::tr("Starting the workspace set-up"));
    const auto fail = [&database](const Error &e) {
        database.rollback();
        return Result<void>(e);
    };
    if (m_kind == Kind::Team) // two owners running init at once: one after the other
        if (auto r = run(database, QStringLiteral("SELECT pg_advisory_xact_lock(hashtext('opsdeck.init'))"),
                         Tr::tr("Locking the workspace set-up"));
            !r)
            return fail(r.error());
    const auto version = schemaVersion();
    if (!version)
        return fail(version.error());
    if (version.value() > WorkspaceSchema::latest())
        return fail(
            makeError("workspace.newer",
                      Tr::tr("The workspace holds schema %1, newer than this Opsdeck knows (%2): it was "
                             "left as it is. Use a newer Opsdeck.")
                          .arg(version.value())
                          .arg(WorkspaceSchema::latest())));
    if (version.value() < WorkspaceSchema::latest())
        if (auto r = migrate(version.value()); !r)
            return fail(r.error());
    // The first superuser, unless the workspace has one by that login already.
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT role FROM people WHERE login = ?"));
    q.addBindValue(superuser);
    if (!q.exec())
        return fail(Database::describe(q.lastError(), Tr::tr("Looking for %1").arg(superuser)));
    if (q.next()) {
        if (q.value(0).toString() != QLatin1String("superuser"))
            return fail(
                makeError("workspace.login", Tr::tr("%1 is a person of this workspace already, with the role "
                                                    "%2: choose another first superuser.")
                                                 .arg(superuser, q.value(0).toString())));
    } else {
        q.prepare(QStringLiteral(
            "INSERT INTO people (login, email, role, created_at) VALUES (?, ?, 'superuser', ?)"));
        q.addBindValue(superuser);
        q.addBindValue(email.isEmpty() ? QStringLiteral("") : email); // a null QString binds as NULL
        q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
        if (!q.exec())
            return fail(
                Database::describe(q.lastError(), Tr::tr("Adding the first superuser %1").arg(superuser)));
        if (m_kind == Kind::Team) {
            QSqlQuery exists(database);
            exists.prepare(QStringLiteral("SELECT 1 FROM pg_roles WHERE rolname = ?"));
            exists.addBindValue(superuser);
            if (!exists.exec())
                return fail(Database::describe(exists.lastError(),
                                               Tr::tr("Looking for the login %1").arg(superuser)));
            if (!exists.next()) {
                // Identifiers and literals quoted by the server itself.
                QSqlQuery create(database);
                create.prepare(password.isEmpty()
                                   ? QStringLiteral("SELECT format('CREATE ROLE %I LOGIN', ?::text)")
                                   : QStringLiteral("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', "
                                                    "?::text, ?::text)"));
                create.addBindValue(superuser);
                if (!password.isEmpty())
                    create.addBindValue(password);
                if (!create.exec() || !create.next())
                    return fail(Database::describe(create.lastError(),
                                                   Tr::tr("Creating the login %1").arg(superuser)));
                if (auto r = run(database, create.value(0).toString(),
                                 Tr::tr("Creating the login %1").arg(superuser));
                    !r)
                    return fail(r.error());
            }
            QSqlQuery grant(database);
            grant.prepare(
                QStringLiteral("SELECT format('GRANT %I TO %I', opsdeck_group('superuser'), ?::text)"));
            grant.addBindValue(superuser);
            if (!grant.exec() || !grant.next())
                return fail(
                    Database::describe(grant.lastError(), Tr::tr("Making %1 a superuser").arg(superuser)));
            if (auto r =
                    run(database, grant.value(0).toString(), Tr::tr("Making %1 a superuser").arg(superuser));
                !r)
                return fail(r.error());
        }
    }
    if (!database.commit())
        return fail(Database::describe(database.lastError(), Tr::tr("Committing the workspace set-up")));
    return {};
}

Result<QString> WorkspaceStore::actingLogin() const
{
    QSqlQuery q(db());
    if (!q.exec(m_kind == Kind::Team
                    ? QStringLiteral("SELECT session_user")
                    : QStringLiteral("SELECT login FROM people WHERE role = 'superuser' ORDER BY id "
                                     "LIMIT 1")) ||
        !q.next())
        return Database::describe(q.lastError(), Tr::tr("Reading who acts in the workspace"));
    return q.value(0).toString();
}

Result<WorkspacePerson> WorkspaceStore::person(const QString &login) const
{
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT login, role, active FROM people WHERE login = ?"));
    q.addBindValue(login);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the person %1").arg(login));
    if (!q.next())
        return makeError("workspace.no-person", Tr::tr("%1 is not a person of this workspace.").arg(login));
    return WorkspacePerson{q.value(0).toString(), q.value(1).toString(), q.value(2).toBool()};
}

Result<QList<WorkspaceGrant>> WorkspaceStore::grants() const
{
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral(
            "SELECT id, subject_kind, subject, action, scope, effect, granted_by FROM grants ORDER "
            "BY id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the grants"));
    QList<WorkspaceGrant> out;
    while (q.next()) {
        WorkspaceGrant g;
        g.id = q.value(0).toLongLong();
        g.subjectKind = q.value(1).toString();
        g.subject = q.value(2).toString();
        g.action = q.value(3).toString();
        g.scope = q.value(4).toString();
        g.allow = q.value(5).toString() == QLatin1String("allow");
        g.grantedBy = q.value(6).toString();
        out << g;
    }
    return out;
}

namespace {
// A time as the cache keeps it: PostgreSQL's timestamptz arrives as a QDateTime, SQLite's as text.
QString storedTime(const QVariant &value)
{
    if (value.isNull())
        return QStringLiteral("");
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime().toUTC().toString(Qt::ISODateWithMs);
    return value.toString();
}
} // namespace

Result<QList<WorkspacePerson>> WorkspaceStore::people() const
{
    QSqlQuery q(db());
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT login, role, active, email, display_name, github_login, created_at, "
                           "last_seen_at, identities, reviewed_at, intro_done FROM people ORDER BY login")))
        return Database::describe(q.lastError(), Tr::tr("Reading the people of the workspace"));
    QList<WorkspacePerson> out;
    while (q.next()) {
        WorkspacePerson p{q.value(0).toString(), q.value(1).toString(), q.value(2).toBool()};
        p.email = q.value(3).toString();
        p.displayName = q.value(4).toString();
        p.githubLogin = q.value(5).toString();
        p.createdAt = storedTime(q.value(6));
        p.lastSeenAt = storedTime(q.value(7));
        const QJsonObject identities = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
        p.harborUser = identities.value(QLatin1String("harbor")).toString();
        p.litellmUser = identities.value(QLatin1String("litellm")).toString();
        p.oidcSubject = identities.value(QLatin1String("oidc")).toString();
        p.reviewedAt = storedTime(q.value(9));
        p.introDone = q.value(10).toBool();
        out << p;
    }
    return out;
}

Result<QList<RunnerOwner>> WorkspaceStore::runnerOwners() const
{
    QSqlQuery q(db());
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT connection, runner, owner_login, mode, provisioned_at FROM runner_owners "
                           "ORDER BY connection, runner")))
        return Database::describe(q.lastError(), Tr::tr("Reading who provisioned which runner"));
    QList<RunnerOwner> out;
    while (q.next())
        out << RunnerOwner{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                           q.value(3).toString(), storedTime(q.value(4))};
    return out;
}

Result<QList<StoredPolicy>> WorkspaceStore::runnerPolicies() const
{
    QSqlQuery q(db());
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT connection, policy, updated_by, updated_at FROM runner_policies ORDER BY "
                           "connection")))
        return Database::describe(q.lastError(), Tr::tr("Reading the runner label policies"));
    QList<StoredPolicy> out;
    while (q.next()) {
        // jsonb comes back reformatted; the cache keeps it compact, as the desktop writes it.
        const QJsonDocument policy = QJsonDocument::fromJson(q.value(1).toString().toUtf8());
        out << StoredPolicy{q.value(0).toString(), QString::fromUtf8(policy.toJson(QJsonDocument::Compact)),
                            q.value(2).toString(), storedTime(q.value(3))};
    }
    return out;
}

Result<void> WorkspaceStore::setIntroductionDone(bool done) const
{
    QSqlQuery q(db());
    if (m_kind == Kind::Team) {
        q.prepare(QStringLiteral("SELECT opsdeck_person_intro_done(?)"));
        q.addBindValue(done);
    } else {
        const auto actor = actingLogin();
        if (!actor)
            return actor.error();
        q.prepare(QStringLiteral("UPDATE people SET intro_done = ? WHERE login = ?"));
        q.addBindValue(done ? 1 : 0);
        q.addBindValue(actor.value());
    }
    if (!q.exec())
        return refusal(q.lastError(), Tr::tr("Recording the first-run introduction"));
    return {};
}

Result<void> WorkspaceStore::saveRunnerPolicy(const QString &connection, const QString &policyJson) const
{
    QSqlQuery q(db());
    if (m_kind == Kind::Team) {
        q.prepare(QStringLiteral("SELECT opsdeck_runner_policy_save(?, ?::jsonb)"));
        q.addBindValue(connection);
        q.addBindValue(policyJson);
    } else {
        const auto actor = actingLogin();
        if (!actor)
            return actor.error();
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO runner_policies (connection, policy, updated_by, "
                                 "updated_at) VALUES (?, ?, ?, ?)"));
        q.addBindValue(connection);
        q.addBindValue(policyJson);
        q.addBindValue(actor.value());
        q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    }
    if (!q.exec())
        return refusal(q.lastError(), Tr::tr("Saving the label policy of %1").arg(connection));
    return {};
}

Result<void> WorkspaceStore::recordRunnerOwners(const QList<RunnerOwner> &runners) const
{
    const auto actor = actingLogin();
    if (!actor)
        return actor.error();
    QSqlDatabase database = db();
    if (!database.transaction())
        return Database::describe(database.lastError(), Tr::tr("Recording runner owners"));
    QSqlQuery q(database);
    q.prepare(
        m_kind == Kind::Team
            ? QStringLiteral("SELECT opsdeck_runner_owner_add(?, ?, ?)")
            : QStringLiteral("INSERT OR REPLACE INTO runner_owners (connection, runner, mode, owner_login, "
                             "provisioned_at) VALUES (?, ?, ?, ?, ?)"));
    for (const RunnerOwner &r : runners) {
        q.addBindValue(r.connection);
        q.addBindValue(r.runner);
        q.addBindValue(r.mode);
        if (m_kind == Kind::Local) {
            q.addBindValue(actor.value());
            q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
        }
        if (!q.exec()) {
            const Error e = refusal(q.lastError(), Tr::tr("Recording that %1 provisioned runner %2 on %3")
                                                       .arg(actor.value(), r.runner, r.connection));
            database.rollback();
            return e;
        }
    }
    if (!database.commit())
        return Database::describe(database.lastError(), Tr::tr("Recording runner owners"));
    return {};
}

} // namespace opsdeck
