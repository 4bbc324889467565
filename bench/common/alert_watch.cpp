#include "bench/common/alert_watch.h"

#include <thread>

#include "controllers/analysis/prometheus_parse.h"
#include "operator/base/rfc3339.h"

namespace tro::bench {
namespace {

bool matches(const nlohmann::json& alert, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  const auto& l = alert.value("labels", nlohmann::json::object());
  if (l.value("alertname", "") != name || alert.value("state", "") != "firing") return false;
  for (const auto& [key, value] : labels) {
    if (l.value(key, "") != value) return false;
  }
  return true;
}

std::optional<FiringAlert> firing(const std::vector<nlohmann::json>& alerts,
                                  const std::string& name,
                                  const std::map<std::string, std::string>& labels) {
  FiringAlert out;
  for (const auto& alert : alerts) {
    if (!matches(alert, name, labels)) continue;
    ++out.matching;
    auto at = base::parseRfc3339(alert.value("activeAt", ""));
    if (at && (!out.activeAt || *at < *out.activeAt)) out.activeAt = at;
  }
  if (out.matching == 0) return std::nullopt;
  return out;
}

}  // namespace

std::optional<FiringAlert> waitFiring(const testing::Prometheus& prometheus,
                                      const base::Clock& clock, const std::string& name,
                                      const std::map<std::string, std::string>& labels,
                                      std::chrono::milliseconds timeout,
                                      std::chrono::milliseconds every) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    const auto alerts = prometheus.alerts();
    const base::TimePoint seen = clock.now();
    if (auto found = firing(alerts, name, labels)) {
      found->firstSeen = seen;
      return found;
    }
    std::this_thread::sleep_for(every);  // a poll interval, not synchronisation
  }
  return std::nullopt;
}

}  // namespace tro::bench
