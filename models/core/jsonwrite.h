// Writing JSON text without building a QJsonDocument: for the hot paths that write one small JSON
// value per row (an audit event's canonical form, a runner's label list). The output is byte for
// byte what QJsonDocument::toJson(Compact) writes for the same value, which tst_models checks on
// random text, so a hash over it does not change.
#pragma once

#include <QByteArray>
#include <QStringList>
#include <QStringView>

namespace opsdeck::JsonWrite {

// Appends s as a JSON string literal, quotes included.
void appendString(QByteArray &out, QStringView s);
// Appends UTF-8 text (as QJsonDocument writes it: valid UTF-8) as a JSON string literal: the same
// bytes as appendString(out, QString::fromUtf8(utf8)).
void appendUtf8String(QByteArray &out, QByteArrayView utf8);
// ["a","b",...]
QByteArray stringArray(const QStringList &values);

} // namespace opsdeck::JsonWrite
