// Parses the pages of a paged answer on Qt's thread pool as they arrive: parsing runs on other
// cores while the service waits for the next page and while it writes the pages parsed before.
// Pages come back in the order they were added. Used by every sync that reads a paged list.
//
//   PageParser<RunnerPage> pages(parseRunnerPage);
//   on each answer: pages.add(body); if (pages.failed()) stop fetching;
//   in the write:  for (i...) { auto page = pages.take(i); if (!page) fail; write *page; }
#pragma once

#include "models/core/result.h"

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <functional>

namespace opsdeck {

template<typename Page> class PageParser
{
public:
    using Parse = std::function<Result<Page>(const QByteArray &)>;
    // parse must be pure (a mapper): it runs on pool threads. parsed, when set, is called on the
    // pool thread with each page that parsed (for progress).
    explicit PageParser(Parse parse, std::function<void(const Page &)> parsed = {})
        : m_parse(std::move(parse)), m_parsed(std::move(parsed))
    {
    }
    ~PageParser()
    {
        for (QFuture<Result<Page>> &page : m_pages)
            if (page.isValid()) // a page handed over by take() is no longer
                page.waitForFinished();
    }
    PageParser(const PageParser &) = delete;
    PageParser &operator=(const PageParser &) = delete;

    void add(QByteArray body)
    {
        m_pages.append(QtConcurrent::run([this, body = std::move(body)]() -> Result<Page> {
            Result<Page> page = m_parse(body);
            if (!page)
                m_failed.store(true);
            else if (m_parsed)
                m_parsed(*page);
            return page;
        }));
    }
    qsizetype size() const { return m_pages.size(); }
    // Whether a page parsed so far was refused (stop fetching more).
    bool failed() const { return m_failed.load(); }
    // Waits for page i and hands it over (each page once).
    Result<Page> take(qsizetype i)
    {
        m_pages[i].waitForFinished();
        return m_pages[i].takeResult();
    }

private:
    Parse m_parse;
    std::function<void(const Page &)> m_parsed;
    QList<QFuture<Result<Page>>> m_pages;
    std::atomic<bool> m_failed = false;
};

} // namespace opsdeck
