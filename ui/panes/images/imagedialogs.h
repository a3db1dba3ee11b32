// The Images pane's dialogs: add an allowlist entry, ask for an image, decide a request. Each checks
// as the person types (models/images/imagechange.h) and says what is wrong before anything is sent;
// the workspace store still has the last word on who may.
#pragma once

#include "models/images/allowimport.h"
#include "models/images/imagechange.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QHash>
#include <QSet>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;

namespace opsdeck {

class ImageChangeDialog : public QDialog
{
    Q_OBJECT
public:
    // kind: Allow, Request, Approve or Deny. projects: the workspace's projects (for Allow and Request).
    ImageChangeDialog(ImageChange::Kind kind, const QStringList &projects, QWidget *parent = nullptr);
    // Approve/Deny: the request decided; text starts as the reference asked for.
    void setRequest(qint64 id, const QString &reference, const QString &project);
    void setText(const QString &text);
    void setProject(const QString &project);
    ImageChange change() const;

    QLineEdit *textEdit() const { return m_text; }
    QPlainTextEdit *reasonEdit() const { return m_reason; }
    QLabel *problemLabel() const { return m_problem; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void check();
    ImageChange::Kind m_kind;
    qint64 m_requestId = 0;
    QString m_requestProject;
    QLineEdit *m_text = nullptr;
    QComboBox *m_project = nullptr;
    QPlainTextEdit *m_reason;
    QCheckBox *m_expiresOn = nullptr;
    QDateEdit *m_expires = nullptr;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

// Prune a Docker host: which kinds (dangling or all unused images, stopped containers, unused volumes,
// build cache), with what each would take away and the space it frees listed before anything goes.
class HostPruneDialog : public QDialog
{
    Q_OBJECT
public:
    // hosts: the Docker connections (id, name); current: the one chosen first.
    HostPruneDialog(const QList<std::pair<qint64, QString>> &hosts, qint64 current,
                    QWidget *parent = nullptr);
    qint64 host() const;
    QList<int> kinds() const;    // PruneKind values
    QString previewText() const; // what the list shows, one line per item (tests, accessibility)
    QLabel *totalLabel() const { return m_total; }
    void setKindChecked(int kind, bool on);

private:
    void updatePreview();
    QComboBox *m_host;
    QList<std::pair<int, QCheckBox *>> m_kinds;
    QPlainTextEdit *m_preview;
    QLabel *m_total;
    QDialogButtonBox *m_buttons;
};

// A bulk import of allowlist entries: pasted or from a file, one reference a line with an optional
// "# reason"; every line planned as it is typed (new, invalid with the rule, duplicate, already
// allowed, not found in a synced registry) and shown before anything is sent. Import is possible
// only when no line is invalid or missing; the workspace service plans again and adds all or none.
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    // existing: the entries already allowed, normalised, by scope (empty: global).
    ImportDialog(const QStringList &projects, const QHash<QString, QSet<QString>> &existing,
                 QWidget *parent = nullptr);
    ~ImportDialog() override;
    void setContent(const QString &text);
    // Reads a file into the list (at most 4 MiB of text); false with the reason shown when it cannot.
    bool loadFile(const QString &path);
    void setProject(const QString &project);
    QString content() const;
    QString project() const;
    QString reason() const;
    QDateTime expires() const;
    QString source() const { return m_source; } // the file's name, or "pasted"
    QList<ImportLine> plan() const { return m_plan; }

    QPlainTextEdit *contentEdit() const { return m_content; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QTableWidget *previewTable() const { return m_preview; }
    QLabel *summaryLabel() const { return m_summary; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    bool registriesPending() const { return !m_registries.has_value(); }

private:
    void replan();
    void openFile();
    QHash<QString, QSet<QString>> m_existing;
    QComboBox *m_project;
    QLineEdit *m_reason;
    QCheckBox *m_expiresOn;
    QDateEdit *m_expires;
    QPlainTextEdit *m_content;
    QTableWidget *m_preview;
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
    QString m_source;
    QList<ImportLine> m_plan;
    std::optional<RegistryIndex> m_registries;
    QFutureWatcher<Result<RegistryIndex>> m_watcher;
};

} // namespace opsdeck
