#include "controllers/rollout/alert_sources.h"

#include "controllers/analysis/evaluate.h"
#include "operator/kube/json_fields.h"

namespace tro::controllers {

namespace {

// Name and labels, separated by characters no label carries unescaped.
std::string fingerprint(const analysis::Alert& alert) {
  std::string out = alert.name;
  for (const auto& [k, v] : alert.labels) {
    out += '\x1f';
    out += k;
    out += '\x1e';
    out += v;
  }
  return out;
}

bool analysing(const kube::Json& rollout) {
  const kube::Json spec = rollout.value("spec", kube::Json::object());
  if (spec.is_object() && spec.contains("paused") && spec["paused"] == true) return false;
  return inFlight(rollout);
}

}  // namespace

bool inFlight(const kube::Json& rollout) {
  const kube::Json status =
      rollout.is_object() ? rollout.value("status", kube::Json::object()) : kube::Json::object();
  const kube::Json phase = status.is_object() ? status.value("phase", kube::Json()) : kube::Json();
  return phase == "Progressing" || phase == "Paused";
}

std::optional<GatedRollout> gatedRollout(const TypedRollout& rollout) {
  const std::optional<RolloutSpec>& spec = rollout.spec.spec;
  if (!spec || !spec->analysis || spec->analysis->alerts.empty()) return std::nullopt;
  if (!rollout.analysis.problems.empty()) return std::nullopt;  // the reconciler reports them
  auto criteria = analysis::makeCriteria(*spec->analysis, rollout.analysis.extensions);
  if (!criteria.problems.empty()) return std::nullopt;  // the reconciler reports InvalidSpec
  GatedRollout out;
  out.ns = rollout.identity.namespace_;
  out.key = rollout.key;  // a ClusterTelemetryRollout's key: its name
  out.analysis = *spec->analysis;
  out.gates = std::move(criteria.criteria.alerts);
  return out;
}

std::string alertSourceKey(const std::string& ns, const AnalysisSpec& spec) {
  if (!spec.provider.empty()) return "provider/" + spec.provider;
  std::string key = "address/" + spec.prometheusAddress;
  if (!spec.authorization && !spec.caSecret) return key;
  key += "/namespace/" + ns;
  if (spec.authorization) {
    key += std::string("/auth/") +
           (spec.authorization->type == AuthType::Bearer ? "bearer/" : "basic/") +
           spec.authorization->secretName;
  }
  if (spec.caSecret) key += "/ca/" + spec.caSecret->name + "/" + spec.caSecret->key;
  return key;
}

std::map<std::string, AlertSource> alertSources(const std::vector<TypedRolloutPtr>& rollouts) {
  std::map<std::string, AlertSource> out;
  for (const TypedRolloutPtr& rollout : rollouts) {
    if (rollout == nullptr || !analysing(*rollout->object)) continue;
    auto gated = gatedRollout(*rollout);
    if (!gated || gated->gates.empty()) continue;
    const std::string key = alertSourceKey(gated->ns, gated->analysis);
    AlertSource& source = out[key];
    source.key = key;
    source.rollouts.push_back(std::move(*gated));
  }
  return out;
}

std::set<std::string> breaches(const AlertSource& source,
                               const std::vector<analysis::Alert>& alerts, base::TimePoint now) {
  std::set<std::string> out;
  for (const GatedRollout& rollout : source.rollouts) {
    for (const analysis::Alert& alert : alerts) {
      for (const analysis::AlertGate& gate : rollout.gates) {
        if (analysis::gateBreached(gate, alert, now)) {
          out.insert(rollout.key + "\n" + fingerprint(alert));
          break;
        }
      }
    }
  }
  return out;
}

std::vector<std::string> rolloutsOf(const std::set<std::string>& entries) {
  std::set<std::string> keys;
  for (const std::string& e : entries) keys.insert(e.substr(0, e.find('\n')));
  return {keys.begin(), keys.end()};
}

}  // namespace tro::controllers
