// LiteLLM proxy admin answers -> domain types (models/budgets/litellmanswers.h): organizations,
// teams, pages of users, keys and spend logs, customers, budget plans. Whatever the input, every figure kept
// is finite and not negative, every id bounded, and a page never claims a negative count.
#include "models/budgets/litellmanswers.h"

#include <QSet>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {
bool bad(double amount)
{
    return !std::isfinite(amount) || amount < 0;
}
bool bad(const opsdeck::LiteLLMBudget &b)
{
    return (b.maxBudget && bad(*b.maxBudget)) || (b.softBudget && bad(*b.softBudget)) ||
           (b.tpmLimit && *b.tpmLimit < 0) || (b.rpmLimit && *b.rpmLimit < 0);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto teams = opsdeck::parseLiteLLMTeams(body))
        for (const auto &t : teams.value())
            if (t.id.isEmpty() || t.id.size() > 512 || bad(t.spend) || bad(t.budget))
                __builtin_trap();
    if (const auto orgs = opsdeck::parseLiteLLMOrganizations(body))
        for (const auto &o : orgs.value())
            if (o.id.isEmpty() || bad(o.spend) || bad(o.budget))
                __builtin_trap();
    if (const auto users = opsdeck::parseLiteLLMUsers(body)) {
        if (users->total < 0 || users->page < 0 || users->totalPages < 0)
            __builtin_trap();
        for (const auto &u : users->items)
            if (u.id.isEmpty() || bad(u.spend) || bad(u.budget) || u.keyCount < 0)
                __builtin_trap();
    }
    if (const auto keys = opsdeck::parseLiteLLMKeys(body))
        for (const auto &k : keys->items)
            if (k.token.isEmpty() || bad(k.spend) || bad(k.budget))
                __builtin_trap();
    if (const auto logs = opsdeck::parseSpendLogs(body))
        for (const auto &r : logs->items)
            if (r.requestId.isEmpty() || bad(r.spend) || !r.startTime.isValid() || r.totalTokens < 0)
                __builtin_trap();
    (void)opsdeck::parseLiteLLMCustomers(body);
    if (const auto plans = opsdeck::parseBudgetPlans(body)) {
        QSet<QString> ids;
        for (const auto &p : plans.value()) {
            if (p.id.isEmpty() || ids.contains(p.id) || bad(p.budget) || (p.tpdLimit && *p.tpdLimit < 0) ||
                !p.createdAt.isValid() || !p.updatedAt.isValid())
                __builtin_trap();
            ids.insert(p.id);
        }
    }
    if (const auto models = opsdeck::parseModelInfo(body)) {
        QSet<QString> ids;
        for (const auto &m : models.value()) {
            if (m.id.isEmpty() || m.modelName.isEmpty() || ids.contains(m.id) ||
                (m.inputCostPerToken && bad(*m.inputCostPerToken)) ||
                (m.outputCostPerToken && bad(*m.outputCostPerToken)))
                __builtin_trap();
            ids.insert(m.id);
        }
    }
    if (const auto daily = opsdeck::parseDailyActivity(body)) {
        QSet<QDate> days;
        for (const auto &d : daily->items) {
            if (!d.date.isValid() || bad(d.spend) || d.apiRequests < 0 || days.contains(d.date))
                __builtin_trap();
            days.insert(d.date);
        }
    }
    return 0;
}
