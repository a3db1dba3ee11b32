// Offboarding's steps on Harbor and LiteLLM, through the shared HTTP layer with the connection's
// secret (from the keychain) and CA: every route and field as ../shared/specs has them.
// - Harbor: every project (GET /api/v2.0/projects, paged), the person's memberships in it (GET
//   …/projects/{id}/members?entityname=, the user entries whose name is theirs exactly), each one
//   removed (DELETE …/projects/{id}/members/{mid}).
// - LiteLLM: the user's keys (GET /key/list?user_id=…&return_full_object=true, paged), each one not
//   blocked yet blocked (POST /key/block), then the user (POST /user/update {"blocked": true}).
// One call at a time, gently; done says what was done, or what failed and what was done before.
#pragma once

#include "models/connections/connection.h"
#include "services/connections/connectionservice.h"

#include <QObject>

#include <functional>

namespace opsdeck {

class HttpClient;

class OffboardingRemote : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const Outcome &)>;
    explicit OffboardingRemote(QObject *parent = nullptr);

    void removeHarborMember(const Connection &c, const QString &user, Done done);
    void blockLiteLlmUser(const Connection &c, const QString &userId, Done done);

private:
    // The client for c with its secret, or the reason there is none.
    void withClient(const Connection &c, std::function<void(HttpClient *, const Error &)> then);
    HttpClient *m_client = nullptr;
};

} // namespace opsdeck
