#include "controllers/analysis/alertmanager_webhook.h"

#include "operator/base/bounded_json.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers::analysis {

namespace {

using Json = nlohmann::json;

base::Result<Alert, std::string> alertOf(const Json& item, size_t index) {
  const std::string where = "alerts[" + std::to_string(index) + "]";
  if (!item.is_object()) return base::fail(where + " is not an object");
  auto status = item.find("status");
  if (status == item.end() || !status->is_string() ||
      (*status != "firing" && *status != "resolved")) {
    return base::fail(where + ".status must be \"firing\" or \"resolved\"");
  }
  auto labels = item.find("labels");
  if (labels == item.end() || !labels->is_object()) {
    return base::fail(where + ".labels must be an object");
  }
  Alert alert;
  alert.state = status->get<std::string>();
  for (const auto& [name, value] : labels->items()) {
    if (!value.is_string()) return base::fail(where + ".labels." + name + " is not a string");
    alert.labels[name] = value.get<std::string>();
  }
  auto name = alert.labels.find("alertname");
  if (name == alert.labels.end()) return base::fail(where + " has no alertname label");
  alert.name = name->second;
  if (auto startsAt = item.find("startsAt"); startsAt != item.end() && startsAt->is_string()) {
    alert.activeAt = base::parseRfc3339(startsAt->get<std::string>());
  }
  return alert;
}

}  // namespace

base::Result<std::vector<Alert>, std::string> parseAlertmanagerWebhook(std::string_view body) {
  if (body.size() > kMaxWebhookBodyBytes) {
    return base::fail("payload of " + std::to_string(body.size()) + " bytes is over the limit of " +
                      std::to_string(kMaxWebhookBodyBytes));
  }
  auto parsed = base::parseJsonBounded(body, {kMaxWebhookBodyBytes, 16});
  if (!parsed.ok()) return base::fail(parsed.error());
  const Json& root = *parsed;
  if (!root.is_object()) return base::fail("payload is not a JSON object");
  auto version = root.find("version");
  if (version == root.end() || *version != "4") {
    return base::fail("payload version must be \"4\" (Alertmanager's webhook format)");
  }
  auto alerts = root.find("alerts");
  if (alerts == root.end() || !alerts->is_array()) return base::fail("alerts must be an array");
  if (alerts->size() > kMaxPushedAlerts) {
    return base::fail("more than " + std::to_string(kMaxPushedAlerts) + " alerts");
  }
  std::vector<Alert> out;
  out.reserve(alerts->size());
  for (size_t i = 0; i < alerts->size(); ++i) {
    auto alert = alertOf((*alerts)[i], i);
    if (!alert.ok()) return base::fail(alert.error());
    out.push_back(std::move(alert).value());
  }
  return out;
}

}  // namespace tro::controllers::analysis
