#include "models/budgets/budgetpolicy.h"

#include "models/audit/auditevent.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetPolicy)
};

Error invalid(const QString &what)
{
    return makeError("budgets.policy", what);
}

QString every()
{
    return QStringLiteral("*");
}

QString namesText(PolicyItem item, const QStringList &values)
{
    if (item == PolicyItem::Models && values == QStringList{every()})
        return Tr::tr("every model");
    if (values.isEmpty())
        return item == PolicyItem::Models ? Tr::tr("no model") : Tr::tr("none");
    return values.join(QStringLiteral(", "));
}

QString flagText(bool on)
{
    return on ? Tr::tr("allowed") : Tr::tr("not allowed");
}

// The proxy keeps "every model" as [].
QStringList proxyModels(const QStringList &policy)
{
    return policy == QStringList{every()} ? QStringList() : policy;
}

QStringList sortedUnique(QStringList names)
{
    names.sort();
    names.removeDuplicates();
    return names;
}

QJsonArray jsonNames(const QStringList &names)
{
    return QJsonArray::fromStringList(names);
}

QStringList fromJson(const QString &json)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
        if (v.isString())
            out << v.toString();
    return out;
}
} // namespace

QList<PolicyScope> policyScopes()
{
    return {PolicyScope::Organization, PolicyScope::Group, PolicyScope::Team, PolicyScope::User};
}

QList<PolicyItem> policyItems()
{
    return {PolicyItem::Models,       PolicyItem::Guardrails,      PolicyItem::CreateConnections,
            PolicyItem::CreateAgents, PolicyItem::ImageGeneration, PolicyItem::ModelAccess};
}

QString policyScopeKey(PolicyScope scope)
{
    switch (scope) {
    case PolicyScope::Organization:
        return QStringLiteral("organization");
    case PolicyScope::Group:
        return QStringLiteral("group");
    case PolicyScope::Team:
        return QStringLiteral("team");
    case PolicyScope::User:
        return QStringLiteral("user");
    }
    return {};
}

std::optional<PolicyScope> policyScopeFromKey(const QString &key)
{
    for (PolicyScope s : policyScopes())
        if (policyScopeKey(s) == key)
            return s;
    return std::nullopt;
}

QString policyScopeText(PolicyScope scope)
{
    switch (scope) {
    case PolicyScope::Organization:
        return Tr::tr("Account");
    case PolicyScope::Group:
        return Tr::tr("Group");
    case PolicyScope::Team:
        return Tr::tr("Team");
    case PolicyScope::User:
        return Tr::tr("User");
    }
    return {};
}

QString policyItemKey(PolicyItem item)
{
    switch (item) {
    case PolicyItem::Models:
        return QStringLiteral("models");
    case PolicyItem::Guardrails:
        return QStringLiteral("guardrails");
    case PolicyItem::CreateConnections:
        return QStringLiteral("create_connections");
    case PolicyItem::CreateAgents:
        return QStringLiteral("create_agents");
    case PolicyItem::ImageGeneration:
        return QStringLiteral("image_generation");
    case PolicyItem::ModelAccess:
        return QStringLiteral("model_access");
    }
    return {};
}

std::optional<PolicyItem> policyItemFromKey(const QString &key)
{
    for (PolicyItem i : policyItems())
        if (policyItemKey(i) == key)
            return i;
    return std::nullopt;
}

QString policyItemText(PolicyItem item)
{
    switch (item) {
    case PolicyItem::Models:
        return Tr::tr("Allowed models");
    case PolicyItem::Guardrails:
        return Tr::tr("Guardrails");
    case PolicyItem::CreateConnections:
        return Tr::tr("Create connections");
    case PolicyItem::CreateAgents:
        return Tr::tr("Create agents");
    case PolicyItem::ImageGeneration:
        return Tr::tr("Image generation");
    case PolicyItem::ModelAccess:
        return Tr::tr("Model access");
    }
    return {};
}

bool isListItem(PolicyItem item)
{
    return item == PolicyItem::Models || item == PolicyItem::Guardrails;
}

bool appliesToProxy(PolicyItem item)
{
    return isListItem(item);
}

QJsonValue PolicyRecord::value() const
{
    return isListItem(item) ? QJsonValue(jsonNames(values)) : QJsonValue(enabled);
}

QString PolicyRecord::valueText() const
{
    return isListItem(item) ? namesText(item, values) : flagText(enabled);
}

Result<PolicyRecord> checkPolicy(PolicyRecord r)
{
    r.connection = r.connection.trimmed();
    r.scopeId = r.scopeId.trimmed();
    if (r.connection.isEmpty() || r.connection.size() > 200)
        return invalid(
            Tr::tr("A policy belongs to a LiteLLM connection: name one (at most 200 characters)."));
    if (r.scopeId.isEmpty() || r.scopeId.size() > 256)
        return invalid(Tr::tr("Which %1? A policy needs its id (at most 256 characters).")
                           .arg(policyScopeText(r.scope).toLower()));
    if (r.scope == PolicyScope::Group) {
        auto name = checkGroupName(r.scopeId);
        if (!name)
            return name.error();
    }
    if (r.comment.size() > 2000)
        return invalid(Tr::tr("The comment is longer than 2,000 characters."));
    if (!isListItem(r.item)) {
        r.values.clear();
        return r;
    }
    QStringList names;
    for (const QString &raw : std::as_const(r.values)) {
        const QString name = raw.trimmed();
        if (name.isEmpty())
            continue;
        if (name.size() > 256)
            return invalid(Tr::tr("\"%1…\" is longer than 256 characters.").arg(name.left(40)));
        for (QChar ch : name)
            if (ch.category() == QChar::Other_Control || ch.category() == QChar::Other_Format)
                return invalid(Tr::tr("\"%1\" holds a control character.").arg(name.simplified()));
        names << name;
    }
    names = sortedUnique(names);
    if (names.size() > 500)
        return invalid(Tr::tr("%n names: a policy holds at most 500.", nullptr, int(names.size())));
    if (names.contains(every())) {
        if (r.item == PolicyItem::Guardrails)
            return invalid(Tr::tr("\"*\" is not a guardrail: name each guardrail."));
        if (names.size() > 1)
            return invalid(Tr::tr("\"*\" means every model: it stands alone, not beside model names."));
    }
    r.values = names;
    return r;
}

Result<void> readPolicyValue(PolicyRecord &record, const QString &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return invalid(Tr::tr("The stored value of a policy is not JSON: %1").arg(json.left(80)));
    const QJsonValue v = doc.array().at(0);
    if (isListItem(record.item)) {
        if (!v.isArray())
            return invalid(
                Tr::tr("The stored %1 policy is not a list of names.").arg(policyItemKey(record.item)));
        QStringList names;
        for (const QJsonValue &n : v.toArray()) {
            if (!n.isString())
                return invalid(Tr::tr("The stored %1 policy holds something that is not a name.")
                                   .arg(policyItemKey(record.item)));
            names << n.toString();
        }
        record.values = sortedUnique(names);
        return {};
    }
    if (!v.isBool())
        return invalid(Tr::tr("The stored %1 flag is not true or false.").arg(policyItemKey(record.item)));
    record.enabled = v.toBool();
    return {};
}

Result<QString> checkGroupName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("\\A[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}\\z"));
    const QString n = name.trimmed();
    if (!valid.match(n).hasMatch())
        return invalid(Tr::tr("\"%1\" is not a group name: letters, digits, spaces, '.', '_' and '-', "
                              "at most 64, starting with a letter or digit.")
                           .arg(n.left(80)));
    return n;
}

QString EffectiveItem::valueText() const
{
    if (!set)
        return isListItem(item) ? Tr::tr("as the proxy has it") : Tr::tr("allowed (no policy)");
    return isListItem(item) ? namesText(item, values) : flagText(enabled);
}

QString EffectiveItem::decidedText() const
{
    return set ? QStringLiteral("%1 %2").arg(policyScopeText(scope), scopeId) : Tr::tr("no policy");
}

QList<EffectiveItem> effectivePolicy(const QList<PolicyRecord> &records, const QString &connection,
                                     const PolicyContext &context)
{
    const auto idAt = [&context](PolicyScope s) {
        switch (s) {
        case PolicyScope::Organization:
            return context.organization;
        case PolicyScope::Group:
            return context.group;
        case PolicyScope::Team:
            return context.team;
        case PolicyScope::User:
            return context.user;
        }
        return QString();
    };
    QList<EffectiveItem> out;
    for (PolicyItem item : policyItems()) {
        EffectiveItem e;
        e.item = item;
        e.enabled = true; // a flag no scope sets is allowed
        for (PolicyScope s : policyScopes()) {
            const QString id = idAt(s);
            if (id.isEmpty())
                continue;
            for (const PolicyRecord &r : records) {
                if (r.connection != connection || r.scope != s || r.scopeId != id || r.item != item)
                    continue;
                if (e.set)
                    e.overridden << e.decidedText();
                e.set = true;
                e.scope = s;
                e.scopeId = id;
                e.values = r.values;
                e.enabled = r.enabled;
                e.comment = r.comment;
                e.recordId = r.id;
            }
        }
        out << e;
    }
    return out;
}

QString PolicyDrift::text() const
{
    QStringList parts;
    if (modelsDrift)
        parts << Tr::tr("models on the proxy: %1; the policy (%2): %3")
                     .arg(namesText(PolicyItem::Models,
                                    target.models.isEmpty() ? QStringList{every()} : target.models),
                          models.decidedText(), models.valueText());
    if (guardrailsDrift)
        parts << (appliedGuardrails ? Tr::tr("guardrails last applied: %1; the policy (%2): %3")
                                          .arg(namesText(PolicyItem::Guardrails, *appliedGuardrails),
                                               guardrails.decidedText(), guardrails.valueText())
                                    : Tr::tr("guardrails never applied from here; the policy (%1): %2")
                                          .arg(guardrails.decidedText(), guardrails.valueText()));
    return parts.isEmpty() ? Tr::tr("as the policy says") : parts.join(QStringLiteral("; "));
}

QList<PolicyDrift> policyDrift(const QList<PolicyRecord> &records, const QHash<QString, QString> &groups,
                               const QString &connection, const QList<PolicyTarget> &targets,
                               const QHash<QString, QStringList> &applied)
{
    QList<PolicyDrift> out;
    for (const QString &kind : {QStringLiteral("team"), QStringLiteral("key")}) {
        for (const PolicyTarget &t : targets) {
            if (t.kind != kind)
                continue;
            PolicyDrift d;
            d.target = t;
            const QString team = kind == QLatin1String("team") ? t.id : t.team;
            d.context = {t.organization, groups.value(team), team,
                         kind == QLatin1String("key") ? t.user : QString()};
            const QList<EffectiveItem> effective = effectivePolicy(records, connection, d.context);
            d.models = effective.at(0);
            d.guardrails = effective.at(1);
            if (d.models.set) {
                const QStringList wanted = proxyModels(d.models.values);
                const QStringList held = sortedUnique(t.models);
                // A key of a team with [] takes the team's models; that is in line unless a user
                // scope decides for the key itself.
                const bool inherits = kind == QLatin1String("key") && !t.team.isEmpty() && held.isEmpty() &&
                                      d.models.scope != PolicyScope::User;
                d.modelsDrift = !inherits && held != wanted;
            }
            const QString appliedKey = kind + QLatin1Char(':') + t.id;
            if (applied.contains(appliedKey))
                d.appliedGuardrails = sortedUnique(applied.value(appliedKey));
            if (d.guardrails.set) {
                // A key of a team takes the team's guardrails unless a user scope decides for it.
                const bool inherits = kind == QLatin1String("key") && !t.team.isEmpty() &&
                                      d.guardrails.scope != PolicyScope::User && !d.appliedGuardrails;
                d.guardrailsDrift = !inherits && d.appliedGuardrails != std::optional(d.guardrails.values);
            }
            out << d;
        }
    }
    return out;
}

Result<ProxyChange> policyChange(const PolicyDrift &d)
{
    if (!d.drifted())
        return makeError(
            "budgets.unchanged",
            Tr::tr("%1 %2 is as the policy says: nothing to apply.").arg(d.target.kind, d.target.name));
    ProxyChange c;
    c.kind = ProxyChange::Kind::Update;
    c.method = "POST";
    c.action = AuditAction::budgetPolicyApply;
    c.targetKind = d.target.kind;
    c.targetId = d.target.id;
    c.targetName = d.target.name;
    const bool team = d.target.kind == QLatin1String("team");
    c.path = team ? QStringLiteral("/team/update") : QStringLiteral("/key/update");
    c.body.insert(team ? QStringLiteral("team_id") : QStringLiteral("key"), d.target.id);
    QStringList what;
    if (d.modelsDrift) {
        const QStringList after = proxyModels(d.models.values);
        c.body.insert(QStringLiteral("models"), jsonNames(after));
        FieldChange f;
        f.field = QStringLiteral("models");
        f.label = policyItemText(PolicyItem::Models);
        f.before = jsonNames(d.target.models);
        f.after = jsonNames(after);
        f.beforeText =
            namesText(PolicyItem::Models, d.target.models.isEmpty() ? QStringList{every()} : d.target.models);
        f.afterText = d.models.valueText();
        c.changes << f;
        what << Tr::tr("models %1 → %2").arg(f.beforeText, f.afterText);
    }
    if (d.guardrailsDrift) {
        c.body.insert(QStringLiteral("guardrails"), jsonNames(d.guardrails.values));
        FieldChange f;
        f.field = QStringLiteral("guardrails");
        f.label = policyItemText(PolicyItem::Guardrails);
        f.before = d.appliedGuardrails ? QJsonValue(jsonNames(*d.appliedGuardrails)) : QJsonValue();
        f.after = jsonNames(d.guardrails.values);
        f.beforeText = d.appliedGuardrails ? namesText(PolicyItem::Guardrails, *d.appliedGuardrails)
                                           : Tr::tr("not known (the proxy does not report them)");
        f.afterText = d.guardrails.valueText();
        c.changes << f;
        what << Tr::tr("guardrails %1 → %2").arg(f.beforeText, f.afterText);
    }
    c.summary = Tr::tr("Apply the policy to %1 %2: %3")
                    .arg(d.target.kind, d.target.name, what.join(QStringLiteral("; ")));
    return c;
}

QHash<QString, QString> PolicyView::groupOf() const
{
    QHash<QString, QString> out;
    for (const BudgetGroup &g : groups)
        out.insert(g.teamId, g.group);
    return out;
}

QList<PolicyDrift> PolicyView::drift() const
{
    return policyDrift(records, groupOf(), connection, targets, applied);
}

QList<PolicyContext> PolicyView::contextsOf(const QString &user) const
{
    QList<PolicyContext> out;
    const QHash<QString, QString> group = groupOf();
    for (const QString &line : userTeams) {
        const QString u = line.section(QLatin1Char('\t'), 0, 0);
        const QString team = line.section(QLatin1Char('\t'), 1);
        if (u == user)
            out << PolicyContext{teamOrganization.value(team), group.value(team), team, user};
    }
    out << PolicyContext{userOrganization.value(user), QString(), QString(), user};
    return out;
}

Result<QList<PolicyView>> loadPolicyViews(QSqlDatabase db)
{
    QList<PolicyView> views;
    QSqlQuery q(db);
    const auto fail = [&q] {
        return Database::describe(q.lastError(), Tr::tr("Reading the budget policies"));
    };
    if (!q.exec(QStringLiteral("SELECT id, name FROM connections WHERE kind = 'litellm' ORDER BY name")))
        return fail();
    while (q.next()) {
        PolicyView v;
        v.connectionId = q.value(0).toLongLong();
        v.connection = q.value(1).toString();
        views << v;
    }
    for (PolicyView &v : views) {
        q.prepare(
            QStringLiteral("SELECT id, scope_kind, scope_id, item, value, comment, updated_by, updated_at "
                           "FROM workspace_budget_policies WHERE connection = ? ORDER BY id"));
        q.addBindValue(v.connection);
        if (!q.exec())
            return fail();
        while (q.next()) {
            const auto scope = policyScopeFromKey(q.value(1).toString());
            const auto item = policyItemFromKey(q.value(3).toString());
            if (!scope || !item)
                continue; // a newer Opsdeck's record: shown by that one
            PolicyRecord r;
            r.id = q.value(0).toLongLong();
            r.connection = v.connection;
            r.scope = *scope;
            r.scopeId = q.value(2).toString();
            r.item = *item;
            if (!readPolicyValue(r, q.value(4).toString()))
                continue;
            r.comment = q.value(5).toString();
            r.updatedBy = q.value(6).toString();
            r.updatedAt = q.value(7).toString();
            v.records << r;
        }
        q.prepare(
            QStringLiteral("SELECT team_id, group_name FROM workspace_budget_groups WHERE connection = ? "
                           "ORDER BY group_name, team_id"));
        q.addBindValue(v.connection);
        if (!q.exec())
            return fail();
        while (q.next())
            v.groups << BudgetGroup{v.connection, q.value(0).toString(), q.value(1).toString()};
        q.prepare(
            QStringLiteral("SELECT team_id, CASE WHEN alias <> '' THEN alias ELSE team_id END, "
                           "organization_id, models FROM litellm_teams WHERE connection_id = ? ORDER BY 2"));
        q.addBindValue(v.connectionId);
        if (!q.exec())
            return fail();
        while (q.next()) {
            PolicyTarget t{QStringLiteral("team"),         q.value(0).toString(), q.value(1).toString(),
                           q.value(2).toString(),          q.value(0).toString(), QString(),
                           fromJson(q.value(3).toString())};
            v.teamOrganization.insert(t.id, t.organization);
            v.targets << t;
        }
        q.prepare(
            QStringLiteral("SELECT k.token, CASE WHEN k.alias <> '' THEN k.alias ELSE k.key_name END, "
                           "CASE WHEN k.organization_id <> '' THEN k.organization_id ELSE "
                           "coalesce(t.organization_id, '') END, "
                           "k.team_id, k.user_id, k.models FROM litellm_keys k LEFT JOIN litellm_teams t "
                           "ON t.connection_id = k.connection_id AND t.team_id = k.team_id WHERE "
                           "k.connection_id = ? ORDER BY 2"));
        q.addBindValue(v.connectionId);
        if (!q.exec())
            return fail();
        while (q.next())
            v.targets << PolicyTarget{QStringLiteral("key"),          q.value(0).toString(),
                                      q.value(1).toString(),          q.value(2).toString(),
                                      q.value(3).toString(),          q.value(4).toString(),
                                      fromJson(q.value(5).toString())};
        q.prepare(QStringLiteral("SELECT target_kind, target_id, guardrails FROM litellm_applied_guardrails "
                                 "WHERE connection_id = ?"));
        q.addBindValue(v.connectionId);
        if (!q.exec())
            return fail();
        while (q.next())
            v.applied.insert(q.value(0).toString() + QLatin1Char(':') + q.value(1).toString(),
                             fromJson(q.value(2).toString()));
        q.prepare(QStringLiteral("SELECT DISTINCT model_name FROM litellm_models WHERE connection_id = ? "
                                 "ORDER BY model_name"));
        q.addBindValue(v.connectionId);
        if (!q.exec())
            return fail();
        while (q.next())
            v.models << q.value(0).toString();
        q.prepare(QStringLiteral("SELECT user_id, organization_id FROM litellm_users WHERE connection_id = ? "
                                 "ORDER BY user_id"));
        q.addBindValue(v.connectionId);
        if (!q.exec())
            return fail();
        while (q.next()) {
            v.users << q.value(0).toString();
            v.userOrganization.insert(q.value(0).toString(), q.value(1).toString());
        }
        q.prepare(QStringLiteral("SELECT user_id, team_id FROM litellm_team_members WHERE connection_id = ? "
                                 "ORDER BY user_id, team_id"));
        q.addBindValue(v.connectionId);
        if (!q.exec())
            return fail();
        while (q.next())
            v.userTeams << q.value(0).toString() + QLatin1Char('\t') + q.value(1).toString();
    }
    return views;
}

} // namespace opsdeck
