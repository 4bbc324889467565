#include "controllers/rollout/alert_push.h"

#include <algorithm>

#include "controllers/analysis/evaluate.h"
#include "controllers/rollout/alert_sources.h"

namespace tro::controllers {

std::vector<std::string> rolloutsGatedBy(const std::vector<analysis::Alert>& alerts,
                                         const std::vector<TypedRolloutPtr>& rollouts) {
  std::vector<const analysis::Alert*> firing;
  for (const auto& a : alerts) {
    if (a.state == "firing") firing.push_back(&a);
  }
  std::vector<std::string> keys;
  if (firing.empty()) return keys;
  for (const TypedRolloutPtr& rollout : rollouts) {
    if (rollout == nullptr) continue;
    auto gated = gatedRollout(*rollout);
    if (!gated) continue;
    const bool selected =
        std::any_of(gated->gates.begin(), gated->gates.end(), [&](const analysis::AlertGate& g) {
          return std::any_of(firing.begin(), firing.end(), [&](const analysis::Alert* a) {
            return analysis::gateSelects(g, *a);
          });
        });
    if (selected) keys.push_back(gated->key);
  }
  return keys;
}

}  // namespace tro::controllers
