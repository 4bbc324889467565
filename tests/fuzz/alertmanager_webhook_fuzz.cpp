// Alertmanager's webhook payload (alertmanager_webhook.h), POSTed to the operator's alert
// receiver by anyone who can reach it. Input: the body. Invariants: at most kMaxPushedAlerts
// alerts, each "firing" or "resolved" and named by its alertname label.

#include "controllers/analysis/alertmanager_webhook.h"
#include "tests/fuzz/fuzz_util.h"

using namespace tro::controllers::analysis;
using tro::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  const auto alerts = parseAlertmanagerWebhook(tro::fuzz::asText(data, size));
  if (!alerts.ok()) return 0;
  require(alerts->size() <= kMaxPushedAlerts);
  for (const Alert& alert : *alerts) {
    require(alert.state == "firing" || alert.state == "resolved");
    const auto name = alert.labels.find("alertname");
    require(name != alert.labels.end() && alert.name == name->second);
  }
  return 0;
}
