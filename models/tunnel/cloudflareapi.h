// Cloudflare API answers -> what Opsdeck needs of them (pure, fuzzed in tests/fuzz): the envelope
// every answer comes in, and the DNS record list a route removal looks its CNAME up in.
#pragma once

#include "models/core/result.h"

#include <QJsonObject>

namespace opsdeck {

// {"success": bool, "errors": [{"code", "message"}], "messages": [...], "result": …}: the whole
// object when success is true; otherwise an error that gives Cloudflare's messages with their codes.
Result<QJsonObject> cloudflareEnvelope(const QByteArray &body);

// The id of the record in a GET /zones/{zone_id}/dns_records answer's "result" that is a CNAME
// named hostname (case-insensitive, as DNS names are) pointing at target; empty when none is. A
// record that does not match all three is never chosen, whatever the server put in the list.
QString cnameRecordId(const QJsonObject &envelope, const QString &hostname, const QString &target);

} // namespace opsdeck
