// The workspace store: Opsdeck's own records (people, roles, grants, projects, runner owners, the
// team's audit trail), as opposed to cached copies of remote data. Two kinds with one schema and
// one code path through Qt SQL: local (SQLite in the data directory, one admin who is its
// superuser) and team (PostgreSQL 15, where every person signs in with their own login and the
// database decides what each may do: resources/workspace/postgres). Versioned migrations for both
// dialects; a store that holds a newer schema than this Opsdeck knows is refused, never touched.
#pragma once

#include "models/core/result.h"
#include "models/workspace/permissions.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QVariant>

namespace opsdeck {

// postgresql://[USER@]HOST[:PORT]/DATABASE[?sslmode=…&sslrootcert=…&sslcert=…&sslkey=…], a libpq
// connection URI. The password never goes in it: libpq takes PGPASSWORD, or it is given apart.
struct WorkspaceUrl
{
    QString user;
    QString host; // a host name, an address, or a socket directory (starting with '/')
    int port = 5432;
    QString database;
    QString sslMode; // disable, require, verify-ca, verify-full; empty: libpq's default
    QString sslRootCert;
    QString sslCert;
    QString sslKey;
    QString display() const; // without secrets: "postgresql://alice@db.example.com:5432/opsdeck"
};
Result<WorkspaceUrl> parseWorkspaceUrl(const QString &url);

// How a person signs in to the team store: a password, or a client certificate with its key (the
// server maps the certificate's common name to the login). Both are kept in the keychain as one
// secret (toSecret); never in settings, and the key is on disk only while a connection is made
// (WorkspaceStore::openTeam writes it to a private file and removes it once libpq has read it).
struct WorkspaceCredential
{
    QString password;       // empty: libpq's PGPASSWORD or ~/.pgpass, or the certificate
    QByteArray certificate; // PEM; empty: none
    QByteArray key;         // PEM, the certificate's private key (unencrypted)
    bool hasCertificate() const { return !certificate.isEmpty(); }

    static WorkspaceCredential fromPassword(const QString &password);
    // What the keychain keeps: a small JSON object.
    QString toSecret() const;
    // The keychain's secret; one kept by an older Opsdeck is the password itself.
    static WorkspaceCredential fromSecret(const QString &secret);
    // A certificate and its key read from PEM files (as a CA issues them), checked: both present,
    // PEM, the certificate parses and is in date, the key is not protected by a passphrase; at most
    // 64 KiB each. "workspace.certificate" with what is wrong.
    static Result<WorkspaceCredential> fromFiles(const QString &certificatePath, const QString &keyPath);
};

// Who provisioned which runner: connection by name, runner by its GitHub id, mode jit or registration.
struct RunnerOwner
{
    QString connection;
    QString runner;
    QString owner;
    QString mode;
    QString provisionedAt; // UTC, ISO 8601
};

// A connection's runner label policy as the workspace keeps it (policy: the LabelPolicy's JSON).
struct StoredPolicy
{
    QString connection;
    QString policy;
    QString updatedBy;
    QString updatedAt; // UTC, ISO 8601
};

namespace WorkspaceSchema {
// The newest schema this Opsdeck writes and reads.
int latest();
} // namespace WorkspaceSchema

class WorkspaceStore
{
public:
    enum class Kind { Local, Team };

    WorkspaceStore() = default;
    WorkspaceStore(const WorkspaceStore &) = delete;
    WorkspaceStore &operator=(const WorkspaceStore &) = delete;
    WorkspaceStore(WorkspaceStore &&other) noexcept;
    ~WorkspaceStore();

    // A store on its own named Qt SQL connection (so that each thread opens its own).
    static Result<WorkspaceStore> openLocal(const QString &path, const QString &connectionName);
    static Result<WorkspaceStore> openTeam(const WorkspaceUrl &url, const WorkspaceCredential &credential,
                                           const QString &connectionName);
    // Where openTeam writes a client certificate's key for the moment of connecting: a private
    // directory under $XDG_RUNTIME_DIR (else the temporary directory), named opsdeck-tls-*.
    static QString credentialScratchBase();

    Kind kind() const { return m_kind; }
    QSqlDatabase db() const;
    // A time as this store keeps it: timestamptz on PostgreSQL, ISO 8601 text with milliseconds on
    // SQLite (UTC both); a typed NULL when the time is invalid.
    QVariant timeValue(const QDateTime &t) const;
    // 0: no workspace schema yet.
    Result<int> schemaVersion() const;
    // The local store's superuser login for an OS user name ("Ada.Lovelace" -> "ada_lovelace").
    static QString loginFor(const QString &osUser);
    // Creates or upgrades the schema in one transaction, and makes `superuser` the first superuser
    // (a team store: the group roles, grants and row-level security too, and the person's login
    // with `password`, if given). Idempotent: run again, it changes nothing and succeeds. Refuses a
    // store with a newer schema. A team store is initialised by its database owner.
    Result<void> initialize(const QString &superuser, const QString &email,
                            const QString &password = {}) const;
    // The person this connection acts as: the login of a team store, the one superuser of a local one.
    Result<QString> actingLogin() const;
    // "workspace.no-person" when the login is not a person of the workspace.
    Result<WorkspacePerson> person(const QString &login) const;
    Result<QList<WorkspaceGrant>> grants() const;
    // Everyone, by login.
    Result<QList<WorkspacePerson>> people() const;
    Result<QList<RunnerOwner>> runnerOwners() const;
    // The acting person provisioned these runners (owner and time are the store's: on a team store
    // the login that records them). One transaction; a runner someone else owns is refused there.
    Result<void> recordRunnerOwners(const QList<RunnerOwner> &runners) const;
    Result<QList<StoredPolicy>> runnerPolicies() const;
    // The acting person has (or has not) finished the first-run introduction; each person records
    // only their own (opsdeck_person_intro_done on a team store).
    Result<void> setIntroductionDone(bool done) const;
    // Saves a connection's policy as the acting person: on a team store through
    // opsdeck_runner_policy_save, which refuses a login not allowed policy.update on it.
    Result<void> saveRunnerPolicy(const QString &connection, const QString &policyJson) const;
    // A refused statement in the store's own words: "workspace.denied" (not allowed to this login),
    // "workspace.exists" (a duplicate), otherwise "workspace.sql"; `what` says what was being done.
    static Error refusal(const QSqlError &error, const QString &what);

private:
    Result<void> migrate(int from) const;
    Kind m_kind = Kind::Local;
    QString m_connectionName;
};

} // namespace opsdeck
