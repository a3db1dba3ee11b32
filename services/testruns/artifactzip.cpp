#include "services/testruns/artifactzip.h"

#include <QCoreApplication>
#include <QFile>

#include <algorithm>

#include <zip.h>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ArtifactZip)
};

} // namespace

ArtifactEntry::ArtifactEntry(zip_file_t *file, QString name, qint64 maxBytes)
    : m_file(file), m_name(std::move(name)), m_max(maxBytes)
{
    QIODevice::open(QIODevice::ReadOnly);
}

ArtifactEntry::~ArtifactEntry()
{
    zip_fclose(m_file);
}

bool ArtifactEntry::atEnd() const
{
    return m_eof && QIODevice::bytesAvailable() == 0;
}

qint64 ArtifactEntry::readData(char *data, qint64 maxSize)
{
    if (m_eof)
        return m_failure.isEmpty() ? 0 : -1; // 0: the end, -1: an error (errorString)
    if (m_read > m_max) {
        m_failure = Tr::tr("%1 inflates to more than %2 MiB; it was not read further.")
                        .arg(m_name)
                        .arg(m_max / (1024 * 1024));
        setErrorString(m_failure);
        m_eof = true;
        return -1;
    }
    const zip_int64_t n = zip_fread(m_file, data, zip_uint64_t(qMin(maxSize, m_max - m_read + 1)));
    if (n < 0) {
        m_failure = Tr::tr("%1 cannot be inflated: %2")
                        .arg(m_name, QString::fromUtf8(zip_error_strerror(zip_file_get_error(m_file))));
        setErrorString(m_failure);
        m_eof = true;
        return -1;
    }
    if (n == 0) {
        m_eof = true;
        return 0;
    }
    m_read += n;
    return n;
}

ArtifactZip::~ArtifactZip()
{
    zip_discard(m_zip); // opened read-only: nothing to write back
}

Result<std::unique_ptr<ArtifactZip>> ArtifactZip::open(const QString &path)
{
    int code = 0;
    ::zip *archive = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const QString why = QString::fromUtf8(zip_error_strerror(&error));
        zip_error_fini(&error);
        return makeError("artifact.zip", Tr::tr("The artifact is not a readable zip archive: %1.").arg(why));
    }
    return std::unique_ptr<ArtifactZip>(new ArtifactZip(archive));
}

int ArtifactZip::entryCount() const
{
    return int(qMin<zip_int64_t>(zip_get_num_entries(m_zip, 0), std::numeric_limits<int>::max()));
}

QList<ArtifactZip::Entry> ArtifactZip::xmlEntries() const
{
    QList<Entry> out;
    const zip_int64_t n = zip_get_num_entries(m_zip, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(m_zip, zip_uint64_t(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
            continue;
        const QString name = QString::fromUtf8(st.name);
        if (name.endsWith(QLatin1Char('/')) || !name.endsWith(QLatin1String(".xml"), Qt::CaseInsensitive))
            continue;
        out << Entry{name, i, (st.valid & ZIP_STAT_SIZE) ? qint64(st.size) : 0};
    }
    std::sort(out.begin(), out.end(), [](const Entry &a, const Entry &b) { return a.name < b.name; });
    return out;
}

std::unique_ptr<ArtifactEntry> ArtifactZip::openEntry(const Entry &entry, qint64 maxBytes, Error *error) const
{
    zip_file_t *file = zip_fopen_index(m_zip, zip_uint64_t(entry.index), 0);
    if (!file) {
        if (error)
            *error = makeError("artifact.zip", Tr::tr("%1 cannot be opened in the artifact: %2")
                                                   .arg(entry.name, QString::fromUtf8(zip_strerror(m_zip))));
        return nullptr;
    }
    return std::make_unique<ArtifactEntry>(file, entry.name, maxBytes);
}

} // namespace opsdeck
