#pragma once
// Alertmanager's webhook payload (version 4), as its `webhook_configs` receiver POSTs it, read
// as hostile input: within byte and depth limits, every field type checked, at most
// kMaxPushedAlerts alerts. Each alert becomes an analysis::Alert with state "firing" or
// "resolved" and activeAt from startsAt, so alert gates (criteria.h) can select it. Pure.

#include <string>
#include <string_view>
#include <vector>

#include "controllers/analysis/prometheus_types.h"
#include "operator/base/result.h"

namespace tro::controllers::analysis {

inline constexpr size_t kMaxWebhookBodyBytes = 1u << 20;  // 1 MiB
inline constexpr size_t kMaxPushedAlerts = 10000;

// The alerts of one notification; the error says what is wrong with the payload.
base::Result<std::vector<Alert>, std::string> parseAlertmanagerWebhook(std::string_view body);

}  // namespace tro::controllers::analysis
