#pragma once
// A TelemetryRollout object with an alert gate, for the alert push, source and poll tests.

#include <string>

#include "operator/kube/resource.h"

namespace tro::controllers::testing {

inline const kube::Json kPlainPrometheus = {{"address", "http://prometheus.monitoring:9090"}};

// `phase` empty: no status yet; `alerts` null: no analysis at all.
inline kube::Json gatedRolloutJson(
    const std::string& ns, const std::string& name, const std::string& phase,
    kube::Json prometheus = kPlainPrometheus,
    kube::Json alerts = kube::Json::array({{{"name", "HighErrorRate"}}})) {
  kube::Json spec = kube::Json::parse(R"json({
    "selector": {"matchLabels": {"app.kubernetes.io/part-of": "shop"}},
    "flag": {"name": "FEATURE_OTEL"},
    "strategy": {"steps": [{"setWeight": 100}, {"pause": {"duration": "1h"}}]},
    "analysis": {"interval": "1h"}
  })json");
  if (alerts.is_null()) {
    spec.erase("analysis");
  } else {
    spec["analysis"]["prometheus"] = std::move(prometheus);
    spec["analysis"]["alerts"] = std::move(alerts);
  }
  kube::Json out = {{"metadata", {{"namespace", ns}, {"name", name}}}, {"spec", std::move(spec)}};
  if (!phase.empty()) out["status"] = {{"phase", phase}};
  return out;
}

}  // namespace tro::controllers::testing
