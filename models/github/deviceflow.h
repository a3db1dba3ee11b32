// GitHub's OAuth device flow, the answers (../shared/specs/github/oauth-device-flow.excerpt.md):
// the device code (POST /login/device/code) and each poll of the token endpoint (POST
// /login/oauth/access_token), asked for as JSON. Pure, fuzzed. Used to link a person's GitHub login
// to the workspace: the token proves who they are (GET /user) and is never stored.
#pragma once

#include "models/core/result.h"

#include <QString>
#include <QUrl>

namespace opsdeck {

struct DeviceCode
{
    QString deviceCode;
    QString userCode; // "WDJB-MJHT": what the person types at verificationUri
    QUrl verificationUri;
    int expiresIn = 900; // seconds
    int interval = 5;    // seconds between polls, at least
};

// "github.device" when the answer lacks a field or has one of the wrong kind, or carries an error
// ("device_flow_disabled": the app does not allow the device flow).
Result<DeviceCode> parseDeviceCode(const QByteArray &body);

struct DevicePoll
{
    enum class State { Token, Pending, SlowDown, Expired, Denied, Failed };
    State state = State::Failed;
    QString accessToken; // Token
    int interval = 0;    // SlowDown: the new interval (the last one + 5 when the answer names none)
    QString message;     // Failed, Expired, Denied: for people
};

// One poll's answer (HTTP 200 with an "error" while it waits). lastInterval: the interval in use.
DevicePoll parseDevicePoll(const QByteArray &body, int lastInterval);

// Where the device flow runs for a connection's API endpoint: https://github.com for
// api.github.com, the same origin for GitHub Enterprise Server (https://HOST/api/v3).
QUrl oauthOrigin(const QString &apiEndpoint);

} // namespace opsdeck
