// A GitHub Actions artifact as downloaded: a zip archive (libzip), read in place. Its XML files are
// offered as sequential devices that inflate as they are read, so that a large report never sits in
// memory whole; each entry's inflated size is capped against zip bombs, and no entry is written to
// disk, so names like "../x" are harmless.
#pragma once

#include "models/core/result.h"

#include <QIODevice>
#include <QList>
#include <QString>

#include <memory>

struct zip;
struct zip_file;

namespace opsdeck {

// One entry, inflated as it is read.
class ArtifactEntry : public QIODevice
{
public:
    ArtifactEntry(zip_file *file, QString name, qint64 maxBytes);
    ~ArtifactEntry() override;
    bool isSequential() const override { return true; }
    bool atEnd() const override;
    // Why reading stopped early (the cap, a damaged archive), else empty.
    QString failure() const { return m_failure; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    zip_file *m_file;
    QString m_name;
    qint64 m_max;
    qint64 m_read = 0;
    bool m_eof = false;
    QString m_failure;
};

class ArtifactZip
{
public:
    struct Entry
    {
        QString name;
        qint64 index = 0;
        qint64 size = 0; // inflated, as the archive's directory states it
    };

    ~ArtifactZip();
    ArtifactZip(const ArtifactZip &) = delete;
    ArtifactZip &operator=(const ArtifactZip &) = delete;

    // "artifact.zip" with a message for a file that is not a readable zip archive.
    static Result<std::unique_ptr<ArtifactZip>> open(const QString &path);

    // The files whose names end in .xml (any case), in name order; folders are left out.
    QList<Entry> xmlEntries() const;
    int entryCount() const;

    // The entry as a sequential device; reading beyond maxBytes of inflated data fails the read
    // (the device's errorString says so). nullptr with error set when the entry cannot be opened.
    std::unique_ptr<ArtifactEntry> openEntry(const Entry &entry, qint64 maxBytes, Error *error) const;

    static constexpr qint64 maxEntryBytes = 4LL * 1024 * 1024 * 1024; // 4 GiB of XML per file

private:
    explicit ArtifactZip(::zip *archive) : m_zip(archive) {}
    ::zip *m_zip;
};

} // namespace opsdeck
