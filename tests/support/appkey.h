// GitHub App keys for tests: a fresh RSA key with its PEM text, and a check of the App JWT that a
// test server receives (signature with the public key, iss, iat 60 s back, exp within 10 minutes).
#pragma once

#include <QByteArray>
#include <QString>

#include <utility>

typedef struct evp_pkey_st EVP_PKEY;

std::pair<EVP_PKEY *, QString> makeAppKey();
// Empty when the Authorization header carries a valid App JWT; else what is wrong with it.
QString jwtProblem(const QByteArray &authorization, EVP_PKEY *key, const QString &appId);
