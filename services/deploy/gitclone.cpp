#include "services/deploy/gitclone.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <git2.h>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GitClone)
};

struct Payload
{
    const CloneOptions *options;
    int credentialTries = 0;
    int lastPercent = -1;
    QString token;
};

int credentials(git_credential **out, const char *, const char *, unsigned int allowed, void *data)
{
    auto *p = static_cast<Payload *>(data);
    // One try with the token; a second request means the server refused it.
    if (p->token.isEmpty() || ++p->credentialTries > 1 || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
        return GIT_PASSTHROUGH;
    return git_credential_userpass_plaintext_new(out, "x-access-token", p->token.toUtf8().constData());
}

void initGit()
{
    git_libgit2_init();
    // Debian's libgit2 speaks HTTPS through mbedTLS, which needs to be told where the CAs are.
    if (QFile::exists(QStringLiteral("/etc/ssl/certs/ca-certificates.crt")))
        git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, "/etc/ssl/certs/ca-certificates.crt", nullptr);
}

QString lastGitError()
{
    const git_error *e = git_error_last();
    return QString::fromUtf8(e && e->message ? e->message : "unknown error");
}

int transfer(const git_indexer_progress *stats, void *data)
{
    auto *p = static_cast<Payload *>(data);
    if (p->options->cancel && p->options->cancel->load())
        return -1; // libgit2 stops with GIT_EUSER
    if (p->options->progress && stats->total_objects > 0) {
        const int percent =
            int(90LL * (stats->received_objects + stats->indexed_objects) / (2LL * stats->total_objects));
        if (percent != p->lastPercent) {
            p->lastPercent = percent;
            p->options->progress(
                percent,
                Tr::tr("Receiving objects: %1 of %2").arg(stats->received_objects).arg(stats->total_objects));
        }
    }
    return 0;
}

void checkout(const char *, size_t done, size_t total, void *data)
{
    auto *p = static_cast<Payload *>(data);
    if (p->options->progress && total > 0)
        p->options->progress(90 + int(10 * done / total),
                             Tr::tr("Checking out files: %1 of %2").arg(done).arg(total));
}
} // namespace

QString sanitizeRepositoryName(const QString &text)
{
    QString s = text.normalized(QString::NormalizationForm_KD).toLower();
    static const QRegularExpression invalid(QStringLiteral("[^a-z0-9]+"));
    s.replace(invalid, QStringLiteral("-"));
    while (s.startsWith(QLatin1Char('-')))
        s.remove(0, 1);
    while (s.endsWith(QLatin1Char('-')))
        s.chop(1);
    return s.left(100);
}

Result<QString> remoteBranchCommit(const RemoteBranchOptions &options)
{
    if (options.cancel && options.cancel->load())
        return makeError("git.cancelled", Tr::tr("Asking %1 for its branches: cancelled").arg(options.url));
    initGit();
    Payload payload{nullptr, 0, -1, options.token};
    git_remote *remote = nullptr;
    Result<QString> result = QString();
    if (git_remote_create_detached(&remote, options.url.toUtf8().constData()) != 0) {
        result = makeError(
            "git.clone",
            Tr::tr("%1 is not a repository address git can use: %2").arg(options.url, lastGitError()));
    } else {
        git_remote_callbacks callbacks;
        git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
        callbacks.credentials = credentials;
        callbacks.payload = &payload;
        if (git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0) {
            result =
                makeError(payload.credentialTries > 1 ? "git.auth" : "git.clone",
                          Tr::tr("Asking %1 for its branches failed: %2").arg(options.url, lastGitError()));
        } else {
            const git_remote_head **heads = nullptr;
            size_t count = 0;
            const QByteArray wanted = "refs/heads/" + options.branch.toUtf8();
            if (git_remote_ls(&heads, &count, remote) == 0) {
                for (size_t i = 0; i < count; ++i)
                    if (wanted == heads[i]->name && !git_oid_is_zero(&heads[i]->oid)) {
                        char hex[GIT_OID_HEXSZ + 1] = {};
                        git_oid_tostr(hex, sizeof hex, &heads[i]->oid);
                        result = QString::fromLatin1(hex);
                    }
            } else {
                result = makeError(
                    "git.clone",
                    Tr::tr("Asking %1 for its branches failed: %2").arg(options.url, lastGitError()));
            }
            git_remote_disconnect(remote);
        }
        git_remote_free(remote);
    }
    git_libgit2_shutdown();
    return result;
}

Result<QString> cloneRepository(const CloneOptions &options)
{
    initGit();
    const QDir dir(options.directory);
    if (dir.exists() && !dir.isEmpty())
        return makeError("git.target",
                         Tr::tr("%1 exists and is not empty: nothing was cloned.").arg(options.directory));
    Payload payload{&options, 0, -1, options.token};
    git_clone_options clone;
    git_clone_options_init(&clone, GIT_CLONE_OPTIONS_VERSION);
    clone.fetch_opts.callbacks.credentials = credentials;
    clone.fetch_opts.callbacks.transfer_progress = transfer;
    clone.fetch_opts.callbacks.payload = &payload;
    clone.checkout_opts.progress_cb = checkout;
    clone.checkout_opts.progress_payload = &payload;
    const QByteArray branch = options.branch.toUtf8();
    if (!branch.isEmpty())
        clone.checkout_branch = branch.constData();
    git_repository *repo = nullptr;
    const int rc = git_clone(&repo, options.url.toUtf8().constData(),
                             QDir::toNativeSeparators(options.directory).toUtf8().constData(), &clone);
    if (rc != 0) {
        const QString why = rc == GIT_EUSER ? Tr::tr("cancelled") : lastGitError();
        QDir(options.directory).removeRecursively(); // nothing half-cloned stays
        git_libgit2_shutdown();
        return makeError(rc == GIT_EUSER               ? "git.cancelled"
                         : payload.credentialTries > 1 ? "git.auth"
                                                       : "git.clone",
                         Tr::tr("Cloning %1 failed: %2").arg(options.url, why));
    }
    QString head;
    git_oid oid;
    if (git_reference_name_to_id(&oid, repo, "HEAD") == 0) {
        char hex[GIT_OID_HEXSZ + 1] = {};
        git_oid_tostr(hex, sizeof hex, &oid);
        head = QString::fromLatin1(hex);
    }
    git_repository_free(repo);
    git_libgit2_shutdown();
    return head;
}

} // namespace opsdeck
