// A local server answering as a Docker engine of a given API range, the way dockerd does: GET
// /version names the range, /vMAJOR.MINOR/... paths are routed like the plain ones, a version
// outside the range is refused with dockerd's 400, and every request is checked against the API
// 1.47 description, the version Opsdeck's mappers read. Opsdeck pins its requests, so an unversioned
// request other than /_ping and /version is recorded as a violation.
#pragma once

#include "testhttpserver.h"

struct FakeEngine
{
    QString apiVersion = QStringLiteral("1.47");
    QString minApiVersion = QStringLiteral("1.24");
    QString engineVersion = QStringLiteral("27.5.1");
};

void serveAsDockerEngine(TestHttpServer &server, const FakeEngine &engine = {});
