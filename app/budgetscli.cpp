#include "budgetscli.h"

#include "application.h"

#include "models/budgets/budgetchain.h"
#include "models/budgets/budgettree.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/store/demoworkspace.h"

#include "workspaceaccess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QStandardPaths>

#include <cmath>
#include <cstdio>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetsCli)
};

void err(const QString &text)
{
    fprintf(stderr, "opsdeck budgets: %s\n", text.toLocal8Bit().constData());
}

QString utc(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")) : Tr::tr("never");
}

// Amounts to the micro-dollar (the proxy's own precision), without binary noise.
double micro(double v)
{
    return std::round(v * 1e6) / 1e6;
}

QJsonValue number(const std::optional<double> &v)
{
    return v ? QJsonValue(micro(*v)) : QJsonValue(QJsonValue::Null);
}

// The LiteLLM connection named name, or the only one when name is empty.
Result<Connection> proxyNamed(const QString &name)
{
    const auto all = ConnectionStore::all(Database::connection());
    if (!all)
        return all.error();
    QList<Connection> proxies;
    for (const Connection &c : all.value())
        if (c.kind == ConnectionKind::LiteLLM)
            proxies << c;
    QStringList names;
    for (const Connection &c : std::as_const(proxies)) {
        if (c.name == name || (name.isEmpty() && proxies.size() == 1))
            return c;
        names << c.name;
    }
    if (proxies.isEmpty())
        return makeError("budgets.connection", Tr::tr("this data directory has no LiteLLM connection."));
    if (name.isEmpty())
        return makeError("budgets.connection",
                         Tr::tr("there are several LiteLLM connections: name one with --connection (%1).")
                             .arg(names.join(QStringLiteral(", "))));
    return makeError("budgets.connection", Tr::tr("there is no LiteLLM connection \"%1\" (there is: %2).")
                                               .arg(name, names.join(QStringLiteral(", "))));
}

QDateTime lastSync(qint64 connectionId)
{
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT last_success_at FROM sync_state WHERE connection_id = ? AND scope = 'budgets'"));
    q.addBindValue(connectionId);
    return q.exec() && q.next() ? fromStoredTime(q.value(0).toString()) : QDateTime();
}
} // namespace

int runBudgetsCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication app(argc, argv);
    installTranslators(app);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck"));
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr(
        "LiteLLM budgets from this desktop's cache (kept up to date by the window; offline too).\n\n"
        "  opsdeck budgets explain [--connection NAME] --key ALIAS|--user ID|--team ID [--member USER] "
        "[--customer ID] [--cost USD] [--json]\n"
        "      the limits a request passes (key, team member budget or the user's own, team, organization, "
        "end customer), each with its spend, what remains and its next reset, and the one that refuses "
        "requests or will stop them first; exit 0 when requests (of --cost) pass, 1 when a limit refuses "
        "them, 2 for a usage error or a subject the cache does not know."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, Tr::tr("Show this help."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), Tr::tr("The data directory."),
                                     Tr::tr("dir"));
    const QCommandLineOption demo(QStringLiteral("demo"), Tr::tr("Use the demo's data directory."));
    const QCommandLineOption connection(QStringLiteral("connection"),
                                        Tr::tr("The LiteLLM connection (needed when there are several)."),
                                        Tr::tr("NAME"));
    const QCommandLineOption key(QStringLiteral("key"),
                                 Tr::tr("A key: its alias, abbreviation (sk-...) or hash."), Tr::tr("ALIAS"));
    const QCommandLineOption user(QStringLiteral("user"), Tr::tr("A user, by the proxy's user id."),
                                  Tr::tr("ID"));
    const QCommandLineOption team(QStringLiteral("team"), Tr::tr("A team, by id or alias."), Tr::tr("ID"));
    const QCommandLineOption member(
        QStringLiteral("member"),
        Tr::tr("With --team: a member of it, by user id (the member's budget in the team)."), Tr::tr("USER"));
    const QCommandLineOption customer(QStringLiteral("customer"),
                                      Tr::tr("The end customer the request is made for."), Tr::tr("ID"));
    const QCommandLineOption cost(QStringLiteral("cost"),
                                  Tr::tr("What if a request costs this much (USD): which limit refuses it."),
                                  Tr::tr("USD"));
    const QCommandLineOption json(QStringLiteral("json"), Tr::tr("Print the chain as a JSON object."));
    parser.addOptions({help, dataDir, demo, connection, key, user, team, member, customer, cost, json});
    parser.addPositionalArgument(QStringLiteral("explain"), Tr::tr("explain"));
    if (!parser.parse(QStringList{QStringLiteral("opsdeck budgets")} + arguments)) {
        err(parser.errorText());
        return 2;
    }
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(help) || positional.isEmpty()) {
        fputs(parser.helpText().toLocal8Bit().constData(), parser.isSet(help) ? stdout : stderr);
        return parser.isSet(help) ? 0 : 2;
    }
    if (positional.first() != QLatin1String("explain") || positional.size() > 1) {
        err(Tr::tr("unknown command \"%1\": use explain.").arg(positional.join(QLatin1Char(' '))));
        return 2;
    }
    const int subjects =
        (parser.isSet(key) ? 1 : 0) + (parser.isSet(user) ? 1 : 0) + (parser.isSet(team) ? 1 : 0);
    if (subjects != 1) {
        err(Tr::tr("explain needs exactly one of --key, --user or --team, e.g. opsdeck budgets explain --key "
                   "ci-bot --cost 0.50."));
        return 2;
    }
    if (parser.isSet(member) && !parser.isSet(team)) {
        err(Tr::tr("--member goes with --team: the member's budget in that team."));
        return 2;
    }
    BudgetSubject subject;
    if (parser.isSet(key)) {
        subject.kind = BudgetSubject::Kind::Key;
        subject.id = parser.value(key).trimmed();
    } else if (parser.isSet(user)) {
        subject.kind = BudgetSubject::Kind::User;
        subject.id = parser.value(user).trimmed();
    } else if (parser.isSet(member)) {
        subject.kind = BudgetSubject::Kind::Member;
        subject.id = parser.value(member).trimmed();
        subject.teamId = parser.value(team).trimmed();
    } else {
        subject.kind = BudgetSubject::Kind::Team;
        subject.id = parser.value(team).trimmed();
    }
    subject.customerId = parser.value(customer).trimmed();
    if (subject.id.isEmpty() || subject.id.size() > 512) {
        err(Tr::tr("the subject is empty or longer than 512 characters."));
        return 2;
    }
    double requestCost = 0;
    if (parser.isSet(cost)) {
        bool ok = false;
        requestCost = parser.value(cost).trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(requestCost) || requestCost < 0 || requestCost > 1e9) {
            err(Tr::tr("--cost \"%1\" is not an amount in USD (a number from 0, e.g. 0.25).")
                    .arg(parser.value(cost)));
            return 2;
        }
    }

    if (auto opened = openCommandCacheReadOnly(parser.value(dataDir), parser.isSet(demo)); !opened) {
        err(opened.message());
        return 2;
    }
    const auto proxy = proxyNamed(parser.value(connection).trimmed());
    if (!proxy) {
        Database::close();
        err(proxy.message());
        return 2;
    }
    const QDateTime synced = lastSync(proxy->id);
    const auto chain =
        loadLimitChain(Database::connection(), proxy->id, subject, QDateTime::currentDateTimeUtc());
    Database::close();
    if (!chain) {
        err(chain.message());
        return 2;
    }
    const BindingVerdict v = resolveBinding(chain->chain, requestCost);
    if (parser.isSet(json)) {
        QJsonArray limits;
        for (const BudgetLimit &l : chain->chain.limits)
            limits.append(QJsonObject{{QStringLiteral("level"), l.levelId()},
                                      {QStringLiteral("name"), l.name},
                                      {QStringLiteral("spend"), micro(l.spend)},
                                      {QStringLiteral("max_budget"), number(l.maxBudget)},
                                      {QStringLiteral("soft_budget"), number(l.softBudget)},
                                      {QStringLiteral("remaining"), number(l.remaining())},
                                      {QStringLiteral("blocked"), l.blocked},
                                      {QStringLiteral("resets_at"), l.resetAt.isValid()
                                                                        ? QJsonValue(toStoredTime(l.resetAt))
                                                                        : QJsonValue(QJsonValue::Null)}});
        const QJsonObject out{
            {QStringLiteral("connection"), proxy->name},
            {QStringLiteral("synced_at"), synced.isValid() ? QJsonValue(toStoredTime(synced)) : QJsonValue()},
            {QStringLiteral("subject"), chain->subject},
            {QStringLiteral("cost"), requestCost},
            {QStringLiteral("limits"), limits},
            {QStringLiteral("refusing"),
             v.refusing >= 0 ? QJsonValue(v.refusing) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("binds_first"),
             v.bindsFirst >= 0 ? QJsonValue(v.bindsFirst) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("passes"), v.refusing < 0},
            {QStringLiteral("explanation"), v.explanation}};
        fputs(QJsonDocument(out).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        printf("%s\n",
               qPrintable(Tr::tr("%1 on %2 (synced %3)").arg(chain->subject, proxy->name, utc(synced))));
        for (int i = 0; i < chain->chain.limits.size(); ++i) {
            const BudgetLimit &l = chain->chain.limits.at(i);
            const QString mark = i == v.refusing     ? QStringLiteral("✗")
                                 : i == v.bindsFirst ? QStringLiteral("→")
                                                     : QStringLiteral(" ");
            const QString left = l.blocked       ? Tr::tr("blocked")
                                 : l.remaining() ? Tr::tr("%1 left").arg(usdText(*l.remaining()))
                                                 : Tr::tr("no budget");
            const QString line =
                mark + QLatin1Char(' ') + l.levelName().leftJustified(14) + QLatin1Char(' ') +
                l.name.leftJustified(30) + QLatin1Char(' ') +
                Tr::tr("spent %1").arg(usdText(l.spend)).leftJustified(18) + QLatin1Char(' ') +
                Tr::tr("of %1").arg(l.maxBudget ? usdText(*l.maxBudget) : Tr::tr("none")).leftJustified(14) +
                QLatin1Char(' ') + left.leftJustified(16) + QLatin1Char(' ') +
                Tr::tr("resets %1").arg(utc(l.resetAt));
            printf("%s\n", qPrintable(line));
        }
        printf("%s\n", qPrintable(v.explanation));
    }
    return v.refusing >= 0 ? 1 : 0;
}

} // namespace opsdeck
