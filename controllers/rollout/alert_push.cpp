#include "controllers/rollout/alert_push.h"

#include <algorithm>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/evaluate.h"
#include "controllers/rollout/spec.h"

namespace tro::controllers {

std::vector<std::string> rolloutsGatedBy(const std::vector<analysis::Alert>& alerts,
                                         const std::vector<const kube::Json*>& rollouts) {
  std::vector<const analysis::Alert*> firing;
  for (const auto& a : alerts) {
    if (a.state == "firing") firing.push_back(&a);
  }
  std::vector<std::string> keys;
  if (firing.empty()) return keys;
  for (const kube::Json* rollout : rollouts) {
    if (rollout == nullptr || !rollout->is_object()) continue;
    const kube::Json spec = rollout->value("spec", kube::Json());
    ParsedSpec parsed = parseSpec(spec);
    if (!parsed.spec || !parsed.spec->analysis || parsed.spec->analysis->alerts.empty()) continue;
    auto extensions = analysis::parseAnalysisExtensions(spec);
    auto criteria = analysis::makeCriteria(*parsed.spec->analysis, extensions.extensions);
    if (!criteria.problems.empty()) continue;  // the reconciler reports it as InvalidSpec
    const bool gated = std::any_of(criteria.criteria.alerts.begin(), criteria.criteria.alerts.end(),
                                   [&](const analysis::AlertGate& gate) {
                                     return std::any_of(firing.begin(), firing.end(),
                                                        [&](const analysis::Alert* a) {
                                                          return analysis::gateSelects(gate, *a);
                                                        });
                                   });
    if (!gated) continue;
    const kube::Json meta = rollout->value("metadata", kube::Json::object());
    keys.push_back(meta.value("namespace", std::string()) + "/" +
                   meta.value("name", std::string()));
  }
  return keys;
}

}  // namespace tro::controllers
