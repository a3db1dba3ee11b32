// Errors travel as values: Result<T> holds either a value or an Error with a human-readable,
// translated message. Modelled on std::expected, which C++20 does not have yet.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace opsdeck {

struct Error
{
    // A stable code for programmatic checks ("db.corrupt", "http.timeout", ...) and a message for people.
    QString code;
    QString message;

    bool operator==(const Error &) const = default;
};

template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<Error>(m_data); }
    QString message() const { return ok() ? QString() : error().message; }

private:
    std::variant<T, Error> m_data;
};

template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    QString message() const { return ok() ? QString() : m_error->message; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(const char *code, const QString &message)
{
    return Error{QString::fromLatin1(code), message};
}

} // namespace opsdeck
